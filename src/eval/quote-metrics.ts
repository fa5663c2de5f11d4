import { z } from 'zod';
import { isDemonym, isFemaleName, isMaleName } from '../briefing/lexicon.js';

/**
 * Quote-extraction metrics against PolNeAR-style gold annotations (`quotes-dev.jsonl`).
 * Pure functions: no I/O. The pieces, each exported and unit-tested:
 *
 * 1. Token overlap between a predicted and a gold quote: the Dice coefficient (token-level F1, as
 *    in SQuAD) over bags of lower-cased word tokens, punctuation and quotation marks ignored:
 *        overlap = 2 * |P ∩ G| / (|P| + |G|)      (multiset intersection; 0 if both are empty)
 *    Gold `quote` strings keep their quotation marks, and multi-part quotes (`“A,” he said. “B.”`
 *    is ONE gold quote with two `quote_spans`) are joined with " " or " ... "; tokens make both
 *    irrelevant. A prediction that covers only one part of a two-part quote still matches at 0.3.
 * 2. One-to-one matching, per article, of predictions to gold `direct` quotes whose overlap is at
 *    least the threshold: optimal (Hungarian algorithm) — the largest number of matched pairs, ties
 *    broken by the largest total overlap. Greedy matching can lose pairs; this cannot.
 * 3. Micro-averaged precision, recall and F1 over all articles, per threshold (0.3 and 0.8 by
 *    default): P = matched / predictions, R = matched / gold direct quotes.
 * 4. Speaker accuracy on matched pairs, by what the gold speaker span is (see {@link analyseSpeaker}
 *    and {@link judgeSpeaker}): a name, a pronoun (resolved from the gold annotations), or a
 *    description. Pairs whose gold quote has no speaker, or whose pronoun cannot be resolved, are
 *    counted but not judged.
 */

// ---------------------------------------------------------------------------------------------
// Gold records

const SpanSchema = z.tuple([z.number().int(), z.number().int()]);

export const GoldAttributionSchema = z.object({
  quote: z.string(),
  speaker: z.string().nullable(),
  cue: z.string().nullable().optional(),
  type: z.enum(['direct', 'mixed', 'indirect']),
  quote_spans: z.array(SpanSchema),
  speaker_spans: z.array(SpanSchema),
  cue_spans: z.array(SpanSchema).optional(),
  attribution_kind: z.string().optional(),
});
export type GoldAttribution = z.infer<typeof GoldAttributionSchema>;

export const GoldArticleSchema = z.object({
  id: z.string(),
  title: z.string().nullable().optional(),
  text: z.string(),
  quotes: z.array(GoldAttributionSchema),
  source: z.string().optional(),
});
export type GoldArticle = z.infer<typeof GoldArticleSchema>;

/** Parses the text of a quotes JSONL file (one article per line); throws on a malformed record. */
export function parseGoldJsonl(text: string): GoldArticle[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = GoldArticleSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`quotes record ${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

/** One quote as an extractor reports it: the quoted words (marks optional) and who said them. */
export interface PredictedQuote {
  text: string;
  speaker?: string;
}

// ---------------------------------------------------------------------------------------------
// Tokens and overlap

/** Lower-cased word tokens: letters/digits runs, inner apostrophes kept (`don't`), all else dropped. */
export function quoteTokens(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'")
      .match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu) ?? []
  );
}

/** Dice overlap of two token bags (see the module comment). */
export function tokenOverlapOfTokens(a: readonly string[], b: readonly string[]): number {
  if (a.length + b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of a) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of b) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  return (2 * common) / (a.length + b.length);
}

/** Dice overlap of two quote strings: 2·|common tokens| / (|tokens a| + |tokens b|). */
export function tokenOverlap(a: string, b: string): number {
  return tokenOverlapOfTokens(quoteTokens(a), quoteTokens(b));
}

// ---------------------------------------------------------------------------------------------
// Matching

export interface QuoteMatch {
  /** index into the predictions */
  predicted: number;
  /** index into the gold quotes */
  gold: number;
  overlap: number;
}

/**
 * Minimum-cost assignment of every row to a distinct column (rows <= columns), Hungarian algorithm
 * with potentials, O(rows² · columns). Returns the column of each row.
 */
function hungarian(cost: readonly (readonly number[])[], rows: number, cols: number): number[] {
  const INF = Number.POSITIVE_INFINITY;
  const u = new Array<number>(rows + 1).fill(0);
  const v = new Array<number>(cols + 1).fill(0);
  const p = new Array<number>(cols + 1).fill(0); // p[j]: row (1-based) assigned to column j
  const way = new Array<number>(cols + 1).fill(0);
  for (let i = 1; i <= rows; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(cols + 1).fill(INF);
    const used = new Array<boolean>(cols + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0]!;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= cols; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= cols; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= cols; j++) if (p[j]! > 0) assignment[p[j]! - 1] = j - 1;
  return assignment;
}

/**
 * Optimal one-to-one matching of predictions to gold quotes with overlap >= threshold: the most
 * pairs, then the largest total overlap. Pairs come back sorted by prediction index.
 */
export function matchQuotes(predicted: readonly string[], gold: readonly string[], threshold: number): QuoteMatch[] {
  const predTokens = predicted.map(quoteTokens);
  const goldTokens = gold.map(quoteTokens);
  const overlap = predTokens.map((p) => goldTokens.map((g) => tokenOverlapOfTokens(p, g)));
  const admissible = (i: number, j: number): boolean => overlap[i]![j]! >= threshold && overlap[i]![j]! > 0;
  if (predicted.length === 0 || gold.length === 0) return [];
  // Each admissible pair is worth BIG + overlap (BIG > the number of pairs), so cardinality comes first.
  const big = Math.min(predicted.length, gold.length) + 1;
  const transpose = predicted.length > gold.length;
  const rows = transpose ? gold.length : predicted.length;
  const cols = transpose ? predicted.length : gold.length;
  const cost: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: number[] = [];
    for (let c = 0; c < cols; c++) {
      const [i, j] = transpose ? [c, r] : [r, c];
      row.push(admissible(i, j) ? -(big + overlap[i]![j]!) : 0);
    }
    cost.push(row);
  }
  const assignment = hungarian(cost, rows, cols);
  const matches: QuoteMatch[] = [];
  assignment.forEach((c, r) => {
    if (c < 0) return;
    const [i, j] = transpose ? [c, r] : [r, c];
    if (admissible(i, j)) matches.push({ predicted: i, gold: j, overlap: overlap[i]![j]! });
  });
  return matches.sort((a, b) => a.predicted - b.predicted);
}

// ---------------------------------------------------------------------------------------------
// Speakers

const PRONOUNS = new Set([
  'he', 'him', 'his', 'she', 'her', 'hers', 'they', 'them', 'their', 'it', 'its', 'i', 'me', 'my', 'we', 'us',
  'our', 'you', 'your', 'himself', 'herself', 'themselves', 'itself', 'who', 'whom', 'which', 'that',
]);
/** Words that make a description definite: it refers back to someone already in the story. */
const DEFINITE_OPENERS = new Set([
  'the', 'this', 'that', 'these', 'those', 'his', 'her', 'its', 'their', 'our', 'my', 'your',
]);
/**
 * Heads of definite descriptions that, unnamed, refer back to a principal of the story ("the New York
 * businessman", "Obama's former campaign strategist", "the Republican"); not roles that are usually
 * someone else or anonymous ("the announcer", "the band leader", "the source", "the official").
 */
const REFERRING_ROLES = new Set([
  'president', 'senator', 'governor', 'mayor', 'nominee', 'candidate', 'businessman', 'businesswoman',
  'billionaire', 'mogul', 'developer', 'strategist', 'adviser', 'advisor', 'secretary', 'congressman',
  'congresswoman', 'representative', 'lawmaker', 'legislator', 'chairman', 'chairwoman', 'speaker', 'minister',
  'chancellor', 'judge', 'justice', 'ambassador', 'director', 'commissioner', 'sheriff', 'founder',
  'columnist', 'economist', 'professor', 'pollster', 'activist', 'republican', 'democrat', 'frontrunner',
  'front-runner', 'incumbent', 'challenger', 'contender', 'rival', 'opponent', 'star', 'actor', 'actress',
  'singer',
]);
/** Relative pronouns as speaker spans ("Trump, who said ..."): they refer to the name just before them. */
const RELATIVE_PRONOUNS = new Set(['who', 'whom', 'which', 'that']);
/** Pronouns that can only stand for a person, never for a document ("the letter", "her tweet"). */
const PERSON_PRONOUNS = new Set(['he', 'him', 'his', 'himself', 'she', 'her', 'hers', 'herself', 'i', 'me', 'my']);
const MALE_PRONOUNS = new Set(['he', 'him', 'his', 'himself']);
const FEMALE_PRONOUNS = new Set(['she', 'her', 'hers', 'herself']);
const SINGULAR_PRONOUNS = new Set([...MALE_PRONOUNS, ...FEMALE_PRONOUNS, 'i', 'me', 'my', 'it', 'its', 'itself']);

/** Honorifics, titles and role words stripped from the front of a name ("Sen.", "Secretary", "Former"). */
const TITLES = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'sen', 'sens', 'senator', 'senators', 'rep',
  'reps', 'representative', 'congressman', 'congresswoman', 'gov', 'governor', 'lt', 'gen', 'general', 'col',
  'colonel', 'maj', 'major', 'capt', 'captain', 'sgt', 'sergeant', 'adm', 'admiral', 'cmdr', 'commander',
  'president', 'vice', 'vp', 'secretary', 'minister', 'prime', 'premier', 'chancellor', 'chairman',
  'chairwoman', 'chair', 'speaker', 'leader', 'whip', 'director', 'chief', 'commissioner', 'mayor', 'judge',
  'justice', 'attorney', 'ambassador', 'rev', 'reverend', 'father', 'pope', 'king', 'queen', 'prince',
  'princess', 'sheikh', 'lord', 'lady', 'sir', 'dame', 'former', 'candidate', 'nominee', 'sheriff', 'officer',
  'detective', 'agent', 'pastor', 'bishop', 'cardinal', 'rabbi', 'imam', 'coach', 'dean', 'councilman',
  'councilwoman', 'st', 'saint', 'pres', 'supt', 'superintendent', 'treasurer', 'auditor', 'comptroller',
  'delegate', 'del',
  // party labels in front of a name, or alone for a person ("The Republican said")
  'republican', 'republicans', 'democrat', 'democrats', 'democratic', 'gop', 'independent', 'libertarian',
]);
const PARTY_LABELS = new Set(['republican', 'republicans', 'democrat', 'democrats', 'democratic', 'gop', 'independent', 'libertarian']);
/** Determiners and quantifiers that open a description ("a", "one of several", "about 200"). */
const DETERMINERS = new Set([
  'a', 'an', 'the', 'one', 'another', 'some', 'several', 'many', 'two', 'three', 'four', 'five', 'both', 'all',
  'his', 'her', 'their', 'its', 'our', 'my', 'your', 'this', 'that', 'these', 'those', 'each', 'every',
  'other', 'about', 'more', 'most', 'few', 'dozens', 'hundreds', 'thousands', 'any', 'no',
]);
const PREPOSITIONS = new Set([
  'of', 'for', 'to', 'at', 'from', 'in', 'on', 'with', 'about', 'by', 'under', 'over', 'during', 'since',
  'after', 'before', 'near', 'inside', 'outside', 'within', 'without', 'like', 'than', 'via', 'representing',
  'including',
]);
const NAME_PARTICLES = new Set([
  'de', 'van', 'von', 'der', 'den', 'da', 'di', 'du', 'la', 'le', 'del', 'dos', 'bin', 'ibn', 'al', 'el', 'st',
]);
const NAME_SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'v', 'esq', 'phd', 'md']);
/** Speech verbs: a gold speaker span that is one of these was annotated with speaker and cue swapped. */
const CUE_VERBS = new Set([
  'said', 'says', 'say', 'told', 'tells', 'added', 'adds', 'wrote', 'writes', 'asked', 'asks', 'explained',
  'continued', 'noted', 'replied', 'tweeted', 'stated', 'argued', 'declared', 'insisted', 'recalled',
  'responded', 'claimed', 'warned', 'joked', 'concluded', 'according', 'remarked', 'posted', 'announced',
]);
/** Description heads that are things rather than people: their possessor is the source ("Hoff's letter"). */
const THING_HEADS = new Set([
  'letter', 'statement', 'email', 'e-mail', 'release', 'report', 'memo', 'tweet', 'post', 'website', 'site',
  'ad', 'advertisement', 'video', 'book', 'account', 'page', 'article', 'editorial', 'blog', 'column',
  'complaint', 'lawsuit', 'filing', 'document', 'transcript', 'message', 'note', 'speech', 'interview',
  'op-ed', 'show', 'program',
]);
const MALE_HEADS = new Set([
  'man', 'spokesman', 'chairman', 'congressman', 'councilman', 'father', 'husband', 'son', 'brother',
  'businessman', 'boy', 'king', 'prince', 'gentleman', 'uncle', 'grandfather',
]);
const FEMALE_HEADS = new Set([
  'woman', 'spokeswoman', 'chairwoman', 'congresswoman', 'councilwoman', 'mother', 'wife', 'daughter',
  'sister', 'businesswoman', 'girl', 'queen', 'princess', 'lady', 'aunt', 'grandmother', 'widow',
]);

export type SpeakerKind = 'name' | 'pronoun' | 'description' | 'none';

/** What a speaker string (gold span or prediction) refers to. */
export interface SpeakerAnalysis {
  kind: SpeakerKind;
  /** for `name`: each person named (usually one), as normalised name tokens ("hillary", "clinton") */
  persons: string[][];
  /** for `pronoun`: the pronoun, lower-cased */
  pronoun?: string;
  /** for `description`: the head noun, lower-cased and singular ("aide" for "a campaign aide") */
  head?: string;
  /** for `description`: the head noun was plural ("environmentalists") */
  plural?: boolean;
  /** for `description`: definite ("the president", "Obama's former campaign strategist"), not "a source" */
  definite?: boolean;
  /** for `description`: names in possessive position ("Hoff" in "Hoff's letter") */
  possessors: string[][];
}

interface WordToken {
  /** the word with surrounding punctuation removed, apostrophes normalised */
  word: string;
  /** it ended in 's / s' */
  possessive: boolean;
  capitalised: boolean;
  /** it ended in a full stop ("Sen.", the initial "A.") */
  abbreviated: boolean;
}

function normaliseSpace(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function wordTokens(text: string): WordToken[] {
  const out: WordToken[] = [];
  for (const raw of text.split(' ')) {
    let word = raw.replace(/^[^\p{L}\p{N}@#]+/u, '').replace(/[^\p{L}\p{N}.]+$/u, '');
    let possessive = false;
    if (/'s$/i.test(word)) {
      word = word.slice(0, -2);
      possessive = true;
    } else if (/s'$/i.test(raw.replace(/[^\p{L}\p{N}']+$/u, ''))) {
      possessive = true;
    }
    const abbreviated = word.endsWith('.');
    word = word.replace(/\.$/, '');
    if (word === '') continue;
    out.push({ word, possessive, capitalised: /^\p{Lu}/u.test(word), abbreviated });
  }
  return out;
}

/** Lower-case, accents folded, apostrophes dropped, hyphens split: the form names are compared in. */
function nameParts(word: string): string[] {
  return word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/'/g, '')
    .split(/[-.]/)
    .filter((p) => p !== '');
}

/** Normalised tokens of one person's name: initials, suffixes and leftover titles dropped. */
function normaliseName(words: readonly string[]): string[] {
  const parts = words.flatMap(nameParts).filter((p) => p.length > 1 && !NAME_SUFFIXES.has(p));
  // Titles go from the front only: the last word is the surname even when it is also a title
  // word ("Charlie King", "Howard Dean", "Joe Major").
  let from = 0;
  while (from < parts.length - 1 && TITLES.has(parts[from]!)) from++;
  return parts.slice(from);
}

/** Singular, lower-case form of a head noun ("spokesmen" -> "spokesman", "sources" -> "source"). */
export function singularNoun(word: string): string {
  const w = word.toLowerCase();
  if (/men$/.test(w)) return w.replace(/men$/, 'man');
  if (/ies$/.test(w) && w.length > 4) return w.replace(/ies$/, 'y');
  if (/(ss|us|is)$/.test(w)) return w;
  if (/s$/.test(w) && w.length > 3) return w.slice(0, -1);
  return w;
}

const isPlural = (word: string): boolean => singularNoun(word) !== word.toLowerCase();

/** Cuts a speaker span to its head phrase: before appositives, parentheses and relative clauses. */
function headPhrase(text: string): string {
  const cut = text.search(/,|\(|;|:| [\u2014\u2013] | -- | who | whose | which | that /);
  return (cut >= 0 ? text.slice(0, cut) : text).trim();
}

/**
 * Splits capitalised runs out of a head phrase. A run is consecutive capitalised words (name
 * particles such as "de" or "van" allowed inside); a possessive word that is not the last word ends
 * the run and is set aside as a possessor ("Twitter's Adam Sharp" -> run "Adam Sharp", possessor
 * "Twitter"). Titles are stripped from the front of a run ("Cleveland Police Chief Calvin Williams"
 * -> "Calvin Williams"); a lone title word disappears unless it is the whole phrase.
 */
interface Run {
  /** index of the run's first word, titles included */
  start: number;
  /** index after the run's last word */
  end: number;
  /** the name words, leading titles stripped */
  words: string[];
}

function capitalisedRuns(tokens: readonly WordToken[]): { runs: Run[]; possessors: string[][] } {
  const runs: Run[] = [];
  const possessors: string[][] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!tokens[i]!.capitalised) {
      i++;
      continue;
    }
    const start = i;
    const words: string[] = [];
    let ownedBy = false;
    while (i < tokens.length) {
      const t = tokens[i]!;
      const particle =
        !t.capitalised &&
        NAME_PARTICLES.has(t.word.toLowerCase()) &&
        words.length > 0 &&
        tokens[i + 1]?.capitalised === true;
      if (!t.capitalised && !particle) break;
      words.push(t.word);
      i++;
      if (t.possessive && i < tokens.length) {
        ownedBy = true;
        break;
      }
    }
    if (ownedBy) {
      possessors.push(words);
      continue;
    }
    // Strip leading titles: keep what follows the last title that is not the final word.
    let from = 0;
    for (let k = 0; k < words.length - 1; k++) if (TITLES.has(words[k]!.toLowerCase().replace(/\.$/, ''))) from = k + 1;
    // A lone title ("Former secretary ...", "The president") is not a name, unless it is all there is ("Dean").
    const onlyTitle = words.length === 1 && TITLES.has(words[0]!.toLowerCase()) && tokens.length > 1;
    if (!onlyTitle) runs.push({ start, end: i, words: words.slice(from) });
  }
  return { runs, possessors };
}

/** Where a gold speaker span sits, so sentence-initial capitals can be told from names. */
export interface SpanContext {
  text: string;
  start: number;
}

/**
 * Classifies a speaker string and extracts what is needed to compare it:
 * - `pronoun`: a bare pronoun ("he", "She", "they", "she's");
 * - `name`: the head phrase (before any appositive, relative clause or prepositional complement)
 *   ends in a capitalised run: "Hillary Clinton", "Sen. Lindsey O. Graham (R-S.C.), a former ...",
 *   "Trump senior adviser Paul Manafort", "PENCE", "The New York Times". Persons joined by "and"
 *   are all kept ("David Albright and Serena Kelleher-Vergantini").
 * - `description`: otherwise ("a campaign aide", "the source", "one of several coal industry
 *   veterans"); the head noun is the last word before any complement, singularised.
 * With a context, a capitalised first word that starts a sentence and appears lower-case elsewhere in
 * the text ("Protesters") is read as an ordinary word.
 */
export function analyseSpeaker(speaker: string | null | undefined, context?: SpanContext): SpeakerAnalysis {
  const none: SpeakerAnalysis = { kind: 'none', persons: [], possessors: [] };
  if (speaker == null) return none;
  const text = normaliseSpace(speaker);
  if (text === '') return none;
  const bare = text
    .toLowerCase()
    .replace(/[^\p{L}' ]/gu, '')
    .replace(/'s$/, '')
    .trim();
  if (PRONOUNS.has(bare)) return { kind: 'pronoun', persons: [], pronoun: bare, possessors: [] };

  let tokens = wordTokens(headPhrase(text));
  if (tokens.length === 0) return none;

  // Sentence-initial common word ("Protesters said"): lower-case it when the text uses it lower-case.
  const first = tokens[0]!;
  if (context && first.capitalised && tokens.length >= 1) {
    const before = context.text.slice(Math.max(0, context.start - 3), context.start);
    const sentenceStart = context.start === 0 || /(^|[.!?"”\n])\s*$/.test(before);
    const lower = first.word.toLowerCase();
    if (
      sentenceStart &&
      lower !== first.word &&
      new RegExp(`(^|[^\\p{L}])${escapeRegExp(lower)}([^\\p{L}]|$)`, 'u').test(context.text)
    ) {
      tokens = [{ ...first, capitalised: false }, ...tokens.slice(1)];
    }
  }
  // Determiners are never part of a name, whatever their case ("The crowd", "Another person").
  // (An initial such as the "A." of "Julie A. Diaz Martinez" is not a determiner.)
  tokens = tokens.map((t) =>
    DETERMINERS.has(t.word.toLowerCase()) && !t.abbreviated ? { ...t, capitalised: false } : t,
  );

  // Cut at the first preposition that opens a complement ("a spokesman for Bernie Sanders",
  // "George Zornick of The Nation"), but not inside a title ("secretary of state Hillary Clinton").
  let cutAt = tokens.length;
  let complement: WordToken[] = [];
  for (let k = 1; k < tokens.length; k++) {
    if (!PREPOSITIONS.has(tokens[k]!.word.toLowerCase()) || tokens[k]!.capitalised) continue;
    const next = tokens[k + 1];
    const titleInside =
      next !== undefined &&
      !next.capitalised &&
      !DETERMINERS.has(next.word.toLowerCase()) &&
      tokens.slice(k + 2).some((t) => t.capitalised) &&
      !tokens.slice(0, k).some((t) => t.capitalised && !TITLES.has(t.word.toLowerCase()));
    // "Secretary of State John F. Kerry": an office "of" a capitalised body, then the name.
    const officeOf =
      TITLES.has(tokens[k - 1]!.word.toLowerCase()) &&
      next !== undefined &&
      next.capitalised &&
      tokens.slice(k + 2).some((t) => t.capitalised);
    if (titleInside || officeOf) continue;
    cutAt = k;
    complement = tokens.slice(k + 1);
    break;
  }
  const head = tokens.slice(0, cutAt);
  const { runs, possessors } = capitalisedRuns(head);
  const last = runs[runs.length - 1];

  if (last && last.end === head.length) {
    const persons = [last.words];
    // "A and B": earlier runs joined to the last by "and"/"&".
    for (let r = runs.length - 2; r >= 0; r--) {
      const between = head.slice(runs[r]!.end, runs[r + 1]!.start).map((t) => t.word.toLowerCase());
      if (between.length === 1 && (between[0] === 'and' || between[0] === '&')) persons.unshift(runs[r]!.words);
      else break;
    }
    return {
      kind: 'name',
      persons: persons.map(normaliseName).filter((p) => p.length > 0),
      possessors: possessors.map(normaliseName),
    };
  }

  // "Another critic, Laurence H. Tribe,": an appositive inside the span names the person.
  const rest = text.slice(headPhrase(text).length);
  if (rest.startsWith(',')) {
    const appositive = analyseSpeaker(headPhrase(rest.slice(1).trim()));
    if (appositive.kind === 'name' && appositive.persons.length > 0) return appositive;
  }

  // A description: the head noun is the last word, skipping trailing participles ("a source involved").
  let words = head.map((t) => t.word);
  const contentCount = (ws: readonly string[]): number => ws.filter((w) => !DETERMINERS.has(w.toLowerCase())).length;
  while (contentCount(words) > 1 && /(ed|ing)$/i.test(words[words.length - 1]!)) words = words.slice(0, -1);
  const content = words.filter((w) => !DETERMINERS.has(w.toLowerCase()));
  if (content.length === 0 && complement.length > 0) {
    // "one of several coal industry veterans": the head is in the complement.
    const inner = analyseSpeaker(complement.map((t) => t.word).join(' '));
    return { ...inner, possessors: [...possessors.map(normaliseName), ...inner.possessors] };
  }
  const headWord = (content[content.length - 1] ?? words[words.length - 1] ?? '').toLowerCase();
  const opener = head[0]!;
  return {
    kind: 'description',
    persons: [],
    head: singularNoun(headWord),
    plural: isPlural(headWord),
    definite: DEFINITE_OPENERS.has(opener.word.toLowerCase()) || (opener.possessive && head.length > 1),
    possessors: possessors.map(normaliseName),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex source matching `word` in any letter case ("[Pp][Rr]..."). */
function caseless(word: string): string {
  return [...word]
    .map((ch) =>
      ch.toLowerCase() !== ch.toUpperCase() ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : escapeRegExp(ch),
    )
    .join('');
}

/** Two normalised names denote the same person when one's tokens are a subset of the other's. */
function sameName(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  const set = new Set(large);
  return small.every((t) => set.has(t));
}

/**
 * Whether a predicted speaker string names one of the given persons: the token set of one name is
 * contained in the other's after dropping titles, initials, suffixes, possessives and appended roles
 * ("Clinton" ~ "Hillary Rodham Clinton", "Mr. Obama" ~ "President Barack Obama"; but "Bill Clinton" is
 * not "Hillary Clinton"). A prediction with no capital letter at all is read as title case.
 */
export function namesPerson(predicted: string | undefined, persons: readonly (readonly string[])[]): boolean {
  // An all-lower-case prediction carries no case to find names by: read it as title case.
  const cased =
    predicted != null && !/\p{Lu}/u.test(predicted)
      ? predicted.replace(/(^|[\s-])(\p{Ll})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase())
      : predicted;
  const analysis = analyseSpeaker(cased);
  if (analysis.kind !== 'name') return false;
  return analysis.persons.some((p) => persons.some((g) => sameName(p, g)));
}

/** A capitalised name in running text (on one line), name particles allowed: "Bill de Blasio". */
const NAME_SRC = `\\p{Lu}[\\p{L}'’.-]*(?:[ \\u00a0]+(?:(?:de|van|von|der|da|di|du|la|le|del|al|bin)[ \\u00a0]+)?\\p{Lu}[\\p{L}'’-]*){0,3}`;

/** The normalised person name at the start of `text` (an honorific allowed), if there is one. */
function nameAt(text: string): string[] | undefined {
  const m = new RegExp(`^((?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Rev)\\.?[ \\u00a0]+)?${NAME_SRC})`, 'u').exec(text);
  if (!m) return undefined;
  const analysis = analyseSpeaker(m[1]!);
  return analysis.kind === 'name' ? analysis.persons[0] : undefined;
}

/** Gender of a named person from honorifics used for the surname anywhere in the text. */
function genderOf(person: readonly string[], text: string): 'male' | 'female' | undefined {
  const surname = person[person.length - 1];
  if (!surname) return undefined;
  let male = false;
  let female = false;
  const re = /\b(Mr|Mrs|Ms|Miss)\.?\s+((?:\p{Lu}[\p{L}'’-]*\s+){0,2}\p{Lu}[\p{L}'’-]*)/gu;
  for (const m of text.matchAll(re)) {
    const parts = m[2]!.split(/\s+/).flatMap(nameParts);
    if (!parts.includes(surname)) continue;
    if (m[1] === 'Mr') male = true;
    else female = true;
  }
  if (male !== female) return male ? 'male' : 'female';
  // No honorific in the text: the usual gender of the person's first name, where the text gives
  // one ("Melanie said" is not "he"), from the compromise lexicon's unambiguous first names.
  const first = person.length >= 2 ? person[0] : fullNameFirst(surname, text);
  if (!first) return undefined;
  const isMale = isMaleName(first);
  const isFemale = isFemaleName(first);
  if (isMale !== isFemale) return isMale ? 'male' : 'female';
  return undefined;
}

/** The first name written before a surname anywhere in the text ("Melanie Austin" for "austin"), or the word itself when it is a first name. */
function fullNameFirst(surname: string, text: string): string | undefined {
  if (isMaleName(surname) !== isFemaleName(surname)) return surname;
  const escaped = surname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const capitalised = escaped.charAt(0).toUpperCase() + escaped.slice(1);
  const re = new RegExp(`\\b(\\p{Lu}[\\p{L}'’-]+)\\s+${capitalised}\\b`, 'u');
  const m = re.exec(text);
  return m?.[1]?.toLowerCase();
}

/** The referent a gold speaker stands for, after resolving pronouns and descriptions. */
export interface ResolvedSpeaker {
  /** what the gold span itself is */
  goldKind: SpeakerKind;
  /** the span text used (the cue, when speaker and cue were swapped in the annotation) */
  goldSpan: string | null;
  /** how a pronoun or description was resolved */
  via: 'span' | 'attribution' | 'text' | 'appositive' | 'title' | 'unresolved';
  /** the named person(s) a prediction must name to be correct; empty when none is known */
  persons: string[][];
  /** for a description referent: its head noun, which a prediction may share instead */
  head?: string;
  /** for a description whose head is a thing ("Hoff's letter"): names in possessive position */
  possessors: string[][];
}

interface SpeakerSpan {
  text: string | null;
  start: number;
  end: number;
}

/** The gold speaker span, taking the cue instead when the annotation swapped them (speaker "said"). */
export function goldSpeakerSpan(attribution: GoldAttribution): SpeakerSpan {
  const span = attribution.speaker_spans[0];
  const start = span ? span[0] : -1;
  const end =
    attribution.speaker_spans.length > 0 ? attribution.speaker_spans[attribution.speaker_spans.length - 1]![1] : -1;
  const speaker = attribution.speaker;
  if (speaker != null && CUE_VERBS.has(normaliseSpace(speaker).toLowerCase()) && attribution.cue) {
    const cueSpan = attribution.cue_spans?.[0];
    const cueAnalysis = analyseSpeaker(attribution.cue);
    if (cueAnalysis.kind === 'name' || cueAnalysis.kind === 'description') {
      return { text: attribution.cue, start: cueSpan ? cueSpan[0] : start, end: cueSpan ? cueSpan[1] : end };
    }
  }
  return { text: speaker, start, end };
}

/** Role words a description can use as a title in front of a name ("spokesman John Kirby"). */
const ROLE_HEADS = new Set([
  ...TITLES,
  'aide',
  'adviser',
  'advisor',
  'strategist',
  'lawyer',
  'spokesman',
  'spokeswoman',
  'spokesperson',
  'official',
  'host',
  'anchor',
  'economist',
  'analyst',
  'executive',
  'manager',
  'founder',
  'author',
  'businessman',
  'businesswoman',
  'pollster',
  'consultant',
  'researcher',
  'scientist',
  'historian',
  'activist',
  'organizer',
  'lawmaker',
  'legislator',
  'billionaire',
  'developer',
  'investor',
  'announcer',
  'narrator',
  'critic',
  'columnist',
  'reporter',
  'correspondent',
  'editor',
  'publisher',
  'owner',
  'ceo',
  'veteran',
  'operative',
]);

/**
 * The person a description refers to, when the article names them:
 * 1. an appositive right after the span ("a campaign aide, John Smith, said") or a two-word name
 *    right before it ("John Smith, a campaign aide,");
 * 2. otherwise, for definite descriptions with role heads ("the president", "the mayor", not "a
 *    strategist", "the source" or "the piece"): the
 *    nearest use of the head as a title in front of a name ("President Barack Obama" for "the
 *    president", "Mayor Bill de Blasio" for "the mayor"), preferring uses before the span; failing
 *    that, the nearest "<First Last>, the ... <head>" ("Paul Ryan, the House speaker").
 * Matches never cross a line break.
 */
export function resolveDescription(
  text: string,
  span: { start: number; end: number },
  head: string,
  definite = true,
): { persons: string[][]; via: 'appositive' | 'title' } | undefined {
  if (span.start >= 0) {
    const after = new RegExp(`^[ \\u00a0]*,[ \\u00a0]*(${NAME_SRC})[ \\u00a0]*,`, 'u').exec(text.slice(span.end));
    if (after) {
      const name = nameAt(after[1]!);
      if (name) return { persons: [name], via: 'appositive' };
    }
    const window = text.slice(Math.max(0, span.start - 80), span.start);
    const before = new RegExp(`(${NAME_SRC})[ \\u00a0]*,[ \\u00a0]*$`, 'u').exec(window);
    // Not a place or date: "in New Hampshire Monday, the Christie supporter".
    const introduced = before
      ? /(?:^|[^\p{L}])(?:in|at|from|of|on|to|for|with|by|the|a|an)[ \u00a0]+$/iu.test(window.slice(0, before.index))
      : false;
    if (before && !introduced) {
      const name = nameAt(before[1]!);
      if (name && name.length >= 2) return { persons: [name], via: 'appositive' };
    }
  }
  // Only a definite description ("the president") is the same person as "President Obama"; "a
  // Democratic strategist" is not "Democratic strategist Al Cardenas" quoted elsewhere.
  if (!definite || !ROLE_HEADS.has(head)) return undefined;
  // Case-insensitive head words without the `i` flag, which would also make \p{Lu} match lower case;
  // a full stop only after an abbreviation ("Sen."), never after the head ("the candidate. And").
  const variants = [caseless(head), ...(HEAD_ABBREVIATIONS[head] ?? []).map((a) => `${caseless(a)}\\.?`)].join('|');
  const titled = new RegExp(`(?<![\\p{L}])(?:${variants})[ \\u00a0]+(${NAME_SRC})`, 'gu');
  const apposed = new RegExp(
    `(${NAME_SRC}),[ \\u00a0]+(?:the|a|an)[ \\u00a0]+(?:[\\p{L}.'’-]+[ \\u00a0]+){0,4}(?:${variants})(?![\\p{L}])`,
    'gu',
  );
  const nearest = (matches: Iterable<RegExpMatchArray>, minWords: number): string[] | undefined => {
    let best: { name: string[]; distance: number; before: boolean } | undefined;
    for (const m of matches) {
      const candidate = m[1]!;
      // The run must start with the name itself, not another title ("campaign Chairman John Podesta").
      const firstWord = candidate
        .split(/[ \u00a0]+/)[0]!
        .toLowerCase()
        .replace(/\.$/, '');
      if (TITLES.has(firstWord)) continue;
      const name = nameAt(candidate);
      if (!name || name.length < minWords) continue;
      const index = m.index ?? 0;
      const isBefore = span.start < 0 || index < span.start;
      const distance = Math.abs(index - Math.max(0, span.start));
      if (!best || (isBefore && !best.before) || (isBefore === best.before && distance < best.distance)) {
        best = { name, distance, before: isBefore };
      }
    }
    return best?.name;
  };
  const name = nearest(text.matchAll(titled), 1) ?? nearest(text.matchAll(apposed), 2);
  return name ? { persons: [name], via: 'title' } : undefined;
}

const HEAD_ABBREVIATIONS: Record<string, string[]> = {
  senator: ['sen'],
  representative: ['rep'],
  governor: ['gov'],
  president: ['pres'],
  general: ['gen'],
  lieutenant: ['lt'],
  professor: ['prof'],
  doctor: ['dr'],
  reverend: ['rev'],
};

/**
 * Resolves the gold speaker of attribution `index` in `article`:
 * - a name stands for itself;
 * - a description stands for itself (its head noun) and, when {@link resolveDescription} finds one,
 *   for the person the article names for it;
 * - a relative pronoun ("who") stands for the name right before it in the text;
 * - any other pronoun takes the referent of the nearest PRECEDING attribution (any type, ordered by
 *   speaker-span start) whose speaker is not itself a pronoun, skipping candidates that clash in
 *   gender (he/she vs. "Mr."/"Ms."/"Mrs." used with that surname anywhere in the text, or a gendered
 *   head such as "spokeswoman"), in number (he/she/it/I vs. a plural description), or in kind
 *   (he/she/I vs. a document such as "the letter"). If that referent is a description the article
 *   does not name ("The Republican", "a questioner"), the pronoun may mean the described person or
 *   -- as often in news -- the main named speaker, so the nearest preceding NAMED attribution is
 *   accepted too: a prediction matching either is correct. With no usable attribution, the nearest
 *   preceding capitalised name of two or more words (or honorific + name) in the text is used;
 *   otherwise the pronoun is unresolved and the pair is not judged.
 *   First-person pronouns get the same treatment (an op-ed's author is not in the text); there is no
 *   first-name gender lexicon, so "she" can resolve to a man whose gender the text never marks.
 */
export function resolveGoldSpeaker(article: GoldArticle, index: number): ResolvedSpeaker {
  const attribution = article.quotes[index];
  if (!attribution) throw new Error(`no attribution ${index} in ${article.id}`);
  const span = goldSpeakerSpan(attribution);
  const analysis = analyseSpeaker(span.text, span.start >= 0 ? { text: article.text, start: span.start } : undefined);
  const base = { goldKind: analysis.kind, goldSpan: span.text };
  if (analysis.kind === 'none') return { ...base, via: 'unresolved', persons: [], possessors: [] };
  if (analysis.kind === 'name') return { ...base, via: 'span', persons: analysis.persons, possessors: [] };
  if (analysis.kind === 'description') return { ...base, ...describe(article, span, analysis) };

  const pronoun = analysis.pronoun ?? '';
  const wantGender = MALE_PRONOUNS.has(pronoun) ? 'male' : FEMALE_PRONOUNS.has(pronoun) ? 'female' : undefined;
  const singular = SINGULAR_PRONOUNS.has(pronoun);
  const genderClash = (persons: readonly string[][]): boolean => {
    if (!wantGender || persons.length !== 1) return false;
    const gender = genderOf(persons[0]!, article.text);
    return gender !== undefined && gender !== wantGender;
  };

  // "Trump, who said": a relative pronoun stands for the name right before it.
  if (RELATIVE_PRONOUNS.has(pronoun)) {
    const m = new RegExp(`(${NAME_SRC})[ \\u00a0]*,?[ \\u00a0]*$`, 'u').exec(
      article.text.slice(Math.max(0, span.start - 80), span.start),
    );
    const name = m ? nameAt(m[1]!) : undefined;
    if (name) return { ...base, via: 'text', persons: [name], possessors: [] };
  }

  const candidates = article.quotes
    .map((q) => goldSpeakerSpan(q))
    .filter((s) => s.start >= 0 && s.start < span.start && s.text != null)
    .sort((a, b) => b.start - a.start);
  let description: Pick<ResolvedSpeaker, 'persons' | 'head' | 'possessors'> | undefined;
  for (const candidate of candidates) {
    const c = analyseSpeaker(candidate.text, { text: article.text, start: candidate.start });
    if (c.kind === 'pronoun' || c.kind === 'none') continue;
    if (c.kind === 'name') {
      if (c.persons.length === 0 || genderClash(c.persons)) continue;
      // A lone demonym or party word ("European", "Republican") names no one.
      if (c.persons.length === 1 && c.persons[0]!.length === 1 && (isDemonym(c.persons[0]![0]!) || PARTY_LABELS.has(c.persons[0]![0]!))) continue;
      // A person who opens a sentence between that attribution and the pronoun, without being
      // quoted or attributed there ("Scott bristles at the suggestion... 'I've...,' he said"), is
      // nearer: the pronoun refers to them.
      const opener = sentenceOpeningName(article.text, candidate.end ?? candidate.start, span.start, (persons) => !genderClash(persons));
      if (opener) return { ...base, via: 'text', persons: [opener], possessors: [] };
      // After an unnamed description, the nearest named speaker is accepted as well (see above).
      return {
        ...base,
        ...description,
        via: 'attribution',
        persons: c.persons,
        possessors: description?.possessors ?? [],
      };
    }
    if (description) continue;
    const head = c.head ?? '';
    if (singular && c.plural) continue;
    if (PERSON_PRONOUNS.has(pronoun) && THING_HEADS.has(head)) continue;
    if (wantGender === 'male' && FEMALE_HEADS.has(head)) continue;
    if (wantGender === 'female' && MALE_HEADS.has(head)) continue;
    const described = describe(article, candidate, c);
    if (described.persons.length > 0 && !genderClash(described.persons)) {
      return { ...base, ...described, via: 'attribution' };
    }
    description = { head: described.head, persons: [], possessors: described.possessors };
  }
  if (description) return { ...base, ...description, via: 'attribution' };

  // Fallback: the nearest preceding multi-word capitalised name (or honorific + name) in the text.
  const before = article.text.slice(0, Math.max(0, span.start));
  const re =
    /(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Rev)\.?[ \u00a0]+)?\p{Lu}[\p{L}'’-]+(?:[ \u00a0]+\p{Lu}[\p{L}'’-]+)+|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.?[ \u00a0]+\p{Lu}[\p{L}'’-]+/gu;
  for (const m of [...before.matchAll(re)].reverse()) {
    const a = analyseSpeaker(m[0]);
    if (a.kind !== 'name' || a.persons.length === 0 || genderClash(a.persons)) continue;
    return { ...base, via: 'text', persons: a.persons, possessors: [] };
  }
  return { ...base, via: 'unresolved', persons: [], possessors: [] };
}

/**
 * The last name (two or more capitalised words, or one already seen as a surname in the text) that
 * opens a sentence in text[from, to): the subject of a sentence between an attribution and a
 * pronoun. Only the very first words of a sentence count, so objects and asides never do.
 */
function sentenceOpeningName(text: string, from: number, to: number, accept: (persons: string[][]) => boolean): string[] | undefined {
  const window = text.slice(from, to);
  const re = /(?:^|[.!?]["”’']?\s+|\n\s*)((?:\p{Lu}[\p{L}'’.-]+)(?:\s+\p{Lu}[\p{L}'’.-]+){0,3})(?=,?\s+\p{Ll})/gu;
  let found: string[] | undefined;
  for (const m of window.matchAll(re)) {
    const a = analyseSpeaker(m[1]!, { text, start: from + (m.index ?? 0) + m[0].length - m[1]!.length });
    if (a.kind !== 'name' || a.persons.length !== 1) continue;
    const person = a.persons[0]!;
    if (person.length === 1 && (isDemonym(person[0]!) || !new RegExp(`\\p{Lu}[\\p{L}'’-]+\\s+${caseless(person[0]!)}\\b`, 'u').test(text))) continue;
    if (!accept(a.persons)) continue;
    found = person;
  }
  return found;
}

/** The nearest attribution before `start` whose speaker is a name (gender-checked when asked). */
function nearestNamedSpeaker(
  article: GoldArticle,
  start: number,
  accept: (persons: string[][]) => boolean = () => true,
): string[][] | undefined {
  const candidates = article.quotes
    .map((q) => goldSpeakerSpan(q))
    .filter((s) => s.start >= 0 && s.start < start && s.text != null)
    .sort((a, b) => b.start - a.start);
  for (const candidate of candidates) {
    const c = analyseSpeaker(candidate.text, { text: article.text, start: candidate.start });
    if (c.kind === 'name' && c.persons.length > 0 && accept(c.persons)) return c.persons;
  }
  return undefined;
}

/**
 * A description's referent: its head noun, possessors for documents, and the person the article
 * names for it ({@link resolveDescription}). A definite description with a person-role head that the
 * text does not name ("Obama's former campaign strategist", "the New York businessman") refers back
 * to someone already in the story, so the nearest preceding named speaker is accepted for it too;
 * indefinite ("a campaign aide") and anonymous ("the source") descriptions are not tied to anyone.
 */
function describe(
  article: GoldArticle,
  span: { start: number; end: number },
  analysis: SpeakerAnalysis,
): Pick<ResolvedSpeaker, 'via' | 'persons' | 'head' | 'possessors'> {
  const head = analysis.head ?? '';
  const possessors = THING_HEADS.has(head) ? analysis.possessors : [];
  const resolved = resolveDescription(article.text, span, head, analysis.definite ?? false);
  if (resolved) return { via: resolved.via, persons: resolved.persons, head, possessors };
  if (analysis.definite && REFERRING_ROLES.has(head) && !analysis.plural) {
    const named = nearestNamedSpeaker(article, span.start);
    if (named) return { via: 'attribution', persons: named, head, possessors };
  }
  return { via: 'span', persons: [], head, possessors };
}

export type SpeakerVerdict = 'correct' | 'wrong' | 'missing' | 'unresolved' | 'no-gold-speaker';

/**
 * Judges a predicted speaker against a resolved gold speaker:
 * - no gold speaker, or a pronoun that could not be resolved: not judged;
 * - no predicted speaker: `missing` (counts as an error);
 * - the prediction names a person the gold speaker stands for ({@link namesPerson}): correct;
 * - a description referent is also matched by a prediction that shares its head noun ("an aide"
 *   for "a campaign aide", "the source" for "a source"), or, for things ("Hoff's letter"), names the
 *   possessor;
 * - anything else, including a bare pronoun as the prediction: wrong.
 */
export function judgeSpeaker(predicted: string | undefined, gold: ResolvedSpeaker): SpeakerVerdict {
  if (gold.goldKind === 'none') return 'no-gold-speaker';
  if (gold.via === 'unresolved') return 'unresolved';
  if (predicted == null || normaliseSpace(predicted) === '') return 'missing';
  if (gold.persons.length > 0 && namesPerson(predicted, gold.persons)) return 'correct';
  if (gold.possessors.length > 0 && namesPerson(predicted, gold.possessors)) return 'correct';
  if (gold.head) {
    const prediction = analyseSpeaker(predicted);
    if (prediction.kind !== 'pronoun') {
      const words = quoteTokens(predicted).map((w) => singularNoun(w.replace(/'s$/, '')));
      if (words.includes(gold.head)) return 'correct';
    }
  }
  return 'wrong';
}

// ---------------------------------------------------------------------------------------------
// Evaluation report

export interface SpeakerKindCounts {
  /** matched pairs whose gold speaker is of this kind */
  matched: number;
  /** of those, judged (resolved, with a gold speaker) */
  judged: number;
  correct: number;
  /** judged but no speaker predicted */
  missing: number;
}

export interface ThresholdReport {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  /** mean overlap of the matched pairs */
  meanOverlap: number;
  /** unmatched predictions that overlap the quoted words of a `mixed` gold attribution at this threshold (they stay false positives) */
  falsePositivesQuotingMixed: number;
  speaker: {
    /** correct / judged, over matched pairs */
    accuracy: number;
    judged: number;
    correct: number;
    missing: number;
    /** matched pairs with no gold speaker (attributions without a source) */
    noGoldSpeaker: number;
    /** matched pairs with a pronoun gold speaker that could not be resolved */
    unresolved: number;
    byKind: Record<'name' | 'pronoun' | 'description', SpeakerKindCounts>;
    /** how pronoun gold speakers of matched pairs were resolved */
    pronounVia: Record<'attribution' | 'text' | 'unresolved', number>;
  };
}

export interface ArticleQuoteResult {
  id: string;
  predicted: number;
  gold: number;
  /** per threshold, in the order of `thresholds` */
  matches: { threshold: number; pairs: (QuoteMatch & { verdict: SpeakerVerdict })[] }[];
}

export interface QuoteEvalReport {
  articles: number;
  /** gold articles with no entry among the predictions (scored as predicting nothing) */
  articlesWithoutPredictions: string[];
  /** prediction keys that name no gold article (ignored) */
  unknownArticles: string[];
  goldDirect: number;
  predicted: number;
  thresholds: ThresholdReport[];
  perArticle: ArticleQuoteResult[];
}

export interface QuoteEvalOptions {
  /** overlap thresholds, default [0.3, 0.8] */
  thresholds?: readonly number[];
}

type Predictions = ReadonlyMap<string, readonly PredictedQuote[]> | Readonly<Record<string, readonly PredictedQuote[]>>;

function isPredictionMap(p: Predictions): p is ReadonlyMap<string, readonly PredictedQuote[]> {
  return p instanceof Map;
}

/** Quoted fragments of a gold string (text between matching quotation marks). */
function quotedFragments(text: string): string[] {
  return [...text.matchAll(/[“"]([^“”"]+)[”"]/g)].map((m) => m[1]!);
}

const emptyKind = (): SpeakerKindCounts => ({ matched: 0, judged: 0, correct: 0, missing: 0 });

/**
 * Scores predictions (by article id) against gold articles: micro-averaged P/R/F1 of direct quotes
 * at each threshold, and speaker accuracy on the matched pairs.
 */
export function evaluateQuotes(
  gold: readonly GoldArticle[],
  predictions: Predictions,
  options: QuoteEvalOptions = {},
): QuoteEvalReport {
  const thresholds = [...(options.thresholds ?? [0.3, 0.8])];
  const lookup: ReadonlyMap<string, readonly PredictedQuote[]> = isPredictionMap(predictions)
    ? predictions
    : new Map(Object.entries(predictions));
  const goldIds = new Set(gold.map((a) => a.id));
  const reports: ThresholdReport[] = thresholds.map((threshold) => ({
    threshold,
    truePositives: 0,
    falsePositives: 0,
    falseNegatives: 0,
    precision: 0,
    recall: 0,
    f1: 0,
    meanOverlap: 0,
    falsePositivesQuotingMixed: 0,
    speaker: {
      accuracy: 0,
      judged: 0,
      correct: 0,
      missing: 0,
      noGoldSpeaker: 0,
      unresolved: 0,
      byKind: { name: emptyKind(), pronoun: emptyKind(), description: emptyKind() },
      pronounVia: { attribution: 0, text: 0, unresolved: 0 },
    },
  }));
  const overlapSums = thresholds.map(() => 0);
  const perArticle: ArticleQuoteResult[] = [];
  const missingArticles: string[] = [];
  let goldDirect = 0;
  let predictedTotal = 0;

  for (const article of gold) {
    const preds = lookup.get(article.id);
    if (preds === undefined) missingArticles.push(article.id);
    const predicted = preds ?? [];
    const directIndex = article.quotes.flatMap((q, i) => (q.type === 'direct' ? [i] : []));
    const mixedText = article.quotes.filter((q) => q.type === 'mixed').flatMap((q) => quotedFragments(q.quote));
    goldDirect += directIndex.length;
    predictedTotal += predicted.length;
    const resolved = new Map<number, ResolvedSpeaker>();
    const resolvedFor = (i: number): ResolvedSpeaker => {
      let r = resolved.get(i);
      if (!r) {
        r = resolveGoldSpeaker(article, i);
        resolved.set(i, r);
      }
      return r;
    };
    const result: ArticleQuoteResult = {
      id: article.id,
      predicted: predicted.length,
      gold: directIndex.length,
      matches: [],
    };
    thresholds.forEach((threshold, t) => {
      const report = reports[t]!;
      const matches = matchQuotes(
        predicted.map((p) => p.text),
        directIndex.map((i) => article.quotes[i]!.quote),
        threshold,
      );
      report.truePositives += matches.length;
      report.falsePositives += predicted.length - matches.length;
      report.falseNegatives += directIndex.length - matches.length;
      const matchedPreds = new Set(matches.map((m) => m.predicted));
      predicted.forEach((p, i) => {
        if (matchedPreds.has(i)) return;
        if (mixedText.some((m) => m !== '' && tokenOverlap(p.text, m) >= threshold))
          report.falsePositivesQuotingMixed++;
      });
      const pairs: (QuoteMatch & { verdict: SpeakerVerdict })[] = [];
      for (const m of matches) {
        overlapSums[t]! += m.overlap;
        const goldSpeaker = resolvedFor(directIndex[m.gold]!);
        const verdict = judgeSpeaker(predicted[m.predicted]!.speaker, goldSpeaker);
        pairs.push({ ...m, gold: directIndex[m.gold]!, verdict });
        const s = report.speaker;
        if (verdict === 'no-gold-speaker') {
          s.noGoldSpeaker++;
          continue;
        }
        const kind = goldSpeaker.goldKind as 'name' | 'pronoun' | 'description';
        s.byKind[kind].matched++;
        if (kind === 'pronoun') {
          s.pronounVia[
            goldSpeaker.via === 'text' ? 'text' : goldSpeaker.via === 'unresolved' ? 'unresolved' : 'attribution'
          ]++;
        }
        if (verdict === 'unresolved') {
          s.unresolved++;
          continue;
        }
        s.judged++;
        s.byKind[kind].judged++;
        if (verdict === 'correct') {
          s.correct++;
          s.byKind[kind].correct++;
        } else if (verdict === 'missing') {
          s.missing++;
          s.byKind[kind].missing++;
        }
      }
      result.matches.push({ threshold, pairs });
    });
    perArticle.push(result);
  }

  reports.forEach((r, t) => {
    const predictedCount = r.truePositives + r.falsePositives;
    const goldCount = r.truePositives + r.falseNegatives;
    r.precision = predictedCount > 0 ? r.truePositives / predictedCount : 0;
    r.recall = goldCount > 0 ? r.truePositives / goldCount : 0;
    r.f1 = r.precision + r.recall > 0 ? (2 * r.precision * r.recall) / (r.precision + r.recall) : 0;
    r.meanOverlap = r.truePositives > 0 ? overlapSums[t]! / r.truePositives : 0;
    r.speaker.accuracy = r.speaker.judged > 0 ? r.speaker.correct / r.speaker.judged : 0;
  });

  return {
    articles: gold.length,
    articlesWithoutPredictions: missingArticles,
    unknownArticles: [...lookup.keys()].filter((id) => !goldIds.has(id)),
    goldDirect,
    predicted: predictedTotal,
    thresholds: reports,
    perArticle,
  };
}

const pct = (x: number): string => (100 * x).toFixed(1);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '))
    .join('\n');
}

/** The report as a plain-text table (percentages with one decimal). */
export function formatQuoteReport(report: QuoteEvalReport): string {
  const lines: string[] = [];
  lines.push(
    `Quotes: ${report.articles} articles, ${report.goldDirect} gold direct quotes, ${report.predicted} predicted` +
      (report.articlesWithoutPredictions.length > 0
        ? ` (${report.articlesWithoutPredictions.length} articles without predictions)`
        : ''),
  );
  lines.push('');
  const head = ['threshold', 'TP', 'FP', 'FN', 'P', 'R', 'F1', 'overlap', 'speaker acc', 'judged'];
  const rows = [head];
  for (const r of report.thresholds) {
    rows.push([
      r.threshold.toFixed(2),
      String(r.truePositives),
      String(r.falsePositives),
      String(r.falseNegatives),
      pct(r.precision),
      pct(r.recall),
      pct(r.f1),
      r.meanOverlap.toFixed(2),
      pct(r.speaker.accuracy),
      String(r.speaker.judged),
    ]);
  }
  lines.push(table(rows));
  lines.push('');
  lines.push('Speaker accuracy on matched pairs, by gold speaker kind (correct / judged, matched):');
  const kindRows = [['threshold', 'kind', 'matched', 'judged', 'correct', 'acc', 'no speaker predicted']];
  for (const r of report.thresholds) {
    for (const kind of ['name', 'pronoun', 'description'] as const) {
      const k = r.speaker.byKind[kind];
      kindRows.push([
        r.threshold.toFixed(2),
        kind,
        String(k.matched),
        String(k.judged),
        String(k.correct),
        k.judged > 0 ? pct(k.correct / k.judged) : '-',
        String(k.missing),
      ]);
    }
  }
  lines.push(table(kindRows));
  for (const r of report.thresholds) {
    const v = r.speaker.pronounVia;
    lines.push(
      `@${r.threshold.toFixed(2)}: pronoun gold speakers resolved via attribution ${v.attribution}, text ${v.text}, unresolved ${v.unresolved};` +
        ` no gold speaker ${r.speaker.noGoldSpeaker}; FPs quoting a mixed attribution ${r.falsePositivesQuotingMixed}`,
    );
  }
  return lines.join('\n');
}
