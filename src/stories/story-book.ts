import type { Article } from '../articles/article.js';
import type { Library, LibraryEntry } from '../library/library.js';
import { terms } from '../library/search-text.js';
import type { StoryArticle } from './features.js';
import { storyArticleFromArticle } from './from-article.js';
import { storedReport, type OutletReport } from './outlet-report.js';
import { buildStoryCard, type StoryCard } from './story-card.js';
import { createStoryIndex, type Story, type StoryIndex, type StoryOptions } from './story-index.js';

/**
 * The stories of a library: the grouping engine run over the library's briefings in the order
 * they were first added. The library is what is stored and shared; the stories are derived from
 * it, deterministically, so every replica reading the same library (PostgreSQL) holds the same
 * stories with the same ids without storing them, and a restart rebuilds them by reading the
 * library again. `refresh()` catches up with what was added since (by this process or another),
 * in position order, so all replicas group the same articles in the same order. The lookups do
 * not catch up themselves: a caller refreshes once and then asks as often as it needs (a digest
 * refreshes once per channel, not per story, and concurrent refreshes share one catch-up).
 *
 * A briefing whose article the store did not keep (rows from before articles were kept) is
 * grouped by what its briefing holds: title, TL;DR and key points.
 */

export interface StoryBookOptions {
  library: Library;
  grouping?: Partial<StoryOptions>;
  /** Stories with no article for this many days before the newest one are dropped from memory. */
  keepDays?: number;
  /** How many briefings each catch-up reads at a time. */
  batch?: number;
}

export interface StorySearch {
  /** Words of the title or of any of its articles' titles; none: every story. */
  words?: string;
  limit?: number;
}

export interface StoryBook {
  /** Catches up with the library; resolves once every briefing added so far is grouped. Call it before the lookups. */
  refresh(): Promise<void>;
  /** The story an article is in. */
  storyOf(articleId: string): Promise<Story | undefined>;
  /** A story by id, or by the id of an article in it (a story merged into another answers as that one). */
  story(id: string): Promise<Story | undefined>;
  /** Stories with the latest news first, optionally those whose titles hold every word. */
  search(query?: StorySearch): Promise<Story[]>;
  /** Each article of the story as a report the comparisons read, in the story's order; unreadable ones left out. */
  reports(story: Story): Promise<OutletReport[]>;
  /** The story's card, drawn from all its outlets. */
  card(story: Story): Promise<StoryCard>;
}

function fromBriefing(entry: LibraryEntry): StoryArticle {
  const b = entry.briefing;
  return {
    id: b.id,
    title: b.title,
    text: [b.tldr, ...b.keyPoints.map((k) => k.text)].join('\n\n'),
    published: b.byline.published ?? null,
    outlet: b.byline.outlet ?? null,
    url: b.byline.url ?? null,
  };
}

/** Cards kept made: the stories of one digest run, many channels each. */
const CARD_CACHE = 200;

export function createStoryBook(options: StoryBookOptions): StoryBook {
  const { library } = options;
  const batch = Math.max(1, options.batch ?? 500);
  const keepMs = (options.keepDays ?? 30) * 86_400_000;
  const index: StoryIndex = createStoryIndex(options.grouping);
  /** Each grouped article's title, for search. */
  const titles = new Map<string, string>();
  let position = 0;
  let newest = Number.NEGATIVE_INFINITY;
  let catchingUp: Promise<void> | undefined;
  const cards = new Map<string, StoryCard>();

  const catchUp = async (): Promise<void> => {
    for (;;) {
      const page = await library.addedSince(position, batch);
      const ids = page.items.map((e) => e.briefing.id);
      const articles = ids.length > 0 ? await library.articles(ids) : new Map<string, Article>();
      for (const entry of page.items) {
        const article = articles.get(entry.briefing.id);
        const input = article ? storyArticleFromArticle(article) : fromBriefing(entry);
        if (index.storyOf(input.id) !== undefined) continue;
        const assignment = index.add(input);
        titles.set(assignment.article, entry.briefing.title);
        const t = Date.parse(input.published ?? '');
        if (!Number.isNaN(t) && t > newest) newest = t;
      }
      position = page.position;
      if (!page.more) break;
    }
    if (Number.isFinite(newest) && index.forget(new Date(newest - keepMs).toISOString()) > 0) {
      for (const id of titles.keys()) if (index.storyOf(id) === undefined) titles.delete(id);
    }
  };

  /** The catch-up waiting for the running one to end, if any: every call meanwhile shares it. */
  let queued: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    // One catch-up at a time; a call during one waits for it and then catches up again. Calls
    // while a catch-up waits to start share it (it starts after they were made, so it sees what
    // they would): ten thousand channels refreshing at once make two catch-ups, not ten thousand.
    if (queued) return queued;
    const next = (catchingUp ?? Promise.resolve()).then(() => {
      queued = undefined;
      return catchUp();
    });
    queued = next;
    catchingUp = next.catch(() => undefined);
    return next;
  };

  const story = async (id: string): Promise<Story | undefined> => {
    const own = index.storyOf(id);
    return index.story(id) ?? (own === undefined ? undefined : index.story(own));
  };

  /** The story's entries, read once: a card's cache key and its reports both come from them. */
  const entriesOf = async (s: Story): Promise<LibraryEntry[]> =>
    (await Promise.all(s.articles.map((id) => library.get(id)))).filter((e): e is LibraryEntry => e !== undefined);

  const reportsOf = async (entries: readonly LibraryEntry[]): Promise<OutletReport[]> => {
    const articles = await library.articles(entries.map((e) => e.briefing.id));
    return entries.map((e) => storedReport(e.briefing, articles.get(e.briefing.id)));
  };

  return {
    refresh,
    storyOf: async (articleId) => {
      const id = index.storyOf(articleId);
      return id === undefined ? undefined : index.story(id);
    },
    story,
    async search(query = {}) {
      const words = query.words ? terms(query.words) : [];
      const all = index.stories().filter((s) => {
        if (words.length === 0) return true;
        const hay = new Set(terms([s.title, ...s.articles.map((a) => titles.get(a) ?? '')].join(' ')));
        return words.every((w) => hay.has(w) || [...hay].some((h) => h.startsWith(w) && w.length >= 3));
      });
      all.sort((a, b) => (a.lastSeen === b.lastSeen ? (a.id < b.id ? -1 : 1) : a.lastSeen < b.lastSeen ? 1 : -1));
      return all.slice(0, Math.max(1, query.limit ?? 10));
    },
    reports: async (s) => reportsOf(await entriesOf(s)),
    async card(s) {
      // A digest fan-out asks for the same story once per channel: the card is made once while
      // the story and its briefings stay as they are (a revision changes a briefing's hash).
      const entries = await entriesOf(s);
      const key = `${s.id}\n${entries.map((e) => `${e.briefing.id}:${e.contentHash}`).join(',')}`;
      const cached = cards.get(key);
      if (cached) return cached;
      const card = buildStoryCard(s, await reportsOf(entries));
      if (cards.size >= CARD_CACHE) cards.delete(cards.keys().next().value!);
      cards.set(key, card);
      return card;
    },
  };
}
