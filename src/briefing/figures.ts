import type { Figure } from './schema.js';
import type { ArticleDocument, Sentence } from './document.js';
import type { EntityIndex } from './entities.js';
import type { ExtractedQuote } from './quotes.js';
import { readNumberPhrases, type NumberPhrase } from './figures-phrases.js';
import { whatItMeasures } from './figures-what.js';
import { isCommonWord } from './lexicon.js';

export { findConflicts } from './figures-conflicts.js';

/**
 * Key figures: every number that counts or measures something, with what it counts, who asserts
 * it and the hedge the article puts on it. Reading the number phrases is `figures-phrases.ts`,
 * what they count is `figures-what.ts`, and the figures that disagree are `figures-conflicts.ts`.
 */

export interface FigureContext {
  doc: ArticleDocument;
  entities: EntityIndex;
  quotes: ExtractedQuote[];
}

const CLAIM_HEDGES = /\b(estimated?|estimates?|claimed|claims?|reportedly|allegedly|purportedly|unverified|unconfirmed|believed|thought to|said to|projected|expected|according to)\b/gi;
const CLAUSE_BOUNDARY = /;|,?\s+\b(?:while|but|whereas|although|though)\b/g;
/**
 * Words right before a number that make it the second of a pair, so that it counts what the first
 * did: "435 homes by sale and 187 by tender", "84.75 cents, while the lowest is 74.07", "rose 64.06
 * points to 4,577.10", "as many as 3,000 households, while the council says about 800 will be".
 */
const PARALLEL_BEFORE =
  /\b(?:and|or|to|from|while|whereas|versus|vs\.?|against|than|is|was|are|were|be|says|said|say|estimates?|estimated|puts? it at|compared (?:with|to))\s+(?:(?:about|around|roughly|nearly|almost|more than|over|less than|under|up to|some|just|only|as many as|an estimated|the)\s+)*$/i;

/** Between two numbers that share a unit written once: "8 or $9", "20 or 30 tweets". */
const LISTED_BEFORE = /^,?\s+(?:or|and)\s+(?:about\s+|around\s+|nearly\s+)?$/i;

/** A figure the reader can take in: a number with what it counts, or an amount that stands alone. */
function isShown(phrase: NumberPhrase, what: string): boolean {
  // "1 lime", "1 hour later": one of something is a detail, not a figure to show.
  if (phrase.kind === 'count' && phrase.quantity === 1 && !phrase.hedges.length) return false;
  if (phrase.kind !== 'count' || what) return true;
  // Two bare numbers joined by a dash are a score, pages or a code more often than a range: "1-1",
  // "685-690", "02-751".
  if (phrase.dashed) return false;
  // A bare number is shown when it has the form of an amount ("27,349.19", "200 million",
  // "about 1000"); a bare small integer is more often a label, a score or a list number.
  return phrase.amountShaped && !phrase.spelled;
}

export function extractFigures(ctx: FigureContext): Figure[] {
  const figures: Figure[] = [];
  for (const sentence of ctx.doc.sentences) {
    if (sentence.heading) continue;
    const text = sentence.text;
    const phrases = readNumberPhrases(text);
    if (phrases.length === 0) continue;
    const whats: string[] = [];
    for (const p of phrases) whats.push(whatItMeasures(text, p, p.tail));
    let previous: { phrase: NumberPhrase; what: string } | undefined;
    for (let i = 0; i < phrases.length; i++) {
      let phrase = phrases[i]!;
      let what = whats[i]!;
      if (!what && !phrase.unit && phrase.kind === 'count') {
        const next = phrases[i + 1];
        if (next && (next.unit || whats[i + 1]) && next.kind !== 'fraction' && LISTED_BEFORE.test(text.slice(phrase.end, next.start))) {
          // "8 or $9", "20 or 30 tweets": the first of a pair takes the unit or the noun written on the second.
          phrase = { ...phrase, kind: next.kind, ...(next.unit ? { unit: next.unit } : {}) };
          what = whats[i + 1]!;
        } else if (previous && previous.phrase.kind !== 'percent' && previous.phrase.kind !== 'fraction' && previous.phrase.end <= phrase.start) {
          // An elliptical second figure counts what the first did; a level after a percentage
          // change ("rose 8.15% to 3.65") is not a percentage.
          const gap = text.slice(previous.phrase.tail, phrase.start);
          if (gap.length <= 90 && PARALLEL_BEFORE.test(gap) && !/[:;(]/.test(gap)) {
            phrase = { ...phrase, kind: previous.phrase.kind, ...(previous.phrase.unit ? { unit: previous.phrase.unit } : {}) };
            what = previous.what;
          }
        }
      }
      // "lost 190 points, or 0.6%": the same change said again in another unit.
      if (!phrase.change && previous?.phrase.change && /^,?\s*or\s*$/.test(text.slice(previous.phrase.tail, phrase.start))) phrase = { ...phrase, change: previous.phrase.change };
      if (!isShown(phrase, what)) continue;
      previous = { phrase, what };
      const figure: Figure = { value: phrase.value, quantity: phrase.quantity, what, sentence: sentence.index };
      if (phrase.unit) figure.unit = phrase.unit;
      const by = attributionOf(sentence, sentence.start + phrase.start, ctx);
      if (by) figure.attributedTo = by;
      const hedge = hedgeOf(text, phrase);
      if (hedge) figure.hedge = hedge;
      figures.push(figure);
    }
  }
  return figures;
}

/**
 * The hedges on a figure: its own ("more than", "about", "up to"), the claims of its clause
 * ("estimated", "reportedly"), and the direction of a change ("up", "down"). Claims hedge the
 * figures of their own clause: in "opponents estimate 3,000, while the council says 800", only the
 * 3,000 is an estimate.
 */
function hedgeOf(sentenceText: string, phrase: NumberPhrase): string | undefined {
  const hedges = [...phrase.hedges];
  let clauseStart = 0;
  let clauseEnd = sentenceText.length;
  for (const b of sentenceText.matchAll(CLAUSE_BOUNDARY)) {
    const at = b.index ?? 0;
    if (at < phrase.start) clauseStart = at;
    else {
      clauseEnd = at;
      break;
    }
  }
  for (const claim of sentenceText.slice(clauseStart, clauseEnd).matchAll(CLAIM_HEDGES)) {
    const word = (claim[1] ?? '').toLowerCase();
    const label = word.startsWith('estimate') ? 'estimated' : word.startsWith('claim') ? 'claimed' : word;
    if (label && !hedges.includes(label)) hedges.push(label);
  }
  if (phrase.change) hedges.push(phrase.change);
  return hedges.length > 0 ? hedges.join(', ') : undefined;
}

// ---------------------------------------------------------------------------------------------
// Attribution: who asserts a figure. Kept together here, unchanged in behaviour, until the shared
// attribution module (attribution.ts) takes it over.

const ASSERTION_VERBS =
  /\b(said|says|say|told|claimed|claims|claim|estimated?|estimates|reported|reports|confirmed|believes?|announced|stated|put|puts|according to|warned|insisted|suggested|suggest|suggests|indicate|indicates|indicated|show|shows|showed)\b/gi;
const ACCORDING_TO = /according to ((?:the\s+)?(?:[\p{L}][\p{L}.'’-]*\s?){1,6}?)(?=[,.;:]|\s+(?:and|but|while|which|who|that|in|on|at|after|before)\b|$)/u;

/** What a sentence says about its sources, read once for all its figures. */
interface SentenceSources {
  according: RegExpExecArray | null;
  verbs: RegExpMatchArray[];
}
const sourcesRead = new WeakMap<Sentence, SentenceSources>();

function sourcesOf(sentence: Sentence): SentenceSources {
  let read = sourcesRead.get(sentence);
  if (!read) {
    read = { according: ACCORDING_TO.exec(sentence.text), verbs: [...sentence.text.matchAll(ASSERTION_VERBS)] };
    sourcesRead.set(sentence, read);
  }
  return read;
}

function attributionOf(sentence: Sentence, offsetInParagraph: number, ctx: FigureContext): string | undefined {
  // Inside a quote: the quote's speaker asserts it.
  for (const q of ctx.quotes) {
    for (const span of q.spans) {
      if (span.paragraph === sentence.paragraph && offsetInParagraph > span.open && offsetInParagraph < span.close) return q.speaker;
    }
  }
  const text = sentence.text;
  const { according, verbs } = sourcesOf(sentence);
  if (according?.[1] && (according.index ?? 0) >= 0) return normaliseAsserter(according[1], sentence, ctx);
  // The assertion that governs the figure: the last one before it, else the first after it.
  const at = offsetInParagraph - sentence.start;
  const verb = verbs.filter((v) => (v.index ?? 0) < at).pop() ?? verbs.find((v) => (v.index ?? 0) >= at);
  if (!verb) return undefined;
  const before = text.slice(0, verb.index).replace(/\s+(?:has|have|had|also|now|previously|reportedly)\s*$/i, '');
  const m = /((?:[\p{L}.'’-]+\s+){0,5}[\p{L}.'’-]+)\s*$/u.exec(before);
  if (!m?.[1]) return undefined;
  // Keep the phrase after the last clause break: "While exact figures remain unverified, South Korean intelligence sources".
  const phrase = m[1].split(/,\s*/).pop() ?? m[1];
  const words = phrase.split(/\s+/);
  const capital = words.findIndex((w) => /^\p{Lu}/u.test(w));
  // A name from its first capital ("South Korean intelligence sources"); else the last noun with its article ("the council").
  const from = capital >= 0 ? capital : words.length >= 2 && /^(?:the|a|an)$/i.test(words[words.length - 2]!) ? words.length - 2 : words.length - 1;
  const trimmed = words.slice(from).join(' ');
  if (/^(?:it|this|that|which|who|there|while|and|but)$/i.test(trimmed)) return undefined;
  return normaliseAsserter(trimmed, sentence, ctx);
}

function normaliseAsserter(phrase: string, sentence: Sentence, ctx: FigureContext): string | undefined {
  // "the Pentagon" is the Pentagon; "the council" stays a description.
  const clean = phrase.trim().replace(/[,.]$/, '').replace(/^[Tt]he\s+(?=\p{Lu})/u, '');
  if (!clean || !/[\p{L}]/u.test(clean)) return undefined;
  const pronoun = /^(?:he|she|they)$/i.test(clean);
  if (pronoun) {
    const people = ctx.entities.mentions.filter((m) => m.kind === 'person' && m.sentence <= sentence.index);
    return people[people.length - 1]?.name;
  }
  // "Reports indicate...": a sentence-initial common word is a vague source, not a name.
  if (!clean.includes(' ') && isCommonWord(clean)) return clean.toLowerCase();
  // Map "Ukrainian President Volodymyr Zelensky" to the person's canonical name.
  const words = clean.split(/\s+/);
  for (let k = 0; k < words.length; k++) {
    const key = words.slice(k).join(' ').toLowerCase().replace(/['’]s$/, '');
    const person = ctx.entities.personByKey.get(key);
    if (person) return person;
  }
  return clean;
}
