import type { LedgerFact, ToldFact } from '../store/story-ledger.js';
import { contentStems, restates } from './merge-points.js';
import type { StoryCard } from './story-card.js';

/**
 * What is new in a story for one channel: the story card's facts set against what the channel's
 * ledger says it was told. Pure.
 *
 * A fact is told when the channel is given the story: its key points, every figure (lined up or
 * given by one outlet), every quote with a named speaker, and every outlet. What counts as the
 * same fact again:
 * - a key point: one the channel was told that says the same with no other number (the merge's
 *   `restates`), since the card may show another outlet's sentence for it next time;
 * - a figure: the same measure (what is counted, and the unit); a different value is a change;
 * - a quote: the same speaker, with half its words or more in a told quote of theirs;
 * - an outlet: its name.
 * New key points, new figures, changed figures and new quotes are material; a new outlet alone
 * (one more outlet saying what was said) is not.
 */

export interface FigureChange {
  measure: string;
  /** The figure now, as the card says it: "12,000 (Zelensky, as of 2025-12-04)". */
  now: string;
  value: string;
  /** What the channel was told before, when it was told a different value. */
  was?: LedgerFact;
}

export interface StoryNews {
  /** The channel was never told this story. */
  firstTime: boolean;
  points: string[];
  /** Figures new to the channel, and figures whose value changed. */
  figures: FigureChange[];
  quotes: Array<{ text: string; speaker: string; outlet: string }>;
  outlets: string[];
  /** Anything a reader needs to hear: a first telling, or a new point, figure or quote. */
  material: boolean;
}

/**
 * A text as a ledger key: case and accents folded, every run of other characters one space
 * ("O'Brien" → "o brien"). The keys are stored: changing this needs a migration of the ledger's
 * keys, or channels are told again what they were told (unlike the library's search fold, which
 * drops apostrophes and can change freely).
 */
const fold = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

export function figureKey(measure: string, unit: string | undefined): string {
  return `figure:${fold(measure)}|${unit ? fold(unit) : ''}`;
}

function quoteWords(text: string): Set<string> {
  return new Set(fold(text).split(' ').filter((w) => w.length > 0));
}

/** The share of `a`'s words found in `b`. */
function shareIn(a: Set<string>, b: Set<string>): number {
  if (a.size === 0) return 0;
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n / a.size;
}

function dayOf(iso: string | undefined): string | undefined {
  return iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : undefined;
}

/** A fact of the card with what the news needs beside what the ledger keeps. */
interface CardFact {
  fact: ToldFact;
  /** Figures: the measure, and the figure as the card says it. */
  measure?: string;
  shown?: string;
  /** Quotes: the speaker as printed and the outlet that printed it. */
  speaker?: string;
  outlet?: string;
}

function cardFacts(card: StoryCard): CardFact[] {
  const facts = new Map<string, CardFact>();
  const put = (item: CardFact): void => {
    if (!facts.has(item.fact.key)) facts.set(item.fact.key, item);
  };
  // The merged points first (the card's order), then every other point an outlet made: a channel
  // given the story was given all of them (the card's /story view shows them), so none is new later.
  for (const point of [card.tldr, ...card.keyPoints, ...card.reportedPoints]) put({ fact: { kind: 'point', key: `point:${fold(point.text)}`, value: point.text, text: point.text } });
  const figure = (measure: string, unit: string | undefined, value: string, by: string, asOf: string | undefined): void => {
    const shown = `${value} (${by}${asOf ? `, as of ${asOf}` : ''})`;
    put({ fact: { kind: 'figure', key: figureKey(measure, unit), value, text: `${measure}: ${shown}` }, measure, shown });
  };
  for (const line of card.figures) {
    const latest = line.readings[line.readings.length - 1]!;
    figure(line.measure, line.unit, latest.figure.value, latest.assertedBy, latest.asOf ?? dayOf(latest.published));
  }
  for (const solo of card.soloFigures) figure(solo.figure.what, solo.figure.unit, solo.figure.value, solo.figure.attributedTo ?? solo.outlet, dayOf(solo.published));
  const quotes = [
    ...card.quotes.filter((g) => g.speaker).map((g) => ({ speaker: g.speaker!, version: g.versions[g.reference]! })),
    ...card.soloQuotes.map((q) => ({ speaker: q.quote.speaker!, version: q })),
  ];
  for (const { speaker, version } of quotes) {
    const text = version.quote.text;
    put({ fact: { kind: 'quote', key: `quote:${fold(speaker)}|${fold(text)}`, value: text, text: `“${text}” (${speaker})` }, speaker, outlet: version.outlet });
  }
  for (const outlet of card.coverage.outlets) put({ fact: { kind: 'outlet', key: `outlet:${fold(outlet)}`, value: outlet, text: outlet } });
  return [...facts.values()];
}

/** Every fact of the card, as a channel given the story holds it from then on. */
export function factsOf(card: StoryCard): ToldFact[] {
  return cardFacts(card).map((c) => c.fact);
}

/** What is new in the card for a channel whose ledger holds `told` for this story (undefined or empty: never told). */
export function newsFor(card: StoryCard, told: readonly LedgerFact[] | undefined): StoryNews {
  if (!told || told.length === 0) return { firstTime: true, points: [], figures: [], quotes: [], outlets: [], material: true };
  const toldPoints = told.filter((f) => f.kind === 'point').map((f) => contentStems(f.value));
  const toldFigures = new Map(told.filter((f) => f.kind === 'figure').map((f) => [f.key, f]));
  const speakerOf = (key: string): string => key.slice('quote:'.length).split('|')[0]!;
  const toldQuotes = told.filter((f) => f.kind === 'quote').map((f) => ({ speaker: speakerOf(f.key), words: quoteWords(f.value) }));
  const toldOutlets = new Set(told.filter((f) => f.kind === 'outlet').map((f) => f.key));

  const news: StoryNews = { firstTime: false, points: [], figures: [], quotes: [], outlets: [], material: false };
  const newPoints: Array<Set<string>> = [];
  for (const { fact, measure, shown, speaker, outlet } of cardFacts(card)) {
    switch (fact.kind) {
      case 'point': {
        const stems = contentStems(fact.value);
        // New if the channel was told nothing like it, and not a repeat of a new point already listed.
        if (toldPoints.some((t) => restates(stems, t))) break;
        if (newPoints.some((t) => restates(stems, t))) break;
        newPoints.push(stems);
        news.points.push(fact.value);
        break;
      }
      case 'figure': {
        const before = toldFigures.get(fact.key);
        if (before && before.value === fact.value) break;
        news.figures.push({ measure: measure!, now: shown!, value: fact.value, ...(before ? { was: before } : {}) });
        break;
      }
      case 'quote': {
        const words = quoteWords(fact.value);
        if (toldQuotes.some((t) => t.speaker === speakerOf(fact.key) && shareIn(words, t.words) >= 0.5)) break;
        news.quotes.push({ text: fact.value, speaker: speaker!, outlet: outlet! });
        break;
      }
      case 'outlet':
        if (!toldOutlets.has(fact.key)) news.outlets.push(fact.value);
        break;
    }
  }
  // A new point that is the sentence of a new quote is said once, as the quote.
  news.points = news.points.filter((p) => !news.quotes.some((q) => p.includes(q.text)));
  news.material = news.points.length > 0 || news.figures.length > 0 || news.quotes.length > 0;
  return news;
}
