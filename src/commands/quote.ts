import type { QuoteHit } from '../library/library.js';
import { errorReply } from '../reply/reply.js';
import { differenceLabels } from '../reply/story-cards.js';
import { storedReport, type OutletReport } from '../stories/outlet-report.js';
import { compareQuoteVersions, type QuoteGroup } from '../stories/quote-versions.js';
import { formatQuoteSpeaker, formatSpeaker, quoteHitItem } from './present.js';
import type { Command, CommandData, CommandInput, CommandServices } from './types.js';

/** How many quotes one answer shows: enough to choose from, few enough to read in a chat. */
export const QUOTE_LIMIT = 5;

/** The best quotes for the words and filters given; a filter naming no known article is a refusal. */
async function findQuotes(input: CommandInput, { library }: CommandServices): Promise<CommandData<QuoteHit[]>> {
  const query = input.options.query as string;
  const speaker = input.options.speaker as string | undefined;
  const article = input.options.article as string | undefined;
  if (article && !(await library.find(article))) return { refusal: errorReply(`No article matches "${article}". Use /articles to see what is loaded.`) };
  return { value: await library.searchQuotes({ query, ...(speaker ? { speaker } : {}), ...(article ? { article } : {}), limit: QUOTE_LIMIT }) };
}

/** One quote as several outlets printed it: the hits (indexes) that are versions of it, and the group compared. */
interface Versions {
  hits: number[];
  group: QuoteGroup;
}

/** Whether a group's version is this hit: the same article and the same words. */
function versionIndex(group: QuoteGroup, hit: QuoteHit): number {
  return group.versions.findIndex((v) => v.briefingId === hit.articleId && v.quote.text === hit.quote);
}

/**
 * Hits that are versions of one quote, grouped. Hits from one story are compared as the story
 * compares them (every report of the story, so an outlet whose version did not rank still shows);
 * hits left over are compared with each other by their words, as versions of one quote by one
 * speaker. A quote one outlet alone printed stays a hit of its own.
 */
async function groupVersions(hits: readonly QuoteHit[], { library, stories }: CommandServices): Promise<Versions[]> {
  const articles = [...new Set(hits.map((h) => h.articleId))];
  if (articles.length < 2) return [];
  const out: Versions[] = [];
  const placed = new Set<number>();
  const place = (groups: QuoteGroup[]): void => {
    for (const group of groups) {
      const mine = hits.flatMap((h, i) => (!placed.has(i) && versionIndex(group, h) >= 0 ? [i] : []));
      if (mine.length === 0) continue;
      for (const i of mine) placed.add(i);
      out.push({ hits: mine, group });
    }
  };
  if (stories) {
    await stories.refresh();
    const byStory = new Map<string, Set<string>>();
    for (const id of articles) {
      const story = await stories.storyOf(id);
      if (story) byStory.set(story.id, (byStory.get(story.id) ?? new Set()).add(id));
    }
    for (const [id, members] of byStory) {
      if (members.size < 2) continue;
      const story = await stories.story(id);
      if (story) place(compareQuoteVersions(await stories.reports(story)));
    }
  }
  const left = [...new Set(hits.filter((_, i) => !placed.has(i)).map((h) => h.articleId))];
  if (left.length >= 2) {
    const stored = await library.articles(left);
    const reports: OutletReport[] = [];
    for (const id of left) {
      const entry = await library.get(id);
      if (!entry) continue;
      const texts = new Set(hits.filter((h, i) => !placed.has(i) && h.articleId === id).map((h) => h.quote));
      // Only the quotes found: the comparison is of these hits, not of everything the article says.
      reports.push(storedReport({ ...entry.briefing, quotes: entry.briefing.quotes.filter((q) => texts.has(q.text)) }, stored.get(id), { sentences: false }));
    }
    place(compareQuoteVersions(reports));
  }
  return out;
}

/** “…” — Speaker, role (Outlet A, Outlet B; Outlet C differs: negation dropped). */
export function versionsItem(group: QuoteGroup): string {
  const ref = group.versions[group.reference]!;
  const same = group.versions.filter((v) => v.differences.length === 0).map((v) => v.outlet);
  const differ = group.versions.filter((v) => v.differences.length > 0).map((v) => `${v.outlet} differs: ${differenceLabels(v.differences)}`);
  const speaker = group.speaker === undefined && !ref.quote.speaker ? formatQuoteSpeaker(ref.quote) : formatSpeaker(group.speaker ?? ref.quote.speaker, ref.quote.speaker === group.speaker ? ref.quote.role : undefined);
  return `“${ref.quote.text}” — ${speaker} (${[same.join(', '), ...differ].filter(Boolean).join('; ')})`;
}

/** The answer's items in rank order: a quote's versions as one item where its first hit ranked, every other hit as it is. */
async function quoteItems(hits: readonly QuoteHit[], services: CommandServices): Promise<string[]> {
  const groups = await groupVersions(hits, services);
  const groupOf = new Map<number, Versions>();
  for (const g of groups) for (const i of g.hits) groupOf.set(i, g);
  const items: string[] = [];
  const shown = new Set<Versions>();
  hits.forEach((hit, i) => {
    const g = groupOf.get(i);
    if (!g) items.push(quoteHitItem(hit));
    else if (!shown.has(g)) {
      shown.add(g);
      items.push(versionsItem(g.group));
    }
  });
  return items;
}

export const quoteCommand: Command<QuoteHit[]> = {
  name: 'quote',
  description: 'Find who said what across every briefing: by words of the quote or the speaker.',
  usage: '/quote <query> [speaker] [article]',
  examples: ['/quote Peskov', '/quote never forget', '/quote support speaker:kim'],
  ephemeral: false,
  options: [
    { name: 'query', description: 'Words of the quote, or the speaker\'s name', type: 'string', required: true, maxLength: 200 },
    { name: 'speaker', description: 'Only quotes by this person (surname is enough)', type: 'string', autocomplete: 'speaker', maxLength: 100 },
    { name: 'article', description: 'Only quotes from this article', type: 'string', autocomplete: 'article', maxLength: 200 },
  ],
  data: findQuotes,
  async run(input, services) {
    const found = await findQuotes(input, services);
    if ('refusal' in found) return found.refusal;
    const hits = found.value;
    const query = input.options.query as string;
    const speaker = input.options.speaker as string | undefined;
    const article = input.options.article as string | undefined;
    if (hits.length === 0) {
      const scope = [speaker ? `by "${speaker}"` : '', article ? `in "${article}"` : ''].filter(Boolean).join(' ');
      return errorReply(`No quotes match "${query}"${scope ? ' ' + scope : ''}.`);
    }
    const items = await quoteItems(hits, services);
    return {
      ephemeral: false,
      text: `${items.length} quote${items.length === 1 ? '' : 's'} for "${query}"`,
      cards: [{ sections: [{ items }] }],
      buttons: [],
    };
  },
};
