/**
 * Sentence splitting that knows news prose: titles and initials ("Lt. Gen. Kyrylo Budanov",
 * "J. K. Rowling"), acronyms ("U.S.", "U.N."), domains ("BrightU.AI"), decimals, and closing
 * quotation marks that belong to the sentence they end. Offsets are kept so that quotes and
 * figures can be traced back to the exact characters of the article.
 */

export interface SentenceSpan {
  text: string;
  /** Offset of the first character in the paragraph. */
  start: number;
  /** Offset just past the last character in the paragraph. */
  end: number;
}

/** Abbreviations that come before a name or a number: a period after them never ends a sentence. */
const NEVER_FINAL = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'rev', 'fr', 'st', 'mt', 'ft', 'hon', 'pres', 'gov', 'sen', 'sens',
  'rep', 'reps', 'gen', 'gens', 'lt', 'col', 'maj', 'capt', 'cpt', 'sgt', 'cpl', 'pvt', 'adm', 'cmdr', 'cdr',
  'brig', 'supt', 'det', 'insp', 'atty', 'amb', 'messrs', 'mme', 'mlle', 'vs', 'v', 'e.g', 'i.e', 'cf', 'fig',
  'figs', 'vol', 'pp', 'ave', 'blvd', 'del', 'supt',
]);

/**
 * Abbreviations that can also end a sentence ("... of Apple Inc. The company ...", "in Sept. He"):
 * the period ends one only when the next word looks like a sentence start.
 */
const MAYBE_FINAL = new Set([
  'inc', 'corp', 'ltd', 'co', 'jr', 'sr', 'etc', 'llc', 'plc', 'bros', 'a.m', 'p.m', 'no', 'nos', 'approx',
  'est', 'dept', 'univ', 'assn', 'al', 'rd', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept',
  'oct', 'nov', 'dec',
]);

/** Words that commonly open a sentence; after an ambiguous abbreviation they mean a new sentence. */
const SENTENCE_STARTERS = new Set(
  [
    'the', 'a', 'an', 'he', 'she', 'it', 'they', 'we', 'i', 'you', 'his', 'her', 'its', 'their', 'our', 'this',
    'that', 'these', 'those', 'there', 'but', 'and', 'or', 'so', 'yet', 'in', 'on', 'at', 'for', 'after',
    'before', 'when', 'while', 'if', 'as', 'since', 'although', 'though', 'however', 'meanwhile', 'still',
    'also', 'many', 'some', 'most', 'no', 'not', 'one', 'two', 'three', 'both', 'all', 'each', 'what', 'who',
    'why', 'how', 'where', 'officials', 'according', 'last', 'earlier', 'later', 'now', 'today', 'yesterday',
  ],
);

/** Speech verbs that attribute a quote right after it (`"...?" he asked.`). */
const ATTRIBUTING = /^(?:said|says|asked|asks|added|adds|demanded|wondered|exclaimed|shouted|yelled|replied|told|tweeted|wrote|continued|insisted|countered|quipped|joked|cried|screamed|chanted)$/i;

/** Whether the words from `at` read as a short attribution: "Graham asked.", "he said,", "asked Smith.". */
function isAttributionAhead(text: string, at: number): boolean {
  const ahead = text.slice(at, at + 60);
  const words = ahead.match(/^(?:[\p{L}.'’-]+\s+){0,4}[\p{L}.'’-]+/u)?.[0]?.split(/\s+/) ?? [];
  const verbAt = words.findIndex((w) => ATTRIBUTING.test(w.replace(/[.,;]$/, '')));
  if (verbAt < 0) return false;
  // Everything before the verb is a name or a pronoun, capitalised ("Graham", "He", "The Senator").
  return words.slice(0, verbAt).every((w) => /^\p{Lu}/u.test(w)) || verbAt === 0;
}

const CLOSERS = `"'”’)]»`;
const OPENERS = `"'“‘([«`;

function isUpper(ch: string | undefined): boolean {
  return ch !== undefined && ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** The word (letters, digits, inner periods, hyphens) that ends just before `index`. */
function wordBefore(text: string, index: number): string {
  let i = index;
  while (i > 0 && /[\p{L}\p{N}.\-&']/u.test(text[i - 1] ?? '')) i--;
  return text.slice(i, index);
}

function nextWord(text: string, index: number): string {
  const match = /^[\s"'“‘([«]*([\p{L}\p{N}'’-]+)/u.exec(text.slice(index, index + 40));
  return match?.[1] ?? '';
}

/**
 * Decides whether the period at `dot` ends a sentence, given the position `next` of the next
 * non-space character.
 */
function periodEndsSentence(text: string, dot: number, next: number): boolean {
  const before = wordBefore(text, dot);
  const lower = before.toLowerCase().replace(/^[-']+/, '');
  const following = nextWord(text, next);
  const startsSentence = SENTENCE_STARTERS.has(following.toLowerCase());

  if (NEVER_FINAL.has(lower)) return false;
  if (MAYBE_FINAL.has(lower)) return startsSentence;
  // A single capital letter is an initial ("J. K. Rowling"), unless a sentence clearly starts.
  if (/^\p{Lu}$/u.test(before)) return startsSentence;
  // Acronyms written with periods: "U.S.", "U.N.", "D.C.".
  if (/^(?:\p{L}\.)+\p{L}$/u.test(before)) return startsSentence;
  return true;
}

/**
 * Splits one paragraph into sentences. Quotation marks that close a sentence stay with it; a
 * sentence never ends inside a word ("BrightU.AI", "3.5", "Brighteon.com").
 */
export function splitSentences(paragraph: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  const text = paragraph;
  let start = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const ch = text[i];
    if (ch === '.' || ch === '!' || ch === '?' || ch === '…') {
      // Run of terminal punctuation ("?!", "...").
      let j = i + 1;
      while (j < n && '.!?…'.includes(text[j] ?? '')) j++;
      // Closing quotes and brackets that belong to this sentence.
      let k = j;
      while (k < n && CLOSERS.includes(text[k] ?? '')) k++;
      // Must be followed by whitespace (or end) to be a boundary.
      if (k < n && !/\s/.test(text[k] ?? '')) {
        i = j;
        continue;
      }
      let next = k;
      while (next < n && /\s/.test(text[next] ?? '')) next++;
      if (next >= n) break;
      const nextChar = text[next];
      const afterOpener = OPENERS.includes(nextChar ?? '') ? text[next + 1] : nextChar;
      const looksLikeStart = isUpper(afterOpener) || isDigit(afterOpener) || OPENERS.includes(nextChar ?? '');
      let boundary = looksLikeStart;
      if (boundary && ch === '.' && j === i + 1) boundary = periodEndsSentence(text, i, next);
      // `"Does anybody know?" Graham asked.`: a question or exclamation inside quotation marks
      // followed by its attribution is one sentence.
      if (boundary && k > j && (ch === '?' || ch === '!') && isAttributionAhead(text, next)) boundary = false;
      // An ellipsis inside a quote ("medicine... sullies") continues when the next word is lower-case.
      if (boundary) {
        pushSpan(spans, text, start, k);
        start = next;
      }
      i = k;
      continue;
    }
    i++;
  }
  pushSpan(spans, text, start, n);
  return spans;
}

function pushSpan(spans: SentenceSpan[], text: string, start: number, end: number): void {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] ?? '')) s++;
  while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
  if (e > s) spans.push({ text: text.slice(s, e), start: s, end: e });
}

const WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;

/** Word tokens of a text, as written. */
export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

export function countWords(text: string): number {
  let count = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text)) count++;
  return count;
}
