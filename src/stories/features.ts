import type { Article } from '../articles/article.js';
import { isEditorsNote, listNames, splitSentences } from '../briefing/index.js';

/**
 * What story grouping reads of an article, computed once when it arrives: the words of its title
 * and lead, the names it opens with, a MinHash sketch of its whole text (to spot copies), and the
 * wire service it credits. Pure and deterministic: the same article gives the same features.
 */

/** An article as story grouping takes it: the text as written, and what the feed said about it. */
export interface StoryArticle {
  id: string;
  title?: string | null;
  text: string;
  /** ISO 8601 date or date-time; undated articles are taken to arrive at the latest time seen. */
  published?: string | null;
  outlet?: string | null;
  url?: string | null;
}

export interface ArticleFeatures {
  /** Word → count, over the title (counted twice: it is the outlet's own summary) and the lead. */
  terms: Map<string, number>;
  /** Names in the title and lead, as keys: a person by surname, a place or organisation by its name, lower-cased. */
  names: Set<string>;
  /** The names of the title and first sentence, the ones a story is about. */
  keyNames: Set<string>;
  /** Bottom-k MinHash of the word 4-shingles of the whole text. */
  sketch: Uint32Array;
  /** The wire service the article credits (AP, Reuters, AFP, UPI), if any. */
  wire?: string;
  /** The lead as read, for titles of untitled articles. */
  lead: string;
}

/** How many sentences after the title make the lead: enough to name the event, not yet its background. */
export const LEAD_SENTENCES = 3;
const LEAD_MAX_CHARS = 900;
export const SKETCH_SIZE = 64;
/** Each word of the body (up to BODY_MAX_CHARS) counts this much beside the title's and the lead's. */
export const BODY_WEIGHT = 0.25;
const BODY_MAX_CHARS = 6000;

const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by
can could did do does doing down during each few for from further had has have having he her here hers herself him himself
his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will with would you your
yours yourself yourselves said says say saying told tells according new news one two three first last year years week weeks
day days time times monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow night morning
mr mrs ms dr may might must shall us via get got go going went make made like well back even still many much way
abstract full text correction appended updated update read watch video photo photos image images getty`.split(/\s+/),
);

const MONTHS_AND_DAYS = new Set(
  'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday'.split(' '),
);

/** Lower-case words of three letters or more (or numbers of two digits or more), without stop words, plural -s folded. */
export function contentWords(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []) {
    let word = raw.replace(/['’]s$/u, '').replace(/['’]/gu, '');
    if (/^\p{N}+$/u.test(word)) {
      if (word.length >= 2) out.push(word);
      continue;
    }
    if (word.length < 3 || STOP_WORDS.has(word)) continue;
    if (word.length > 4 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) word = word.slice(0, -1);
    out.push(word);
  }
  return out;
}

const WIRES: [RegExp, string][] = [
  [/\((?:AP|Associated Press)\)|\bAssociated Press\b/, 'AP'],
  [/\(Reuters\)|\bReuters\b/, 'Reuters'],
  [/\(AFP\)|\bAgence France-Presse\b/, 'AFP'],
  [/\(UPI\)|\bUnited Press International\b/, 'UPI'],
];

/** The wire service credited in the dateline or byline (the opening of the text), if any. */
export function wireOf(text: string): string | undefined {
  const opening = text.slice(0, 240);
  for (const [pattern, wire] of WIRES) if (pattern.test(opening)) return wire;
  return undefined;
}

/** The body's paragraphs, without a first paragraph that only repeats the title, or the outlet's notes about the article ("UPDATE: …", "Editor's note: …"). */
function bodyParagraphs(article: StoryArticle): string[] {
  const paragraphs = article.text
    .split(/\n\s*\n|\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p && !isEditorsNote(p));
  const title = normalise(article.title ?? '');
  if (title && paragraphs.length > 1 && normalise(paragraphs[0]!) === title) paragraphs.shift();
  return paragraphs;
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** The first few sentences of the body, cut at a sentence boundary near LEAD_MAX_CHARS. */
export function leadOf(article: StoryArticle): string {
  const sentences: string[] = [];
  let length = 0;
  for (const paragraph of bodyParagraphs(article)) {
    for (const span of splitSentences(paragraph)) {
      const sentence = paragraph.slice(span.start, span.end).trim();
      if (!sentence) continue;
      sentences.push(sentence);
      length += sentence.length;
      if (sentences.length >= LEAD_SENTENCES || length >= LEAD_MAX_CHARS) return sentences.join(' ');
    }
  }
  return sentences.join(' ');
}

/** A name as a key: a person by the last word of the name, others by the whole name; undefined for junk. */
function nameKey(name: string, kind: 'person' | 'place' | 'organization'): string | undefined {
  const words = normalise(name).split(' ').filter(Boolean);
  if (words.length === 0 || words.length > 4) return undefined;
  if (words.every((w) => MONTHS_AND_DAYS.has(w) || STOP_WORDS.has(w))) return undefined;
  const key = kind === 'person' ? words[words.length - 1]! : words.join(' ');
  return key.length >= 3 ? key : undefined;
}

function namesOf(title: string, text: string): Set<string> {
  const article: Article = {
    id: 'story-features',
    title,
    tags: [],
    highlights: [],
    blocks: text ? [{ kind: 'paragraph', text }] : [],
  };
  const found = listNames(article);
  const keys = new Set<string>();
  for (const [kind, names] of [['person', found.people], ['place', found.places], ['organization', found.organizations]] as const) {
    for (const name of names) {
      const key = nameKey(name, kind);
      if (key) keys.add(key);
    }
  }
  return keys;
}

// FNV-1a over a string's UTF-16 code units, then a second mixing round per sketch slot.
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A bottom-k MinHash sketch: the SKETCH_SIZE smallest hashes of the text's word 4-shingles.
 * Two sketches estimate the Jaccard similarity of the shingle sets (Broder 1997), so a wire copy
 * with a new headline and a trimmed last paragraph still looks like its original.
 */
export function sketchOf(text: string): Uint32Array {
  const words = normalise(text).split(' ').filter(Boolean);
  const hashes = new Set<number>();
  if (words.length < 4) {
    if (words.length > 0) hashes.add(hash32(words.join(' ')));
  } else {
    for (let i = 0; i + 4 <= words.length; i++) hashes.add(hash32(`${words[i]} ${words[i + 1]} ${words[i + 2]} ${words[i + 3]}`));
  }
  return Uint32Array.from([...hashes].sort((a, b) => a - b).slice(0, SKETCH_SIZE));
}

/** Jaccard similarity of two shingle sets, estimated from their bottom-k sketches. */
export function sketchSimilarity(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  // Walk the k smallest hashes of the union, counting those both sketches hold.
  let i = 0;
  let j = 0;
  let taken = 0;
  let shared = 0;
  while (taken < SKETCH_SIZE && (i < a.length || j < b.length)) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
    taken++;
  }
  return taken === 0 ? 0 : shared / taken;
}

export function featuresOf(article: StoryArticle, bodyWeight = BODY_WEIGHT): ArticleFeatures {
  const title = (article.title ?? '').trim();
  const lead = leadOf(article);
  const terms = new Map<string, number>();
  for (const w of contentWords(title)) terms.set(w, (terms.get(w) ?? 0) + 2);
  for (const w of contentWords(lead)) terms.set(w, (terms.get(w) ?? 0) + 1);
  if (bodyWeight > 0) for (const w of contentWords(article.text.slice(0, BODY_MAX_CHARS))) terms.set(w, (terms.get(w) ?? 0) + bodyWeight);
  const firstSentence = lead.slice(0, (splitSentences(lead)[0]?.end ?? lead.length));
  const names = namesOf(title, lead);
  // The key names are the lead's names that the title or opening sentence mentions: read with the
  // lead around it, "Trump" in a headline is known as the person the lead calls Donald Trump.
  const opening = normalise(`${title} ${firstSentence}`);
  const keyNames = new Set([...names].filter((name) => ` ${opening} `.includes(` ${name} `)));
  const wire = wireOf(article.text);
  return { terms, names, keyNames, sketch: sketchOf(article.text), ...(wire ? { wire } : {}), lead };
}
