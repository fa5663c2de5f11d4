import type { ArticleDocument, Sentence } from './document.js';
import type { StanceResult } from './stance.js';
import { isFunctionWord, STOPWORDS } from './lexicon.js';
import { words } from './sentences.js';

/**
 * The summarizer: ranks the article's own sentences and picks the key points and the TL;DR.
 * Each sentence is scored on its position (news puts the news first), its centrality (how much
 * of the article's vocabulary it shares, TF-IDF cosine to the article and to the headline), and
 * its content (names and figures), minus penalties for what makes a poor summary sentence
 * (quotes, questions, fragments); the points are then chosen greedily with a redundancy
 * penalty (maximal marginal relevance) and put back in article order.
 */

/** What the ranking knows about each candidate sentence, each roughly in [0, 1]. */
export const FEATURE_NAMES = [
  'lead',
  'leadSlow',
  'first',
  'paragraphFirst',
  'relativePosition',
  'centroid',
  'firstSimilarity',
  'titleSimilarity',
  'quoteStart',
  'quoted',
  'number',
  'entities',
  'length',
  'long',
  'short',
  'question',
  'attribution',
  'pronounStart',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Features = Record<FeatureName, number>;

export interface SummaryWeights {
  /** Weight of each feature in a sentence's score. */
  features: Features;
  /** How much overlap with an already chosen point costs a candidate (maximal marginal relevance). */
  redundancy: number;
}

/**
 * Weights fitted by logistic regression on `summaries-dev.jsonl` (labels: the greedy ROUGE
 * oracle's sentences), chosen by 5-fold cross-validation over documents; see
 * `tools/eval/fit-summarizer.ts`, which prints them.
 */
export const DEFAULT_WEIGHTS: SummaryWeights = {
  features: {
    lead: 0.992,
    leadSlow: 0.806,
    first: 0.509,
    paragraphFirst: -0.038,
    relativePosition: -0.824,
    centroid: 0.16,
    firstSimilarity: 0.637,
    titleSimilarity: 0.508,
    quoteStart: -0.347,
    quoted: -0.235,
    number: 0.157,
    entities: -0.028,
    length: -0.849,
    long: -0.035,
    short: -0.285,
    question: 0.004,
    attribution: 0.096,
    pronounStart: -0.259,
  },
  redundancy: 0,
};

export interface RankedSentence {
  sentence: Sentence;
  score: number;
  terms: Map<string, number>;
}

function stem(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, '');
  if (w.length > 4) {
    if (w.endsWith('ies')) w = w.slice(0, -3) + 'y';
    else if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
    else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
    else if (w.endsWith('es') && /(?:ss|sh|ch|x)es$/.test(w)) w = w.slice(0, -2);
    else if (w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  }
  return w;
}

export function contentTerms(text: string): Map<string, number> {
  const terms = new Map<string, number>();
  for (const w of words(text)) {
    const lower = w.toLowerCase();
    if (STOPWORDS.has(lower) || lower.length < 2 || /^\d+$/.test(lower)) continue;
    const s = stem(lower);
    terms.set(s, (terms.get(s) ?? 0) + 1);
  }
  return terms;
}

/** The TF-IDF vector length of a bag of terms. */
function norm(terms: Map<string, number>, idf: Map<string, number>): number {
  let sum = 0;
  for (const [t, v] of terms) {
    const w = v * (idf.get(t) ?? 1);
    sum += w * w;
  }
  return Math.sqrt(sum);
}

/**
 * TF-IDF cosine of two bags of terms. `bNorm` may be given when `b` is compared with every
 * sentence (the article's centroid, its lead, its title), so its length is computed once.
 */
function cosine(a: Map<string, number>, b: Map<string, number>, idf: Map<string, number>, bNorm = norm(b, idf)): number {
  let dot = 0;
  let na = 0;
  for (const [t, v] of a) {
    const weight = idf.get(t) ?? 1;
    const w = v * weight;
    na += w * w;
    const u = b.get(t);
    if (u !== undefined) dot += w * u * weight;
  }
  return na === 0 || bNorm === 0 ? 0 : dot / (Math.sqrt(na) * bNorm);
}

/** A sentence that cannot stand alone as a point: no verb-like word, a dangling start, a stub. */
export function isFragment(sentence: Sentence): boolean {
  const text = sentence.text.trim();
  if (sentence.wordCount < 6) return true;
  if (!/[.!?…]["'”’)\]]*$/.test(text)) return true;
  if (/^[a-z]/.test(text)) return true;
  if (/^(?:and|but|or|so|also|which|who)\b/i.test(text) && sentence.wordCount < 10) return true;
  if (!readsAsProse(text)) return true;
  if (isStatLine(text)) return true;
  return false;
}

/** The verbs that build a clause, beside the lexicon's function words (articles, prepositions, conjunctions, pronouns). */
const AUXILIARY = /^(?:is|are|was|were|be|been|has|have|had|will|would)$/i;

/** A row of a table set as a line: "1 sack, 1 TFL, 2 QH." (numbers for a third of its words and no word that joins a sentence). */
export function isStatLine(text: string): boolean {
  const tokens = text.split(/\s+/).map((t) => t.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter(Boolean);
  const numbers = tokens.filter((t) => /^\p{N}/u.test(t)).length;
  return tokens.length > 0 && numbers * 3 >= tokens.length && !tokens.some((t) => AUXILIARY.test(t) || isFunctionWord(t.toLowerCase()));
}

/**
 * Whether every double quotation mark the sentence opens, it closes. A sentence split off from
 * inside a longer quotation ("\"Markets run ahead of growth." / "Now we expect more," she said.)
 * has an odd number of marks: a piece of someone's sentence, not one of the article's own.
 */
export function hasBalancedQuotes(text: string): boolean {
  let straight = 0;
  let opened = 0;
  let closed = 0;
  for (const ch of text) {
    if (ch === '"') straight++;
    else if (ch === '“' || ch === '«') opened++;
    else if (ch === '”' || ch === '»') closed++;
  }
  return straight % 2 === 0 && opened === closed;
}

/** The first letter of a word after the first, in a script with upper and lower case (where prose shows itself by its lower-case words). */
const CASED_WORD_START = /\s["'“‘(]?([\p{Lu}\p{Ll}])[\p{L}'’-]*(?=[\s,.;:!?"'”’)]|$)/gu;
/** Page furniture glued into a run of text: "Nov. 20, 2019Updated:", a gallery counter "1of4Grass", "Posted:". */
const PAGE_FURNITURE = /\d(?:of\d|\p{Lu}\p{Ll}{2,})|\b(?:[Uu]pdated|[Pp]osted|[Pp]ublished)\s*:|^\s*\d+ \/ \d+\s/u;

/** A capitalised word glued to the end of another: "NoemKristi". */
const GLUED = /\p{Ll}(\p{Lu}\p{Ll}+)/u;

/**
 * Whether a link's hover card was glued into the sentence: the card repeats the linked name, so
 * "Gov. Kristi NoemKristi Lynn NoemSouth Dakota governor ..." has a word glued to "Noem" that is
 * one of the words just before it. Brand names written in camel case (YouTube, McDonald) do not
 * repeat a neighbour.
 */
function hasGluedCard(text: string): boolean {
  if (!GLUED.test(text)) return false;
  const tokens = text.split(/\s+/);
  for (let i = 1; i < tokens.length; i++) {
    const glued = GLUED.exec(tokens[i]!)?.[1];
    if (glued && tokens.slice(Math.max(0, i - 3), i).some((w) => w.replace(/[^\p{L}]/gu, '') === glued)) return true;
  }
  return false;
}

/**
 * Whether a sentence reads as running prose rather than page furniture: a headline in title case,
 * a date line, a gallery counter or a list of names has few lower-case words and no verb to speak
 * of. In scripts without case (Chinese, Arabic, Hebrew...) the test does not apply.
 */
export function readsAsProse(text: string): boolean {
  if (PAGE_FURNITURE.test(text)) return false;
  if (hasGluedCard(text)) return false;
  let cased = 0;
  let lower = 0;
  // Words after the first: a cased letter after a space starts a word of a cased script.
  for (const match of text.matchAll(CASED_WORD_START)) {
    cased++;
    if (match[1] !== match[1]!.toUpperCase()) lower++;
  }
  if (cased < 4) return true;
  return lower >= 2 && lower / cased >= 0.2;
}

const ATTRIBUTION = /\b(?:said|says|told|according to|added|stated|explained|noted)\b/;

/**
 * Whether the sentence is cut from inside someone's quotation: it starts inside a quote (the middle
 * or the end of a quote that spans sentences), or a quote it opens runs on past its end, in double
 * or single marks. Either way it is a piece of someone's sentence, not one of the article's own.
 */
export function cutsAQuote(sentence: Sentence, doc: ArticleDocument): boolean {
  // The quotation marks themselves first: where the document paired them wrongly (a quote opened
  // with one kind of mark and closed with another), an odd count still gives the piece away.
  if (!hasBalancedQuotes(sentence.text)) return true;
  for (const span of doc.quoteSpans) {
    if (span.paragraph !== sentence.paragraph) continue;
    const startsInside = span.open < sentence.start && span.close > sentence.start;
    const runsOn = span.open >= sentence.start && span.open < sentence.end && span.close >= sentence.end;
    if (startsInside || runsOn) return true;
  }
  return false;
}

/** A speaker's label in front of their words, as transcripts and Q&As print them: "Q:", "A:", "JAKE TAPPER:". */
const TRANSCRIPT_LABEL = /^\s*(Q|A|\p{Lu}[\p{Lu}.'’-]+(?: \p{Lu}[\p{Lu}.'’-]+){0,3}):\s/u;

/**
 * The speakers' labels of an article that is (partly) a transcript: one with a "Q:"/"A:" line, or a
 * label used twice. A label used once is a dateline ("NEW DELHI: …") or a heading ("WHY IT
 * MATTERS: …"), and its sentence is the article's own.
 */
function transcriptLabels(doc: ArticleDocument): Set<string> {
  const counts = new Map<string, number>();
  for (const s of doc.sentences) {
    const label = TRANSCRIPT_LABEL.exec(s.text)?.[1];
    if (label) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const qa = counts.has('Q') || counts.has('A');
  return new Set([...counts].filter(([label, n]) => n >= 2 || qa || label === 'Q' || label === 'A').map(([label]) => label));
}

function isTranscriptLine(text: string, labels: ReadonlySet<string>): boolean {
  const label = TRANSCRIPT_LABEL.exec(text)?.[1];
  return label !== undefined && labels.has(label);
}

export interface SentenceCandidate {
  sentence: Sentence;
  features: Features;
  terms: Map<string, number>;
}

/** The candidates for key points (reported, whole sentences) with their features. */
export function sentenceCandidates(doc: ArticleDocument, stances: StanceResult[]): SentenceCandidate[] {
  // A sentence wholly inside someone's quotation, cut from its attribution, would pass their words
  // off as the article's: not a key point.
  // A question leads a reader on rather than telling them something: not a point either; nor is a
  // line of a transcript ("Q: …", "JAKE TAPPER: …"), someone's words without the article's attribution.
  const transcript = transcriptLabels(doc);
  const eligible = doc.sentences.filter((s) => stances[s.index]?.role === 'report' && !isFragment(s) && !cutsAQuote(s, doc) && !isQuestion(s.text) && !isTranscriptLine(s.text, transcript));
  const termsOf = new Map<number, Map<string, number>>();
  const df = new Map<string, number>();
  for (const s of doc.sentences) {
    const terms = contentTerms(s.text);
    termsOf.set(s.index, terms);
    for (const t of terms.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const n = doc.sentences.length;
  const idf = new Map<string, number>();
  for (const [t, d] of df) idf.set(t, Math.log(1 + n / d));
  // The article's centroid: every content term, weighted by how often it recurs.
  const centroid = new Map<string, number>();
  for (const terms of termsOf.values()) for (const [t, v] of terms) centroid.set(t, (centroid.get(t) ?? 0) + v);
  const titleTerms = contentTerms(doc.title);
  const bodyIndex = new Map<number, number>();
  doc.sentences.filter((s) => !s.heading).forEach((s, k) => bodyIndex.set(s.index, k));
  const bodyCount = Math.max(1, bodyIndex.size);
  const lead = eligible[0];
  const leadTerms = lead ? (termsOf.get(lead.index) ?? new Map<string, number>()) : new Map<string, number>();

  const centroidNorm = norm(centroid, idf);
  const leadNorm = norm(leadTerms, idf);
  const titleNorm = norm(titleTerms, idf);
  return eligible.map((sentence) => {
    const terms = termsOf.get(sentence.index) ?? new Map<string, number>();
    const k = bodyIndex.get(sentence.index) ?? sentence.index;
    const text = sentence.text;
    const capitals = (text.match(/(?<=\s)\p{Lu}[\p{L}'’-]+/gu) ?? []).length;
    const features: Features = {
      lead: Math.exp(-k / 3),
      leadSlow: Math.exp(-k / 10),
      first: k === 0 ? 1 : 0,
      paragraphFirst: sentence.position === 0 ? 1 : 0,
      relativePosition: k / bodyCount,
      centroid: cosine(terms, centroid, idf, centroidNorm),
      firstSimilarity: sentence === lead ? 1 : cosine(terms, leadTerms, idf, leadNorm),
      titleSimilarity: titleTerms.size > 0 ? cosine(terms, titleTerms, idf, titleNorm) : 0,
      quoteStart: /^["“‘']/.test(text) ? 1 : 0,
      quoted: /["“”]/.test(text) ? 1 : 0,
      number: /\d/.test(text) ? 1 : 0,
      entities: Math.min(1, capitals / 4),
      length: Math.min(1, sentence.wordCount / 30),
      long: sentence.wordCount > 45 ? Math.min(1, (sentence.wordCount - 45) / 30) : 0,
      short: sentence.wordCount < 10 ? 1 : 0,
      question: /\?["”’']?$/.test(text) ? 1 : 0,
      attribution: ATTRIBUTION.test(text) ? 1 : 0,
      pronounStart: /^(?:He|She|It|They|This|That|These|Those|His|Her|Their)\b/.test(text) ? 1 : 0,
    };
    return { sentence, features, terms };
  });
}

export function scoreFeatures(features: Features, weights: SummaryWeights): number {
  let score = 0;
  for (const name of FEATURE_NAMES) score += features[name] * weights.features[name];
  return score;
}

export function rankSentences(doc: ArticleDocument, stances: StanceResult[], weights: SummaryWeights = DEFAULT_WEIGHTS): RankedSentence[] {
  return sentenceCandidates(doc, stances).map((c) => ({ sentence: c.sentence, terms: c.terms, score: scoreFeatures(c.features, weights) }));
}

/** Picks `count` sentences by maximal marginal relevance, returned in article order. */
export function selectKeyPoints(ranked: RankedSentence[], count: number, weights: SummaryWeights = DEFAULT_WEIGHTS): RankedSentence[] {
  // A page can print the same sentence twice (a pull quote, a summary box repeated at the end):
  // it is one point, taken where it ranks best.
  const seen = new Set<string>();
  const pool = [...ranked]
    .sort((a, b) => b.score - a.score)
    .filter((r) => {
      const key = r.sentence.text.toLowerCase().replace(/\s+/g, ' ').trim();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const chosen: RankedSentence[] = [];
  const flat = new Map<string, number>();
  while (chosen.length < count && pool.length > 0) {
    let best = 0;
    let bestValue = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      const candidate = pool[i]!;
      let overlap = 0;
      // With no redundancy weight the overlap cannot change the choice: not worth computing.
      if (weights.redundancy !== 0) for (const c of chosen) overlap = Math.max(overlap, cosine(candidate.terms, c.terms, flat));
      const value = candidate.score - weights.redundancy * overlap;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    chosen.push(pool.splice(best, 1)[0]!);
  }
  return chosen.sort((a, b) => a.sentence.index - b.sentence.index);
}

/** A wire dateline: "BAGHDAD, Iraq (CNN) --", "Hong Kong (CNN)", "(Reuters) -", "WASHINGTON --", "SPRINGFIELD, Ill. (Any Agency) --". */
const DATELINE =
  /^(?:[\p{Lu}][\p{L}.'’-]*(?:[ ,]+[\p{Lu}][\p{L}.'’-]*){0,4}\s*)?\((?:CNN|AP|Reuters|AFP|UPI|Bloomberg|dpa|PA|Xinhua)\)\s*(?:--|—|–|-)?\s*|^\p{Lu}{2,}(?:[ ,]+[\p{Lu}][\p{L}.]*){0,3}(?:\s*\([\p{Lu}][\p{L}.&' ]{0,30}\))?\s+(?:--|—|–)\s+/u;

/**
 * A key point is the article's own sentence, whole: only a wire dateline in front of it goes
 * (it is a label, not part of the sentence). Nothing inside is dropped, since a parenthetical or
 * an opening "Before the war," can carry the meaning, and a reader must find the point verbatim.
 */
export function withoutDateline(text: string): string {
  const out = text.replace(DATELINE, '').trim();
  return out.charAt(0).toUpperCase() + out.slice(1);
}

/** Words that join a sentence to the one before it: opening with one, a sentence leans on its neighbour. */
const CONNECTIVES = new Set([
  'but', 'and', 'or', 'so', 'yet', 'nor', 'however', 'also', 'still', 'meanwhile', 'instead', 'then', 'thus', 'therefore',
  'moreover', 'furthermore', 'besides', 'nevertheless', 'nonetheless', 'otherwise', 'plus', 'additionally', 'consequently',
  'hence', 'likewise', 'similarly', 'again', 'too', 'anyway', 'indeed', 'accordingly',
]);
const CONNECTIVE_PHRASE = /^(?:in addition|as a result|even so|that said|on the other hand|by contrast|in contrast|in turn|after that|to that end|at the same time|for (?:his|her|their|its) part)\b/i;
/** A connective set off by commas after the subject, "Israeli courts, however, have ruled …": it answers an earlier sentence as much as one in front does. */
const INSET_CONNECTIVE =
  /^[^,;:"“”]{1,60},\s*(?:however|though|meanwhile|instead|nevertheless|nonetheless|moreover|furthermore|therefore|too|also|in turn|in contrast|by contrast|in addition|for (?:his|her|their|its) part)\s*,/i;
/** Pronouns whose referent a reader of one sentence cannot see. */
const OUTSIDE_PRONOUNS = new Set(['he', 'she', 'they', 'it', 'his', 'her', 'hers', 'their', 'theirs', 'its', 'him', 'them', 'here', 'there', 'we', 'our', 'us', 'such', 'both', 'former', 'latter']);
const DEMONSTRATIVES = new Set(['this', 'that', 'these', 'those']);
/** After a demonstrative, nouns of time point at the calendar, not at an earlier sentence ("This week, ..."). */
const TIME_NOUNS = new Set([
  'year', "year's", 'week', "week's", 'month', "month's", 'morning', 'afternoon', 'evening', 'weekend', 'spring', 'summer',
  'autumn', 'fall', 'winter', 'season', 'decade', 'century', 'quarter',
]);

/**
 * Whether a sentence can be read on its own, as a TL;DR is: it does not open with a connective
 * ("But", "However") or with a pronoun or demonstrative whose referent is in another sentence
 * ("He", "This move", "This comes after"). A quotation mark in front does not hide the first word.
 */
export function standsAlone(text: string): boolean {
  const bare = text.replace(/^[\s"'“‘«([—–-]+/u, '');
  if (CONNECTIVE_PHRASE.test(bare)) return false;
  if (INSET_CONNECTIVE.test(bare)) return false;
  // A pronoun keeps its meaning in a contraction: "That's the deadline", "They're".
  const [first = '', second = ''] = (bare.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? []).map((w) => w.toLowerCase().replace('’', "'").replace(/'(?:s|re|ll|d|ve)$/, ''));
  if (CONNECTIVES.has(first) || OUTSIDE_PRONOUNS.has(first)) return false;
  if (DEMONSTRATIVES.has(first)) return TIME_NOUNS.has(second);
  return true;
}

/** Whether a sentence asks rather than tells: a question leads a reader on, it does not brief them. */
export function isQuestion(text: string): boolean {
  return /\?["'”’)\]]*$/.test(text.trim());
}

/**
 * An opening phrase that frames a sentence without limiting its truth ("In a significant
 * escalation of military cooperation, ", "Amid the protests, "). Phrases of time or condition
 * ("Last year,", "Before the war,", "If the deal fails,") are not here: without them the rest
 * would say something else.
 */
const FRAMING_OPENER = /^(?:In|Amid|Amidst|Despite|With|Following|On|At|Meanwhile|However|Separately|Elsewhere|Overall)\b[^,;:"“”]{0,80},\s+(?=(?:\p{Lu}|the |a |an |his |her |their |its )[^]{30,})/u;

/**
 * The TL;DR form of a sentence, or nothing when it cannot be one line: the sentence itself when
 * it fits; when it does not, the same sentence after its framing opener (still the article's
 * words, in its order) if that fits.
 */
export function toTldr(text: string, limit = 280): string | undefined {
  const whole = withoutDateline(text);
  if (whole.length <= limit) return whole;
  const opener = FRAMING_OPENER.exec(whole);
  if (!opener) return undefined;
  const rest = whole.slice(opener[0].length);
  return rest.length <= limit ? rest.charAt(0).toUpperCase() + rest.slice(1) : undefined;
}
