import type { Article } from '../articles/article.js';
import { buildDocument, type ArticleDocument } from './document.js';
import { findEntities } from './entities.js';
import { extractFigures, findConflicts } from './figures.js';
import { extractQuotes } from './quotes.js';
import { createAttribution } from './attribution.js';
import { MAX_KEY_POINTS, type Briefing, type BriefingOptions, type KeyPoint, type SetAside } from './schema.js';
import { classifyAll } from './stance.js';
import { isOpinionPiece } from './genre.js';
import { isQuestion, rankSentences, selectKeyPoints, standsAlone, toTldr, withoutDateline, type RankedSentence, type SummaryWeights, DEFAULT_WEIGHTS } from './summarize.js';

const WORDS_PER_MINUTE = 230;

/** How many key points an article of this length gets when the caller does not fix it. */
function defaultPointCount(eligible: number, wordCount: number): number {
  const wanted = wordCount < 250 ? 3 : wordCount < 700 ? 4 : 5;
  return Math.min(wanted, eligible);
}

export interface EngineOptions extends BriefingOptions {
  /** Ranking weights, for tuning; the defaults are what the eval measured. */
  weights?: SummaryWeights;
}

/**
 * Turns an article into a briefing. Pure: no I/O, no clock, no randomness; the same article
 * always gives the same briefing.
 */
export function createBriefing(article: Article, options: EngineOptions = {}): Briefing {
  const doc = buildDocument(article);
  return briefDocument(article, doc, options);
}

export function briefDocument(article: Article, doc: ArticleDocument, options: EngineOptions = {}): Briefing {
  const weights = options.weights ?? DEFAULT_WEIGHTS;
  const stances = classifyAll(doc);
  const entities = findEntities(doc, (i) => stances[i]?.role !== 'boilerplate');
  const attribution = createAttribution(doc, entities, article.author ? { author: article.author } : {});
  const quotes = extractQuotes(doc, attribution);
  const figures = extractFigures({ doc, entities, quotes, attribution });
  const conflicts = findConflicts(figures, doc);

  const ranked = rankSentences(doc, stances, weights);
  const count = options.points !== undefined ? Math.min(Math.max(1, options.points), MAX_KEY_POINTS, ranked.length) : defaultPointCount(ranked.length, doc.wordCount);
  const chosen = selectKeyPoints(ranked, count, weights);
  const keyPoints: KeyPoint[] = chosen.map((r) => ({ text: withoutDateline(r.sentence.text), sentence: r.sentence.index }));

  const tldr = chooseTldr(ranked) ?? fallbackTldr(article, doc);

  const opinion: SetAside[] = [];
  const boilerplate: SetAside[] = [];
  doc.sentences.forEach((s, i) => {
    const stance = stances[i];
    if (stance?.role === 'opinion') opinion.push({ text: s.text, reason: stance.reason ?? 'opinion', sentence: s.index });
    if (stance?.role === 'boilerplate') boilerplate.push({ text: s.text, reason: stance.reason ?? 'boilerplate', sentence: s.index });
  });

  const byline: Briefing['byline'] = {};
  if (article.author) byline.author = article.author;
  if (article.published) byline.published = article.published;
  if (article.outlet) byline.outlet = article.outlet;
  if (article.url) byline.url = article.url;

  const briefing: Briefing = {
    id: article.id,
    title: article.title,
    byline,
    tldr: tldr.text,
    keyPoints,
    figures,
    conflicts,
    quotes: quotes.map(({ spans: _spans, ...quote }) => quote),
    opinion,
    boilerplate,
    highlights: article.highlights,
    people: entities.people,
    places: entities.places,
    organizations: entities.organizations,
    tags: article.tags,
    wordCount: doc.wordCount,
    readingMinutes: Math.max(1, Math.round(doc.wordCount / WORDS_PER_MINUTE)),
  };
  if (tldr.sentence !== undefined) briefing.tldrSentence = tldr.sentence;
  if (article.standfirst) briefing.standfirst = article.standfirst;
  if (isOpinionPiece(article)) briefing.genre = 'opinion';
  return briefing;
}

interface Tldr {
  text: string;
  /** The sentence it is taken from, when it is one. */
  sentence?: number;
}

/**
 * The TL;DR: the best-ranked statement that fits in 280 characters and can be read on its own;
 * failing that, the best that fits.
 */
function chooseTldr(ranked: RankedSentence[]): Tldr | undefined {
  let firstFitting: Tldr | undefined;
  for (const r of [...ranked].sort((a, b) => b.score - a.score)) {
    const text = toTldr(r.sentence.text);
    if (text === undefined) continue;
    const candidate = { text, sentence: r.sentence.index };
    if (standsAlone(text) && !isQuestion(text)) return candidate;
    firstFitting ??= candidate;
  }
  return firstFitting;
}

/** For an article with no sentence fit to lead: its first sentence, cut at a word boundary. */
function fallbackTldr(article: Article, doc: ArticleDocument): Tldr {
  const first = doc.sentences.find((s) => !s.heading);
  const text = first?.text ?? article.title;
  if (text.length <= 280) return first ? { text, sentence: first.index } : { text };
  const cut = text.slice(0, 279);
  return { text: cut.slice(0, Math.max(cut.lastIndexOf(' '), 200)).trimEnd() + '…' };
}
