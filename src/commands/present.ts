import { keyPointsBesideTldr, type Briefing, type Figure, type Quote } from '../briefing/index.js';
import type { BriefingChanges, LibraryEntry, QuoteHit } from '../library/library.js';
import { OPINION_NOTE, type ReplyButton, type ReplyCard, type ReplySection } from '../reply/reply.js';

/**
 * How a briefing reads in chat, platform-neutral: the renderers decide the markup.
 * `tldr` is the one line; `short` adds the key points; `full` adds figures, conflicts, quotes,
 * the publisher's highlights and what was set aside as opinion or boilerplate.
 */

export const LENGTHS = ['tldr', 'short', 'full'] as const;
export type Length = (typeof LENGTHS)[number];

export function formatDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  return iso.slice(0, 10);
}

export function footerOf(briefing: Briefing): string {
  const parts: string[] = [];
  if (briefing.byline.outlet) parts.push(briefing.byline.outlet);
  if (briefing.byline.author) parts.push(`by ${briefing.byline.author}`);
  const date = formatDate(briefing.byline.published);
  if (date) parts.push(date);
  parts.push(`${briefing.readingMinutes} min read`);
  parts.push(`id: ${briefing.id}`);
  return parts.join(' · ');
}

/** Currency words the figures carry in the singular, with their plural for display. */
const PLURAL_UNITS: Record<string, string> = { cent: 'cents', euro: 'euros', dollar: 'dollars', pound: 'pounds', penny: 'pence' };

/**
 * The unit a figure's value does not spell out ("19" with unit "cent" reads "19 cents", "2.4
 * billion" with "euro" reads "2.4 billion euros"); nothing when the value or what it counts
 * already says it ("$800 million", "0.9 per cent", "275 pound-feet").
 */
function unitToShow(figure: Figure): string {
  const unit = figure.unit;
  if (!unit) return '';
  const written = `${figure.value} ${figure.what}`.toLowerCase();
  if (written.includes(unit.toLowerCase()) || (unit === '%' && /per ?cent|%/.test(written)) || /^\p{Sc}$/u.test(unit)) return '';
  return figure.quantity !== 1 ? (PLURAL_UNITS[unit] ?? unit) : unit;
}

export function formatFigure(figure: Figure): string {
  let line = [figure.value, unitToShow(figure), figure.what].filter(Boolean).join(' ');
  const notes: string[] = [];
  if (figure.hedge) notes.push(figure.hedge);
  if (figure.attributedTo) notes.push(`per ${figure.attributedTo}`);
  if (notes.length > 0) line += ` (${notes.join('; ')})`;
  return line;
}

export function formatSpeaker(speaker: string | undefined, role: string | undefined): string {
  if (!speaker) return 'unattributed';
  return role ? `${speaker}, ${role}` : speaker;
}

/** Who said a quote: the named speaker, else how the article describes one it does not name ("as described: a senior aide"). */
export function formatQuoteSpeaker(quote: Pick<Quote, 'speaker' | 'role' | 'source'>): string {
  return !quote.speaker && quote.source ? `as described: ${quote.source}` : formatSpeaker(quote.speaker, quote.role);
}

export function formatQuote(quote: Pick<Quote, 'text' | 'speaker' | 'role' | 'source'>): string {
  return `“${quote.text}” — ${formatQuoteSpeaker(quote)}`;
}

export function moreHint(briefing: Briefing): string {
  return `/brief ${briefing.id} length:full`;
}

/** What a figure counts as words, lower case, without a plural -s: "North Korean engineers" → ["north", "korean", "engineer"]. */
function whatWords(what: string): string[] {
  return what
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

/** Whether the words of `short` end the words of `long`: "engineers" ends "North Korean engineers". */
function endsWith(long: string[], short: string[]): boolean {
  return short.length > 0 && short.length <= long.length && short.every((w, i) => long[long.length - short.length + i] === w);
}

/**
 * The figures as a list to read: a figure the article gives again later ("6,000 engineers", then
 * "the 6,000 North Korean engineers") is shown once, where it first appears. Only the same number
 * of the same thing, with the same hedge and the same source, is taken for the same figure: one
 * phrase of what it counts must end the other, so "2,000 Russian soldiers" and "2,000 Ukrainian
 * soldiers" stay two, and a figure that does not say what it counts is never folded.
 */
export function distinctFigures(figures: readonly Figure[]): Figure[] {
  const shown: Figure[] = [];
  for (const f of figures) {
    const words = whatWords(f.what);
    const same = shown.some((g) => {
      if (g.quantity !== f.quantity || (g.unit ?? '') !== (f.unit ?? '') || (g.hedge ?? '') !== (f.hedge ?? '') || (g.attributedTo ?? '') !== (f.attributedTo ?? '')) return false;
      const other = whatWords(g.what);
      return endsWith(words, other) || endsWith(other, words);
    });
    if (!same) shown.push(f);
  }
  return shown;
}

function figuresSections(briefing: Briefing): ReplySection[] {
  const sections: ReplySection[] = [];
  const figures = distinctFigures(briefing.figures.filter((f) => f.unit !== 'fraction'));
  if (figures.length > 0) sections.push({ heading: 'Key figures', items: figures.map(formatFigure) });
  if (briefing.conflicts.length > 0) sections.push({ heading: 'Figures that disagree', items: briefing.conflicts.map((c) => c.note) });
  return sections;
}

function quoteSection(briefing: Briefing): ReplySection[] {
  if (briefing.quotes.length === 0) return [];
  return [{ heading: 'Who said what', items: briefing.quotes.map(formatQuote) }];
}

export function briefingCard(briefing: Briefing, length: Length): ReplyCard {
  const card: ReplyCard = { title: briefing.title, description: briefing.tldr, sections: [], footer: footerOf(briefing), more: moreHint(briefing) };
  if (briefing.genre === 'opinion') card.sections.push({ text: OPINION_NOTE });
  if (briefing.byline.url) card.url = briefing.byline.url;
  if (length === 'tldr') return card;
  const points = keyPointsBesideTldr(briefing).map((k) => k.text);
  if (points.length > 0) card.sections.push({ heading: 'Key points', items: points });
  if (length === 'short') return card;
  card.sections.push(...figuresSections(briefing), ...quoteSection(briefing));
  if (briefing.standfirst) card.sections.push({ heading: "The publisher's standfirst (not our summary)", items: [briefing.standfirst] });
  if (briefing.highlights.length > 0) card.sections.push({ heading: "The publisher's highlights (not our summary)", items: briefing.highlights });
  if (briefing.opinion.length > 0) card.sections.push({ heading: 'Opinion, set apart', items: briefing.opinion.map((o) => o.text) });
  if (briefing.boilerplate.length > 0) card.sections.push({ heading: 'Boilerplate, set apart', items: briefing.boilerplate.map((o) => `${o.text} [${o.reason}]`) });
  const names: string[] = [];
  if (briefing.people.length > 0) names.push(`People: ${briefing.people.join(', ')}`);
  if (briefing.places.length > 0) names.push(`Places: ${briefing.places.join(', ')}`);
  if (briefing.organizations.length > 0) names.push(`Organizations: ${briefing.organizations.join(', ')}`);
  if (names.length > 0) card.sections.push({ heading: 'Names', items: names });
  return card;
}

export function figuresCard(briefing: Briefing): ReplyCard {
  const sections = figuresSections(briefing);
  return { title: briefing.title, sections: sections.length > 0 ? sections : [{ text: 'No key figures in this article.' }], footer: footerOf(briefing), more: moreHint(briefing) };
}

export function quotesCard(briefing: Briefing): ReplyCard {
  const sections = quoteSection(briefing);
  return { title: briefing.title, sections: sections.length > 0 ? sections : [{ text: 'No direct quotes in this article.' }], footer: footerOf(briefing), more: moreHint(briefing) };
}

export function briefingButtons(briefing: Briefing): ReplyButton[] {
  return [
    { id: `brief:figures:${briefing.id}`, label: 'Key figures' },
    { id: `brief:quotes:${briefing.id}`, label: 'Quotes' },
    { id: `brief:full:${briefing.id}`, label: 'Full briefing' },
  ];
}

export function quoteHitItem(hit: QuoteHit): string {
  const where = [hit.articleTitle, formatDate(hit.published)].filter(Boolean).join(', ');
  return `“${hit.quote}” — ${formatQuoteSpeaker(hit)} (${where}; id: ${hit.articleId})`;
}

export function articleLine(entry: LibraryEntry): string {
  const b = entry.briefing;
  const date = formatDate(b.byline.published) ?? formatDate(entry.ingestedAt);
  return `${b.title} — ${date ?? 'undated'} · id: ${b.id}`;
}

function speakerSuffix(q: { speaker?: string }): string {
  return q.speaker ? ` — ${q.speaker}` : '';
}

/** The changes as plain-text lines, most telling first, for a reply section or a log line. */
export function describeChanges(changes: BriefingChanges): string[] {
  const lines: string[] = [];
  if (changes.headline) lines.push(`Headline: “${changes.headline.before}” → “${changes.headline.after}”`);
  for (const f of changes.figuresChanged) lines.push(`Figure changed: ${f.before} → ${f.after}`);
  for (const f of changes.figuresAdded) lines.push(`New figure: ${f}`);
  for (const f of changes.figuresRemoved) lines.push(`Figure removed: ${f}`);
  for (const q of changes.quotesAdded) lines.push(`New quote: “${q.text}”${speakerSuffix(q)}`);
  for (const q of changes.quotesRemoved) lines.push(`Quote removed: “${q.text}”${speakerSuffix(q)}`);
  if (changes.tldr && !changes.headline) lines.push(`TL;DR now: ${changes.tldr.after}`);
  for (const k of changes.keyPointsAdded.slice(0, 3)) lines.push(`New key point: ${k}`);
  if (lines.length === 0) {
    lines.push(changes.wordCount ? `Text edited (${changes.wordCount.before} → ${changes.wordCount.after} words); the briefing reads the same.` : 'Wording edited; the briefing reads the same.');
  }
  return lines;
}
