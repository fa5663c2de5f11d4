import type { Conflict, Figure } from './schema.js';
import type { ArticleDocument, Sentence } from './document.js';
import type { EntityIndex } from './entities.js';
import type { ExtractedQuote } from './quotes.js';
import { isCommonWord, isDemonym, lexiconTags } from './lexicon.js';
import { tokenize } from './tokens.js';

/**
 * Key figures: every number that counts something, with what it counts, who asserts it and
 * the hedge the article puts on it, and the groups of figures about the same thing that
 * disagree.
 */

const SCALE: Record<string, number> = {
  thousand: 1e3, k: 1e3, million: 1e6, m: 1e6, mn: 1e6, billion: 1e9, bn: 1e9, b: 1e9, trillion: 1e12, tn: 1e12,
};
const WORD_NUMBERS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100, hundreds: 100, a: 1, several: 3, dozens: 24,
  tens: 10,
};
const FRACTIONS: Record<string, number> = {
  half: 0.5, 'one-half': 0.5, 'a third': 1 / 3, 'one-third': 1 / 3, 'two-thirds': 2 / 3, 'a quarter': 0.25,
  'one-quarter': 0.25, 'three-quarters': 0.75, 'one-fifth': 0.2,
};
const MONTHS = /^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?$/i;

// A figure: optional currency, digits (with thousands separators or decimals) or number words
// with a scale, an optional range or "of N", an optional scale or percent.
const FIGURE =
  /(?<![\p{L}\p{N}.,])(?<cur>[$£€¥]|US\$|A\$|C\$)?(?<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(?<range>[–-]|to)\s?(?:[$£€¥])?(?<num2>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?))?(?<of>\s+of\s+(?:the\s+)?\d{1,3}(?:,\d{3})*)?(?:\s?(?<scale>thousand|million|billion|trillion|bn|mn|tn|[mkb])\b)?(?<pct>\s?(?:%|per\s?cent\b|percent\b))?/giu;
const WORD_FIGURE =
  /\b(?<word>one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|a|several|hundreds of|tens of)\s+(?<scale>thousand|million|billion|trillion)s?\b/giu;
const FRACTION_FIGURE = /\b(?<frac>two-thirds|one-third|a third|three-quarters|one-quarter|a quarter|one-fifth|half)\b/giu;

const HEDGE_BEFORE: Array<[RegExp, string]> = [
  [/\b(?:more than|over|upwards of|in excess of|well over|just over)\s*$/i, 'more than'],
  [/\b(?:less than|fewer than|under|just under|below)\s*$/i, 'less than'],
  [/\b(?:about|around|roughly|approximately|some|circa|nearly|almost|close to|an estimated|estimated|up to|as many as|as much as|at least|at most)\s*$/i, ''],
];
const CLAIM_HEDGES = /\b(estimated?|estimates?|claimed|claims?|reportedly|allegedly|purportedly|unverified|unconfirmed|believed|thought to|said to|projected|expected|according to)\b/gi;
const ASSERTION_VERBS =
  /\b(said|says|say|told|claimed|claims|claim|estimated?|estimates|reported|reports|confirmed|believes?|announced|stated|put|puts|according to|warned|insisted|suggested|suggest|suggests|indicate|indicates|indicated|show|shows|showed)\b/i;
const NOUN_STOP_TAGS = new Set([
  'Copula', 'Modal', 'Preposition', 'Conjunction', 'Determiner', 'QuestionWord', 'Adverb', 'Pronoun', 'PastTense',
  'Gerund', 'Infinitive', 'Possessive', 'Reflexive', 'Negative', 'Date', 'Month', 'WeekDay',
]);
const WHAT_STOPWORDS = new Set(['of', 'in', 'on', 'at', 'to', 'for', 'from', 'by', 'with', 'and', 'or', 'but', 'the', 'a', 'an', 'who', 'which', 'that', 'have', 'has', 'had', 'are', 'is', 'were', 'was', 'will', 'would', 'each', 'per', 'a', 'this', 'than', 'more', 'since', 'as', 'after', 'before', 'into', 'over', 'under', 'last', 'next', 'year', 'years', 'ago', 'times']);

/** Classes of things that articles count in different words. */
const SYNONYM_CLASS: Record<string, string> = {
  troop: 'troops', soldier: 'troops', fighter: 'troops', force: 'troops', personnel: 'troops', serviceman: 'troops',
  servicemen: 'troops', combatant: 'troops', mercenary: 'troops', recruit: 'troops',
  casualty: 'casualties', loss: 'casualties', dead: 'casualties', death: 'casualties', fatality: 'casualties',
  killed: 'casualties', died: 'casualties', victim: 'casualties', body: 'casualties',
  people: 'people', person: 'people', resident: 'people', civilian: 'people', individual: 'people',
  dollar: 'money', pound: 'money', euro: 'money',
};

export interface FigureContext {
  doc: ArticleDocument;
  entities: EntityIndex;
  quotes: ExtractedQuote[];
}

function parseNumber(text: string): number {
  return Number(text.replace(/,/g, ''));
}

function singular(word: string): string {
  const w = word.toLowerCase();
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (/(?:ss|us)$/.test(w)) return w.endsWith('sses') ? w.slice(0, -2) : w;
  if (w.endsWith('sses') || w.endsWith('shes') || w.endsWith('ches') || w.endsWith('xes')) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** What a figure counts: the noun phrase after it, or the subject before "are/is/was" when it closes a clause. */
function whatItCounts(sentenceText: string, after: number, before: number): string {
  const tail = tokenize(sentenceText.slice(after, after + 80));
  const words: string[] = [];
  for (const t of tail) {
    if (!t.word) {
      if (t.text === '-' && words.length > 0) continue;
      break;
    }
    if (words.length >= 4) break;
    const tags = lexiconTags(t.text);
    if (WHAT_STOPWORDS.has(t.lower)) break;
    if (words.length > 0 && tags.some((g) => NOUN_STOP_TAGS.has(g)) && !/^\p{Lu}/u.test(t.text)) break;
    if (words.length === 0 && tags.some((g) => g === 'Adverb' || g === 'Copula' || g === 'Modal')) break;
    if (/ly$/.test(t.lower)) break;
    words.push(t.text.replace(/['’]s$/, ''));
    // A plural noun ends the phrase unless a capitalised word or "and" carries on.
    if (/s$/.test(t.lower) && !/^\p{Lu}/u.test(t.text) && words.length >= 1) break;
  }
  if (words.length > 0) return words.join(' ');
  // "their losses are more than 4,000": the subject of the copula before the figure.
  const head = sentenceText.slice(Math.max(0, before - 60), before);
  const m = /([\p{L}-]+)\s+(?:are|is|was|were|stood at|stands at|reached|totall?ed|rose to|fell to|climbed to|hit|numbered|of|at)\s+(?:[\p{L}-]+\s+){0,3}$/u.exec(head);
  return m?.[1] ?? '';
}

function attributionOf(sentence: Sentence, offsetInParagraph: number, ctx: FigureContext): string | undefined {
  // Inside a quote: the quote's speaker asserts it.
  for (const q of ctx.quotes) {
    for (const span of q.spans) {
      if (span.paragraph === sentence.paragraph && offsetInParagraph > span.open && offsetInParagraph < span.close) return q.speaker;
    }
  }
  const text = sentence.text;
  const according = /according to ((?:the\s+)?(?:[\p{L}][\p{L}.'’-]*\s?){1,6}?)(?=[,.;:]|\s+(?:and|but|while|which|who|that|in|on|at|after|before)\b|$)/u.exec(text);
  if (according?.[1] && (according.index ?? 0) >= 0) return normaliseAsserter(according[1], sentence, ctx);
  // The assertion that governs the figure: the last one before it, else the first after it.
  const at = offsetInParagraph - sentence.start;
  const verbs = [...text.matchAll(new RegExp(ASSERTION_VERBS.source, 'gi'))];
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

function hedgeOf(sentenceText: string, figureStart: number, ownHedge: string | undefined): string | undefined {
  const before = sentenceText.slice(Math.max(0, figureStart - 30), figureStart);
  const hedges: string[] = [];
  for (const [pattern, label] of HEDGE_BEFORE) {
    const m = pattern.exec(before);
    if (m) {
      hedges.push(label || m[0].trim().toLowerCase());
      break;
    }
  }
  if (ownHedge) hedges.push(ownHedge);
  // Claims hedge the figures of their own clause: in "opponents estimate 3,000, while the council
  // says 800", only the 3,000 is an estimate.
  const boundary = /;|,?\s+\b(?:while|but|whereas|although|though)\b/g;
  let clauseStart = 0;
  let clauseEnd = sentenceText.length;
  for (const b of sentenceText.matchAll(boundary)) {
    const at = b.index ?? 0;
    if (at < figureStart) clauseStart = at;
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
  return hedges.length > 0 ? hedges.join(', ') : undefined;
}

/** Years, dates, times, ages, ordinals and identifiers are numbers but not figures. */
function isNotAFigure(text: string, start: number, end: number, raw: string, hasScale: boolean): boolean {
  const before = text.slice(Math.max(0, start - 12), start);
  const after = text.slice(end, end + 14);
  const value = parseNumber(raw);
  if (!hasScale && /^\d{4}$/.test(raw) && value >= 1800 && value <= 2100) return true;
  const prevWord = /([\p{L}.]+)\s*$/u.exec(before)?.[1] ?? '';
  if (MONTHS.test(prevWord)) return true;
  if (/^\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i.test(after)) return true;
  if (/^(?:st|nd|rd|th)\b/i.test(after)) return true;
  if (/^[:.]\d/.test(after) || /^\s*(?:a\.m|p\.m|am\b|pm\b|gmt|bst|est|edt|pst|et\b|utc)/i.test(after)) return true;
  if (/^-(?:year|month|week|day)s?-old/i.test(after) || /\baged?\s*$/i.test(before)) return true;
  if (/(?:no\.|number|section|article|chapter|page|route|flight|room|line|version|v|#)\s*$/i.test(before)) return true;
  if (/^\d*[\p{L}]/u.test(after) && !/^\s/.test(after) && !/^(?:k|m|bn|mn|tn|b)\b/i.test(after)) return true; // "G7", "5G", "COVID-19"
  if (/[\p{L}]-$/u.test(before)) return true;
  return false;
}

export function extractFigures(ctx: FigureContext): Figure[] {
  const figures: Figure[] = [];
  for (const sentence of ctx.doc.sentences) {
    if (sentence.heading) continue;
    const text = sentence.text;
    const seen: Array<[number, number]> = [];
    let lastWhat = '';
    const add = (start: number, end: number, value: string, quantity: number, givenUnit: string | undefined, ownHedge?: string, givenWhat?: string): void => {
      let unit = givenUnit;
      if (seen.some(([s, e]) => start < e && end > s)) return;
      seen.push([start, end]);
      let what = givenWhat ?? whatItCounts(text, end, start);
      // "2.4 billion euro expansion": a currency word after the number is its unit.
      const currency = /^(euros?|dollars?|pounds?|yen|yuan|rupees?|francs?|rubles?|roubles?|pesos?)\b\s*/i.exec(what);
      if (currency && !unit) {
        unit = currency[1]!.toLowerCase().replace(/s$/, '');
        what = what.slice(currency[0].length);
      }
      // "as many as 3,000 households ..., while the council says about 800 will be": the same thing.
      if (!what && lastWhat) what = lastWhat;
      if (!what && !unit) return;
      if (what) lastWhat = what;
      const figure: Figure = { value: value.trim(), quantity, what: what || (unit === '%' ? 'percent' : unit ?? ''), sentence: sentence.index };
      if (unit) figure.unit = unit;
      const by = attributionOf(sentence, sentence.start + start, ctx);
      if (by) figure.attributedTo = by;
      const hedge = hedgeOf(text, start, ownHedge);
      if (hedge) figure.hedge = hedge;
      figures.push(figure);
    };
    FIGURE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = FIGURE.exec(text)) !== null) {
      const g = m.groups ?? {};
      const num = g.num ?? '';
      const start = m.index;
      const end = m.index + m[0].length;
      if (isNotAFigure(text, start, end, num, Boolean(g.scale || g.cur || g.pct))) continue;
      const scaleWord = g.scale?.toLowerCase();
      // "m" and "b" alone are scales only straight after a currency figure ("£1m"), not "5 m" of distance.
      const scale = scaleWord && (scaleWord.length > 1 || g.cur) ? (SCALE[scaleWord] ?? 1) : 1;
      let quantity = parseNumber(num) * scale;
      const unit = g.pct ? '%' : g.cur ? g.cur : undefined;
      if (g.pct) quantity = parseNumber(num);
      if (!Number.isFinite(quantity)) continue;
      if (!g.cur && !g.pct && !g.scale && !g.range && !g.of && quantity < 2) continue;
      add(start, end, m[0], quantity, unit);
    }
    WORD_FIGURE.lastIndex = 0;
    while ((m = WORD_FIGURE.exec(text)) !== null) {
      const word = (m.groups?.word ?? '').toLowerCase().replace(/ of$/, '');
      const scale = SCALE[(m.groups?.scale ?? '').toLowerCase()] ?? 1;
      add(m.index, m.index + m[0].length, m[0], (WORD_NUMBERS[word] ?? 1) * scale, undefined, word === 'hundreds' || word === 'tens' ? word : undefined);
    }
    FRACTION_FIGURE.lastIndex = 0;
    while ((m = FRACTION_FIGURE.exec(text)) !== null) {
      const frac = (m.groups?.frac ?? '').toLowerCase();
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 30);
      // Only fractions of something ("two-thirds of the troops", "two-thirds have died").
      if (!/^\s+(?:of|have|has|had|were|are|was|is|died|said)\b/i.test(after)) continue;
      // A fraction counts what follows it: "two-thirds have died", "half of the troops".
      const of = after.trim().split(/\s+/).slice(0, 3).join(' ').replace(/[.,;:!?"”]+$/, '');
      add(m.index, m.index + m[0].length, m[0], FRACTIONS[frac] ?? 0, 'fraction', undefined, of);
    }
  }
  return figures;
}

interface FigureKey {
  cls: string;
  qualifiers: Set<string>;
}

function keyOf(figure: Figure): FigureKey | undefined {
  if (figure.unit === 'fraction' || figure.unit === '%') return undefined;
  const words = figure.what.split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  const head = words[words.length - 1]!;
  const qualifiers = new Set(words.slice(0, -1).map((w) => w.toLowerCase()));
  const headSingular = singular(head);
  // "12,000 North Koreans": a demonym counts people of that country.
  if (isDemonym(headSingular) || isDemonym(head)) {
    for (const w of words) qualifiers.add(singular(w) === headSingular ? headSingular : w.toLowerCase());
    return { cls: 'troops', qualifiers };
  }
  return { cls: SYNONYM_CLASS[headSingular] ?? headSingular, qualifiers };
}

const CHANGE_WORDS = /\b(?:additional|another|more|extra|further|new|rose|risen|fell|fallen|increased?|decreased?|up from|down from|from|of them|of whom|including|among|out of|total|per|each|every|a day|a week|a month|a year|annually|daily)\b/i;

/** Figures about the same thing from different sources or hedges that do not agree. */
export function findConflicts(figures: Figure[], doc: ArticleDocument): Conflict[] {
  const groups = new Map<string, number[]>();
  figures.forEach((f, i) => {
    const key = keyOf(f);
    if (!key) return;
    const list = groups.get(key.cls) ?? [];
    list.push(i);
    groups.set(key.cls, list);
  });
  const conflicts: Conflict[] = [];
  for (const [cls, members] of groups) {
    if (members.length < 2) continue;
    // Qualifiers must agree: "North Korean troops" and "Russian troops" are different things.
    const pairs: number[] = [];
    for (let a = 0; a < members.length; a++) {
      for (let b = a + 1; b < members.length; b++) {
        const fa = figures[members[a]!]!;
        const fb = figures[members[b]!]!;
        if (fa.unit !== fb.unit) continue;
        // In one sentence, only claims from different sources disagree ("rose from 5 to 10" does not).
        if (fa.sentence === fb.sentence && (fa.attributedTo === fb.attributedTo || !fa.attributedTo || !fb.attributedTo)) continue;
        const ka = keyOf(fa)!;
        const kb = keyOf(fb)!;
        const shared = [...ka.qualifiers].some((q) => kb.qualifiers.has(q));
        if (ka.qualifiers.size > 0 && kb.qualifiers.size > 0 && !shared) continue;
        const hi = Math.max(fa.quantity, fb.quantity);
        const lo = Math.min(fa.quantity, fb.quantity);
        if (lo <= 0 || hi / lo < 1.1 || hi / lo > 20) continue;
        const differentSource = fa.attributedTo !== fb.attributedTo;
        const hedged = Boolean(fa.hedge || fb.hedge);
        if (!differentSource && !hedged) continue;
        const sa = doc.sentences[fa.sentence]?.text ?? '';
        const sb = doc.sentences[fb.sentence]?.text ?? '';
        if (CHANGE_WORDS.test(sa.replace(fa.value, '')) && CHANGE_WORDS.test(sb.replace(fb.value, ''))) continue;
        for (const idx of [members[a]!, members[b]!]) if (!pairs.includes(idx)) pairs.push(idx);
      }
    }
    if (pairs.length >= 2) {
      pairs.sort((x, y) => x - y);
      const described = pairs.map((i) => {
        const f = figures[i]!;
        return `${f.value}${f.attributedTo ? ` (${f.attributedTo})` : ''}`;
      });
      conflicts.push({ about: cls, figures: pairs, note: `The article gives different figures for ${cls}: ${described.join(' vs ')}.` });
    }
  }
  return conflicts;
}
