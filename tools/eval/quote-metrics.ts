import { z } from 'zod';

/**
 * Quote-extraction metrics against PolNeAR-style gold annotations (`quotes-dev.jsonl`).
 * Pure functions: no I/O, and nothing from the engine: the ruler must not move with what it
 * measures. The pieces, each exported and unit-tested:
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
 * 4. Speaker accuracy on matched pairs, two ways (see {@link goldSpeakerOf} and
 *    {@link judgeSpeaker}): on gold speakers that are names, and on all gold speakers, where a
 *    pronoun or description ("he", "the mayor") stands for the person a frozen, hand-checked
 *    referents file names for it (`tools/eval/gold/quotes-dev.referents.jsonl`), or for no one.
 *    Names are compared by {@link namesPerson} ("Ms. May" names "Theresa May").
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

/**
 * The records of a JSON Lines text, each with its line number, checked against `schema`; throws,
 * in one line naming the line (`where:N`), on a line that is not JSON or not of the right shape.
 * (Not read-input's parser: this module imports nothing but zod.)
 */
function parseJsonLines<S extends z.ZodType>(text: string, where: string, schema: S): { line: number; record: z.infer<S> }[] {
  const records: { line: number; record: z.infer<S> }[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${where}:${i + 1}: not valid JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${where}:${i + 1}: ${issue?.path.length ? `"${issue.path.join('.')}": ` : ''}${issue?.message ?? 'invalid record'}`);
    }
    records.push({ line: i + 1, record: parsed.data });
  });
  return records;
}

/** Parses the text of a quotes JSONL file (one article per line); the error names the line. */
export function parseGoldJsonl(text: string, where = 'quotes record'): GoldArticle[] {
  return parseJsonLines(text, where, GoldArticleSchema).map((r) => r.record);
}

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
/**

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

function capitalisedRuns(tokens: readonly WordToken[]): Run[] {
  const runs: Run[] = [];
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
    // A possessor ("Twitter" in "Twitter's Adam Sharp") names the owner, not the speaker.
    if (ownedBy) continue;
    // Strip leading titles: keep what follows the last title that is not the final word.
    let from = 0;
    for (let k = 0; k < words.length - 1; k++) if (TITLES.has(words[k]!.toLowerCase().replace(/\.$/, ''))) from = k + 1;
    // A lone title ("Former secretary ...", "The president") is not a name, unless it is all there is ("Dean").
    const onlyTitle = words.length === 1 && TITLES.has(words[0]!.toLowerCase()) && tokens.length > 1;
    if (!onlyTitle) runs.push({ start, end: i, words: words.slice(from) });
  }
  return runs;
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
  const none: SpeakerAnalysis = { kind: 'none', persons: [] };
  if (speaker == null) return none;
  const text = normaliseSpace(speaker);
  if (text === '') return none;
  const bare = text
    .toLowerCase()
    .replace(/[^\p{L}' ]/gu, '')
    .replace(/'s$/, '')
    .trim();
  if (PRONOUNS.has(bare)) return { kind: 'pronoun', persons: [], pronoun: bare };

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
  const runs = capitalisedRuns(head);
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
    return analyseSpeaker(complement.map((t) => t.word).join(' '));
  }
  const headWord = (content[content.length - 1] ?? words[words.length - 1] ?? '').toLowerCase();
  return { kind: 'description', persons: [], head: singularNoun(headWord) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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

// ---------------------------------------------------------------------------------------------
// Frozen referents

/**
 * One line of a referents file (`tools/eval/gold/quotes-dev.referents.jsonl`, see its README): what
 * the gold speaker span of a direct quote refers to, when the span is a pronoun or a description.
 */
export const ReferentLineSchema = z.object({
  article: z.string(),
  /** index into the article's `quotes` */
  quote: z.number().int().nonnegative(),
  speaker: z.string(),
  kind: z.enum(['pronoun', 'description']),
  /** the named person (or body) the span refers to; null when the article never names one */
  referent: z.string().min(1).nullable(),
});
export type ReferentLine = z.infer<typeof ReferentLineSchema>;

/** Referents by `${article}#${quote}`. */
export type Referents = ReadonlyMap<string, ReferentLine>;

const referentKey = (article: string, quote: number): string => `${article}#${quote}`;

/** Parses a referents JSON Lines text; the error names the line. */
export function parseReferentsJsonl(text: string, where = 'referents'): Map<string, ReferentLine> {
  const referents = new Map<string, ReferentLine>();
  for (const { line, record } of parseJsonLines(text, where, ReferentLineSchema)) {
    const key = referentKey(record.article, record.quote);
    if (referents.has(key)) throw new Error(`${where}:${line}: a second line for quote ${record.quote} of ${record.article}`);
    if (record.referent !== null && analyseSpeaker(record.referent).kind !== 'name') {
      throw new Error(`${where}:${line}: referent "${record.referent}" is not a name`);
    }
    referents.set(key, record);
  }
  return referents;
}

/**
 * Checks referents against the gold articles they are used with: a line for an article of the set
 * must name a direct quote whose gold speaker span is the line's `speaker` (so a referents file made
 * for other data, or an edited gold file, fails instead of scoring nonsense). Returns how many lines
 * name an article of the set.
 */
export function checkReferents(gold: readonly GoldArticle[], referents: Referents, where = 'referents'): number {
  const byId = new Map(gold.map((a) => [a.id, a]));
  let used = 0;
  for (const line of referents.values()) {
    const article = byId.get(line.article);
    if (!article) continue;
    used++;
    const quote = article.quotes[line.quote];
    const span = quote ? goldSpeakerSpan(quote).text : undefined;
    if (!quote || quote.type !== 'direct' || span !== line.speaker) {
      throw new Error(`${where}: quote ${line.quote} of ${line.article} is not a direct quote spoken by "${line.speaker}" in the gold data`);
    }
  }
  return used;
}

/** Who a gold direct quote's speaker is, for judging a prediction. */
export interface GoldSpeaker {
  /** what the gold span itself is */
  kind: SpeakerKind;
  /** the span used (the cue, when speaker and cue were swapped in the annotation) */
  span: string | null;
  /** the named person(s) a prediction must name; empty when the speaker has no referent */
  persons: string[][];
  /** for a pronoun or description: the frozen referent (null: never named; undefined: no line for it) */
  referent?: string | null;
}

/**
 * The gold speaker of attribution `index`: a name stands for itself; a pronoun or a description
 * stands for its frozen referent from `referents`, or for no one when the referent is null or the
 * referents have no line for it; no span at all is no gold speaker.
 */
export function goldSpeakerOf(article: GoldArticle, index: number, referents: Referents = new Map()): GoldSpeaker {
  const attribution = article.quotes[index];
  if (!attribution) throw new Error(`no attribution ${index} in ${article.id}`);
  const span = goldSpeakerSpan(attribution);
  const analysis = analyseSpeaker(span.text, span.start >= 0 ? { text: article.text, start: span.start } : undefined);
  if (analysis.kind === 'none' || analysis.kind === 'name') return { kind: analysis.kind, span: span.text, persons: analysis.persons };
  const line = referents.get(referentKey(article.id, index));
  const referent = line?.referent;
  return {
    kind: analysis.kind,
    span: span.text,
    persons: referent ? analyseSpeaker(referent).persons : [],
    ...(line ? { referent: line.referent } : {}),
  };
}

export type SpeakerVerdict = 'correct' | 'wrong' | 'missing' | 'no-gold-speaker';

/**
 * Judges a predicted speaker against a gold speaker:
 * - no gold speaker span at all: not judged (`no-gold-speaker`);
 * - a gold speaker with a named person (a name, or a frozen referent): `correct` when the
 *   prediction names that person ({@link namesPerson}), `missing` when there is no prediction,
 *   `wrong` otherwise (a bare pronoun, a description, someone else);
 * - a gold pronoun or description with no referent (the article never names them, or the
 *   referents file has no line for it): judged all the same, and `correct` only when the quote
 *   is left unattributed, as a briefing should leave a quote it cannot give to a named person;
 *   any speaker given is `wrong`.
 */
export function judgeSpeaker(predicted: string | undefined, gold: GoldSpeaker): SpeakerVerdict {
  if (gold.kind === 'none') return 'no-gold-speaker';
  const given = predicted != null && normaliseSpace(predicted) !== '';
  if (gold.persons.length === 0) return given ? 'wrong' : 'correct';
  if (!given) return 'missing';
  return namesPerson(predicted, gold.persons) ? 'correct' : 'wrong';
}

// ---------------------------------------------------------------------------------------------
// Evaluation report

export interface SpeakerCounts {
  /** matched pairs judged */
  judged: number;
  correct: number;
  /** judged, the gold speaker named, but no speaker predicted */
  missing: number;
  /** correct / judged (0 when nothing was judged) */
  accuracy: number;
}

export interface SpeakerKindCounts {
  /** matched pairs whose gold speaker span is of this kind */
  matched: number;
  correct: number;
  missing: number;
  /** of those, pairs whose gold speaker has no referent (correct only when left unattributed) */
  noReferent: number;
  /** of those, pairs whose pronoun or description had no line in the referents */
  notInReferents: number;
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
    /** (a) matched pairs whose gold speaker span is a name */
    names: SpeakerCounts;
    /** (b) all matched pairs with a gold speaker: names, and pronouns and descriptions by their frozen referents */
    all: SpeakerCounts;
    /** matched pairs with no gold speaker span (attributions without a source): not judged */
    noGoldSpeaker: number;
    byKind: Record<'name' | 'pronoun' | 'description', SpeakerKindCounts>;
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
  /** gold direct quotes whose speaker is a pronoun or description, and how many of them the referents cover */
  nonNameSpeakers: number;
  nonNameSpeakersWithReferentLine: number;
  thresholds: ThresholdReport[];
  perArticle: ArticleQuoteResult[];
}

export interface QuoteEvalOptions {
  /** overlap thresholds, default [0.3, 0.8] */
  thresholds?: readonly number[];
  /** frozen referents of pronoun and description speakers (none: every such speaker has no referent) */
  referents?: Referents;
}

type Predictions = ReadonlyMap<string, readonly PredictedQuote[]> | Readonly<Record<string, readonly PredictedQuote[]>>;

function isPredictionMap(p: Predictions): p is ReadonlyMap<string, readonly PredictedQuote[]> {
  return p instanceof Map;
}

/** Quoted fragments of a gold string (text between matching quotation marks). */
function quotedFragments(text: string): string[] {
  return [...text.matchAll(/[“"]([^“”"]+)[”"]/g)].map((m) => m[1]!);
}

const emptyCounts = (): SpeakerCounts => ({ judged: 0, correct: 0, missing: 0, accuracy: 0 });
const emptyKind = (): SpeakerKindCounts => ({ matched: 0, correct: 0, missing: 0, noReferent: 0, notInReferents: 0 });

/**
 * Scores predictions (by article id) against gold articles: micro-averaged P/R/F1 of direct quotes
 * at each threshold, and speaker accuracy on the matched pairs, on names and on all gold speakers.
 */
export function evaluateQuotes(
  gold: readonly GoldArticle[],
  predictions: Predictions,
  options: QuoteEvalOptions = {},
): QuoteEvalReport {
  const thresholds = [...(options.thresholds ?? [0.3, 0.8])];
  const referents = options.referents ?? new Map<string, ReferentLine>();
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
      names: emptyCounts(),
      all: emptyCounts(),
      noGoldSpeaker: 0,
      byKind: { name: emptyKind(), pronoun: emptyKind(), description: emptyKind() },
    },
  }));
  const overlapSums = thresholds.map(() => 0);
  const perArticle: ArticleQuoteResult[] = [];
  const missingArticles: string[] = [];
  let goldDirect = 0;
  let predictedTotal = 0;
  let nonNameSpeakers = 0;
  let nonNameSpeakersWithReferentLine = 0;

  for (const article of gold) {
    const preds = lookup.get(article.id);
    if (preds === undefined) missingArticles.push(article.id);
    const predicted = preds ?? [];
    const directIndex = article.quotes.flatMap((q, i) => (q.type === 'direct' ? [i] : []));
    const mixedText = article.quotes.filter((q) => q.type === 'mixed').flatMap((q) => quotedFragments(q.quote));
    goldDirect += directIndex.length;
    predictedTotal += predicted.length;
    const speakers = new Map(directIndex.map((i) => [i, goldSpeakerOf(article, i, referents)]));
    for (const s of speakers.values()) {
      if (s.kind !== 'pronoun' && s.kind !== 'description') continue;
      nonNameSpeakers++;
      if (s.referent !== undefined) nonNameSpeakersWithReferentLine++;
    }
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
        const goldSpeaker = speakers.get(directIndex[m.gold]!)!;
        const verdict = judgeSpeaker(predicted[m.predicted]!.speaker, goldSpeaker);
        pairs.push({ ...m, gold: directIndex[m.gold]!, verdict });
        const s = report.speaker;
        if (verdict === 'no-gold-speaker') {
          s.noGoldSpeaker++;
          continue;
        }
        const kind = goldSpeaker.kind as 'name' | 'pronoun' | 'description';
        const k = s.byKind[kind];
        k.matched++;
        if (goldSpeaker.persons.length === 0) k.noReferent++;
        if (kind !== 'name' && goldSpeaker.referent === undefined) k.notInReferents++;
        for (const counts of kind === 'name' ? [s.names, s.all] : [s.all]) {
          counts.judged++;
          if (verdict === 'correct') counts.correct++;
          if (verdict === 'missing') counts.missing++;
        }
        if (verdict === 'correct') k.correct++;
        if (verdict === 'missing') k.missing++;
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
    for (const counts of [r.speaker.names, r.speaker.all]) counts.accuracy = counts.judged > 0 ? counts.correct / counts.judged : 0;
  });

  return {
    articles: gold.length,
    articlesWithoutPredictions: missingArticles,
    unknownArticles: [...lookup.keys()].filter((id) => !goldIds.has(id)),
    goldDirect,
    predicted: predictedTotal,
    nonNameSpeakers,
    nonNameSpeakersWithReferentLine,
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
export function formatQuoteReport(report: QuoteEvalReport, referentsSource = 'none'): string {
  const lines: string[] = [];
  lines.push(
    `Quotes: ${report.articles} articles, ${report.goldDirect} gold direct quotes, ${report.predicted} predicted` +
      (report.articlesWithoutPredictions.length > 0
        ? ` (${report.articlesWithoutPredictions.length} articles without predictions)`
        : ''),
  );
  lines.push(
    `Referents: ${referentsSource}; ${report.nonNameSpeakersWithReferentLine} of ${report.nonNameSpeakers} pronoun or description speakers have a frozen referent line (the rest count as no referent)`,
  );
  lines.push('');
  const head = ['threshold', 'TP', 'FP', 'FN', 'P', 'R', 'F1', 'overlap', 'speaker acc: names', 'judged', 'all speakers', 'judged'];
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
      pct(r.speaker.names.accuracy),
      String(r.speaker.names.judged),
      pct(r.speaker.all.accuracy),
      String(r.speaker.all.judged),
    ]);
  }
  lines.push(table(rows));
  lines.push('');
  lines.push('Speakers of matched pairs, by what the gold speaker span is (no referent: correct only when left unattributed):');
  const kindRows = [['threshold', 'kind', 'matched', 'correct', 'acc', 'no speaker predicted', 'no referent']];
  for (const r of report.thresholds) {
    for (const kind of ['name', 'pronoun', 'description'] as const) {
      const k = r.speaker.byKind[kind];
      kindRows.push([
        r.threshold.toFixed(2),
        kind,
        String(k.matched),
        String(k.correct),
        k.matched > 0 ? pct(k.correct / k.matched) : '-',
        String(k.missing),
        kind === 'name' ? '-' : String(k.noReferent),
      ]);
    }
  }
  lines.push(table(kindRows));
  for (const r of report.thresholds) {
    lines.push(
      `@${r.threshold.toFixed(2)}: no gold speaker ${r.speaker.noGoldSpeaker} (not judged); FPs quoting a mixed attribution ${r.falsePositivesQuotingMixed}`,
    );
  }
  return lines.join('\n');
}
