import type { Library, LibraryEntry } from '../library/library.js';
import { OPINION_NOTE, type ReplyCard } from '../reply/reply.js';
import { outletNames } from '../reply/story-cards.js';
import type { LedgerFact, PlannedThread, StoryLedger, StoryRecordForChannel, StoryTelling } from '../store/story-ledger.js';
import { STORY_DIGEST_DEFAULTS, type Subscription } from '../store/subscriptions.js';
import { factsOf, newsFor, type Story, type StoryBook, type StoryCard, type StoryNews } from '../stories/index.js';
import { DIGEST_KEY_POINTS, digestCard, firstDigest, firstSelection, type ComposeOptions, type DigestContent, type DigestSelection } from './compose.js';
import { formatLocal } from './zoned-time.js';

/**
 * Story digests: one item per story, not one per article, and for each channel what is new since
 * it last heard. The briefings a digest covers are grouped by story (the story book); each story
 * touched is drawn from all its outlets (the story card) and set against the channel's ledger:
 * - a story the channel was never told comes as its card: TL;DR, top key points, figures that
 *   disagree or moved, and who carried it ("carried by 3 outlets"). A story of one article comes
 *   as that article's briefing, as digests always showed it;
 * - a story told before comes as an update that says only what is new or changed: "troops:
 *   10,000 → 12,000 (Zelensky, as of 2026-12-04; you were told 10,000 on 2 Dec)";
 * - a story with nothing material new is left out, or shown in one line, as the subscription says.
 * Every story shown is recorded as told (all its facts) in the delivery's plan; the delivery store
 * writes that to the ledger in the transaction that marks the delivery delivered.
 *
 * With threads on, each story is its own message: a story new to the channel opens a thread, and
 * an update of a story that has one is posted in it. The digest's first message says what came.
 */

export interface StoryDigestDeps {
  stories: StoryBook;
  ledger: StoryLedger;
}

/** A story digest ready to render: the header, the items, and what the delivery will record. */
export interface StoryDigest {
  text: string;
  items: StoryItem[];
  /** One line per story with nothing material new, under the "line" setting. */
  quiet: string[];
  tellings: StoryTelling[];
}

export interface StoryItem {
  story: string;
  card: ReplyCard;
  /** Where the item goes in a channel with threads on. */
  thread?: PlannedThread;
}

/** How many figure lines a new story's item shows (disagreements and updates first). */
const ITEM_FIGURES = 2;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2 Dec" for "you were told … on 2 Dec". */
function shortDay(iso: string, timezone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: timezone }).format(d);
}

/** The item for a story new to the channel. */
export function newStoryCard(card: StoryCard, entry: LibraryEntry | undefined): ReplyCard {
  if (card.coverage.articles === 1 && entry) return digestCard(entry);
  const points = card.keyPoints.map((k) => k.text).filter((t) => t !== card.tldr.text).slice(0, DIGEST_KEY_POINTS);
  const sections: ReplyCard['sections'] = [];
  if (card.opinionOnly) sections.push({ text: OPINION_NOTE });
  if (points.length > 0) sections.push({ items: points });
  const figures = [...card.figures].sort((a, b) => rank(a.kind) - rank(b.kind)).slice(0, ITEM_FIGURES);
  if (figures.length > 0) sections.push({ heading: 'Figures across outlets', items: figures.map((l) => `${l.measure}: ${l.note}${l.kind === 'disagreement' ? ' (outlets disagree)' : ''}`) });
  const flagged = card.quotes.filter((g) => g.flagged);
  if (flagged.length > 0) sections.push({ heading: 'Quotes printed differently', items: flagged.map((g) => `${g.speaker ?? 'Unnamed'}: “${g.versions[g.reference]!.quote.text}” (${g.versions.filter((v) => v.differences.length > 0).map((v) => `${v.outlet}: ${v.differences.map((d) => d.kind).join(', ')}`).join('; ')})`) });
  const copies = card.coverage.reports.length < card.coverage.articles ? `, ${plural(card.coverage.articles - card.coverage.reports.length, 'copy')} collapsed` : '';
  return {
    title: card.title,
    description: card.tldr.text,
    sections,
    footer: `story: ${card.id} · carried by ${plural(card.coverage.outlets.length, 'outlet')} (${outletNames(card).join(', ')})${copies}`,
    more: `/story ${card.id}`,
  };
}

function rank(kind: string): number {
  return kind === 'disagreement' ? 0 : kind === 'update' ? 1 : 2;
}

/** The item for a story the channel was told before: only what is new or changed. */
export function storyUpdateCard(card: StoryCard, news: StoryNews, timezone: string): ReplyCard {
  const figures = news.figures.map((f) =>
    f.was ? `${f.measure}: ${f.was.value} → ${f.now}; you were told ${f.was.value} on ${shortDay(f.was.toldAt, timezone)}` : `${f.measure}: ${f.now}`,
  );
  const sections: ReplyCard['sections'] = [];
  if (figures.length > 0) sections.push({ heading: 'Figures', items: figures });
  if (news.points.length > 0) sections.push({ heading: 'New', items: news.points });
  if (news.quotes.length > 0) sections.push({ heading: 'Said', items: news.quotes.map((q) => `“${q.text}” (${q.speaker}, ${q.outlet})`) });
  if (news.outlets.length > 0) sections.push({ text: `Now also reported by ${news.outlets.join(', ')}.` });
  return {
    title: `Update: ${card.title}`,
    sections,
    footer: `story: ${card.id} · ${plural(card.coverage.outlets.length, 'outlet')}`,
    more: `/story ${card.id}`,
  };
}

/**
 * What the channel was told of a story, counting the stories merged into it since it heard: their
 * facts together (a key told twice: the later telling), and the story's own thread, or else the
 * thread of the merged story it was told of last.
 */
export function recordOf(story: Pick<Story, 'id' | 'merged'>, told: ReadonlyMap<string, StoryRecordForChannel>): StoryRecordForChannel | undefined {
  const own = told.get(story.id);
  const merged = story.merged.map((id) => told.get(id)).filter((r): r is StoryRecordForChannel => r !== undefined);
  if (merged.length === 0) return own;
  const facts = new Map<string, LedgerFact>();
  for (const fact of [own, ...merged].flatMap((r) => r?.facts ?? [])) {
    const before = facts.get(fact.key);
    if (!before || fact.toldAt >= before.toldAt) facts.set(fact.key, fact);
  }
  const lastTold = (r: StoryRecordForChannel): string => r.facts.reduce((latest, f) => (f.toldAt > latest ? f.toldAt : latest), '');
  const withThread = merged.filter((r) => r.thread !== undefined);
  const thread = own?.thread ?? withThread.reduce<StoryRecordForChannel | undefined>((best, r) => (!best || lastTold(r) > lastTold(best) ? r : best), undefined)?.thread;
  return thread ? { facts: [...facts.values()], thread } : { facts: [...facts.values()] };
}

/** The one line for a story with nothing material new. */
export function quietLine(card: StoryCard, news: StoryNews): string {
  const more = news.outlets.length > 0 ? `, now also reported by ${news.outlets.join(', ')}` : '';
  return `${card.title}: nothing new${more} (/story ${card.id})`;
}

/**
 * The story digest for a selection, for one subscription; undefined when no story has anything to
 * show (the nothing-new policy then applies).
 */
export async function composeStoryDigest(
  deps: StoryDigestDeps,
  subscription: Pick<Subscription, 'id' | 'threads' | 'unchanged'>,
  selection: DigestSelection,
  options: ComposeOptions,
): Promise<StoryDigest | undefined> {
  const threads = subscription.threads ?? STORY_DIGEST_DEFAULTS.threads;
  const unchanged = subscription.unchanged ?? STORY_DIGEST_DEFAULTS.unchanged;
  await deps.stories.refresh();
  // Stories in the order of their newest briefing in the selection (newest first), each once.
  const order: string[] = [];
  const entryOf = new Map<string, LibraryEntry>();
  for (const entry of selection.entries) {
    const story = await deps.stories.storyOf(entry.briefing.id);
    const id = story?.id ?? entry.briefing.id;
    if (!entryOf.has(id)) {
      order.push(id);
      entryOf.set(id, entry);
    }
  }
  const stories = new Map<string, Story>();
  for (const id of order) {
    const story = await deps.stories.story(id);
    if (story) stories.set(id, story);
  }
  // What the channel was told of a story merged into one of these since is on the ledger under its own id.
  const told = await deps.ledger.told(subscription.id, [...stories.values()].flatMap((s) => [s.id, ...s.merged]));
  const items: StoryItem[] = [];
  const quiet: string[] = [];
  const tellings: StoryTelling[] = [];
  let updates = 0;
  for (const id of order) {
    const story = stories.get(id);
    const entry = entryOf.get(id)!;
    if (!story) continue;
    const card = await deps.stories.card(story);
    const record = recordOf(story, told);
    const facts: LedgerFact[] | undefined = record?.facts;
    const news = newsFor(card, facts);
    // The thread the channel has for the story (perhaps under a story merged into it) goes on under this id.
    const known = record?.thread ? { thread: record.thread } : {};
    if (!news.material) {
      if (unchanged === 'skip') continue;
      quiet.push(quietLine(card, news));
      tellings.push({ story: id, facts: factsOf(card), ...known });
      continue;
    }
    const item: StoryItem = { story: id, card: news.firstTime ? newStoryCard(card, entry) : storyUpdateCard(card, news, options.timezone) };
    if (!news.firstTime) updates++;
    if (threads) item.thread = record?.thread ? { mode: 'reply', ref: record.thread, name: card.title } : { mode: 'start', name: card.title };
    items.push(item);
    tellings.push({ story: id, facts: factsOf(card), ...known });
  }
  if (items.length === 0 && quiet.length === 0) return undefined;
  const fresh = items.length - updates;
  const said = [fresh > 0 ? plural(fresh, 'new story') : '', updates > 0 ? plural(updates, 'story update') : '', quiet.length > 0 ? `${quiet.length} with nothing new` : '']
    .filter(Boolean)
    .join(', ');
  let text: string;
  if (selection.first) {
    const n = items.length + quiet.length;
    text = `Your first briefbot digest: ${n === 1 ? 'the latest story' : `the latest ${n} stories`}.`;
  } else {
    text = `briefbot digest${options.since ? ` since ${formatLocal(options.since, options.timezone)}` : ''}: ${said}.`;
  }
  if (threads && items.some((i) => i.thread?.mode === 'reply')) text += ' Updates are in their stories’ threads.';
  if (selection.left > 0) text += ` ${selection.left} more briefings in /articles.`;
  return { text, items, quiet, tellings };
}

/** The card of one-line stories with nothing material new, when there are any. */
export function quietCards(digest: StoryDigest): ReplyCard[] {
  return digest.quiet.length > 0 ? [{ title: 'No material change', sections: [{ items: digest.quiet }] }] : [];
}

/** A story digest as the content the renderers take, when the channel has threads off: one message run. */
export function storyDigestContent(digest: StoryDigest): DigestContent {
  return { text: digest.text, cards: [...digest.items.map((i) => i.card), ...quietCards(digest)], items: digest.items.length + digest.quiet.length, stories: true };
}

/** The ledger of a channel never told anything. */
const NOTHING_TOLD: StoryLedger = { told: async () => new Map(), forget: async () => 0 };

/**
 * The first digest a channel would get (for `/digest now` where no digest is set up, and in the
 * console): by story where stories are kept, every story as new; else one item per briefing.
 */
export async function firstDigestOf(library: Library, stories: StoryBook | undefined, settings: { backfill: number; maxItems: number }): Promise<DigestContent | undefined> {
  if (!stories) return firstDigest(library, settings);
  const selection = await firstSelection(library, settings);
  if (selection.entries.length === 0) return undefined;
  const digest = await composeStoryDigest({ stories, ledger: NOTHING_TOLD }, { id: 0 }, selection, { timezone: 'UTC' });
  return digest ? storyDigestContent(digest) : undefined;
}
