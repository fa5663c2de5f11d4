import type { Figure } from './schema.js';
import type { ArticleDocument, Sentence } from './document.js';
import type { EntityIndex } from './entities.js';
import type { ExtractedQuote } from './quotes.js';
import { parseWords, readNumberPhrases, type NumberPhrase } from './figures-phrases.js';
import { whatItMeasures } from './figures-what.js';
import { HEDGE_PHRASES, isFunctionWord, isPartyWord } from './lexicon.js';
import type { Attribution } from './attribution.js';

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
  attribution: Attribution;
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
/** Between two numbers earlier in such a list: "100,000, 200,000 or 250,000 refugees". */
const LIST_COMMA = /^,\s+$/;

/**
 * Hedges and fillers between a verb and its number: "won at least 15", "has about 200", "won just
 * 15", "has a total of 200". The hedges are the lexicon's.
 */
const HEDGES_AT_END = new RegExp(`(?:\\s*\\b(?:${[...HEDGE_PHRASES, 'just', 'only', 'a total of', 'another', 'a further'].join('|')}))+\\s*$`, 'i');
/** How far back the words before a number are read: a verb, its hedges and a name fit well inside. */
const WORDS_BEFORE = 120;

/** The words just before a position, their hedges aside ("Sanders won at least| 15"); a bounded window, so a long sentence costs no more per number. */
function textBefore(text: string, start: number): string {
  return text.slice(Math.max(0, start - WORDS_BEFORE), start).replace(HEDGES_AT_END, '');
}

/** The last word of a text, in lower case: "at" in "closed at ". */
function lastWord(text: string): string | undefined {
  return /([\p{L}][\p{L}'’]*)\s*$/u.exec(text)?.[1]?.toLowerCase();
}

const HAVE = new Set(['have', 'has', 'had', 'having']);
const BE = new Set(['is', 'are', 'was', 'were', 'be', 'been']);

/** The word a number follows, its hedges aside, in one form for every person and tense of "have" and "be" and without a third-person -s: "win" in "Sanders wins at least 15", "have" in "Labour has 187". */
function wordBefore(text: string, start: number): string | undefined {
  const word = lastWord(textBefore(text, start));
  if (word === undefined) return undefined;
  if (HAVE.has(word)) return 'have';
  if (BE.has(word)) return 'be';
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** A word that can govern both halves of a gapped pair: a verb or "with", not a word that only joins or frames ("in", "the", "and"). */
function governs(word: string | undefined): word is string {
  return word !== undefined && (word === 'with' || !isFunctionWord(word));
}

/**
 * The noun each number of a list takes from the last, where it is written once: in "100,000,
 * 200,000 or 250,000 Syrian refugees" all three count refugees. Read from the right, so a number
 * takes what the one after it took.
 */
function listedWhats(text: string, phrases: readonly NumberPhrase[], whats: readonly string[]): Array<{ from: number } | undefined> {
  const listed: Array<{ from: number } | undefined> = phrases.map(() => undefined);
  for (let i = phrases.length - 2; i >= 0; i--) {
    const phrase = phrases[i]!;
    if (whats[i] || phrase.unit || phrase.kind !== 'count') continue;
    const next = phrases[i + 1]!;
    const nextFrom = listed[i + 1]?.from ?? i + 1;
    const source = phrases[nextFrom]!;
    if (!(source.unit || whats[nextFrom]) || source.kind === 'fraction') continue;
    // A percentage is never more than 100 of it: "a town of 12,000, 30 or 40 percent" is no list.
    if (source.kind === 'percent' && phrase.quantity > 100) continue;
    const gap = text.slice(phrase.end, next.start);
    if (LISTED_BEFORE.test(gap) || (LIST_COMMA.test(gap) && listed[i + 1] !== undefined && opensList(text, phrase, source))) listed[i] = { from: nextFrom };
  }
  return listed;
}

/** Prepositions that end a phrase of their own before a comma: "In a town of 12,000, 30 …", "closed at 34,000, 200 …". */
const PHRASE_PREPOSITIONS = new Set(['of', 'in', 'at', 'by', 'on', 'above', 'below', 'over', 'under', 'from', 'to', 'than', 'after', 'before', 'since', 'until', 'near', 'around', 'past']);

/**
 * Whether a number before a comma is an item of the list that follows, not the end of a phrase
 * of its own: items of one list are of one size ("10,000, 20,000 or 30,000"), and a number after
 * a preposition closes that preposition's phrase ("closed at 34,000, 200 or 300 points below").
 */
function opensList(text: string, phrase: NumberPhrase, last: NumberPhrase): boolean {
  const word = lastWord(text.slice(Math.max(0, phrase.start - WORDS_BEFORE), phrase.start));
  if (word !== undefined && PHRASE_PREPOSITIONS.has(word)) return false;
  const [small, large] = phrase.quantity < last.quantity ? [phrase.quantity, last.quantity] : [last.quantity, phrase.quantity];
  return small > 0 && large / small <= 20;
}

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

/**
 * "the two nations", "the three men": a small number after "the" counts what the article has
 * already named ("Russia and North Korea"), and tells the reader nothing new. "The 12 jurors" and
 * "the two-thirds" are still figures.
 */
function refersBack(text: string, phrase: NumberPhrase): boolean {
  return phrase.kind === 'count' && phrase.spelled && phrase.quantity >= 2 && phrase.quantity <= 5 && phrase.hedges.length === 0 && /\bthe\s+$/i.test(text.slice(Math.max(0, phrase.start - 5), phrase.start));
}

/**
 * The last figure shown that counts something by a noun, and the word that governs it: a bare
 * number governed by the same word in the same or the next sentence counts the same thing
 * ("Clinton has at least 866 delegates. Sanders has at least 211.").
 */
interface CountedAntecedent {
  what: string;
  governor: string;
  sentence: Sentence;
  /** Where the figure ends in its sentence's text. */
  end: number;
}

/** The end of a clause right after a number: punctuation or the end of the sentence. */
const CLAUSE_END_AFTER = /^\s*(?:[.,;:!?)\]"”’]|$)/;

/**
 * Whether a bare number ends its clause, as a gapped one does: punctuation or a word that only
 * joins or frames follows it ("Sanders won 15, and …", "Kasich has 129 in Ohio"). A word that could
 * be the number's own noun ("112 aircraft", "2 alive", "12 were arrested") is no gapping.
 */
function endsClause(after: string): boolean {
  if (CLAUSE_END_AFTER.test(after)) return true;
  const next = /^\s+([\p{L}]+)/u.exec(after)?.[1];
  return next !== undefined && isFunctionWord(next);
}

/**
 * The noun a bare number borrows by gapping, if any: the antecedent's, when the same verb governs
 * both, within one paragraph and the next sentence at most, with no other number between them,
 * and the bare number ends its clause. "Be" and the verbs of saying govern what follows them, not a
 * parallel count ("The youngest was 9", "Police said 12 …").
 */
function gappedWhat(antecedent: CountedAntecedent | undefined, sentence: Sentence, text: string, phrase: NumberPhrase, governor: string | undefined): string | undefined {
  if (!antecedent || governor !== antecedent.governor || phrase.dashed) return undefined;
  if (governor === 'be' || FIGURE_ASSERTION_VERBS.has(governor)) return undefined;
  if (antecedent.sentence.paragraph !== sentence.paragraph || sentence.index - antecedent.sentence.index > 1) return undefined;
  const between = antecedent.sentence === sentence ? text.slice(antecedent.end, phrase.start) : antecedent.sentence.text.slice(antecedent.end) + text.slice(0, phrase.start);
  if (/\d/.test(between)) return undefined;
  return endsClause(text.slice(phrase.tail, phrase.tail + 40)) ? antecedent.what : undefined;
}

/** Verbs (and "at", "with") that give a candidate or party its share: "Cruz at 17 percent", "Clinton received 38 percent". */
const SHARE_BEFORE =
  /(\p{Lu}[\p{L}'’-]+)\s+(?:(?:is|was|are|were|stood|stands|came in|comes in)\s+at|at|with|had|has|holds|held|received|receives|got|gets|won|wins|took|takes|drew|draws|captured|garnered|polled|polls|earned|snagged|scored|claimed)\s*$/u;
/** Verbs after a share that say whom it is for: "56 percent would vote for Clinton", "37 percent backed Sanders". */
const SHARE_AFTER =
  /^\s+(?:of\s+[\p{L}\s]{1,40}?\s+)?(?:(?:would|will|said they would|say they would|plan to)\s+)?(?:vote|voted|back|backed|support|supported|favou?r|favou?red|prefer|preferred|chose|choose|picked|pick)\s+(?:for\s+)?(?:(?:Sen|Gov|Rep|Mr|Mrs|Ms|Dr)\.\s+|Senator\s+|Governor\s+|President\s+)?(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?)/u;

/** A sentence of shares against someone or of no one's support. */
const SHARE_AGAINST = /\b(?:not|never|no longer|oppose[sd]?|opposing|against|unfavou?rabl[ey]|disapprov\w*|reject\w*|least|worst|dislike[sd]?|disliking|distrust\w*)\b|n['’]t\b/i;
/** A name after one of these is where or among whom a share is counted, not its holder: "Turnout in Georgia was at 60 percent", "among Republicans". */
const SHARE_SCOPE_BEFORE = /\b(?:in|among|amongst|across|by|of|from|for|within)\s+(?:the\s+)?$/i;
/** A percentage that is a difference, not a share: "won 30 percent more votes", "took 5 percent off the tax". */
const SHARE_DIFFERENCE_AFTER = /^\s+(?:more|less|fewer|off|above|below|higher|lower|up|down|over|under|ahead|behind|increase|decrease|rise|drop|cut)\b/i;

/**
 * Whose share a percentage is, where the sentence gives it to a named person or party and says
 * nothing else it measures: "Ted Cruz at 17 percent" is Cruz's, "56 percent would vote for
 * Clinton" is Clinton's. Only a name the article knows as a person (by surname or in full), an
 * organisation or a party, and never in a sentence of shares against someone ("would not support");
 * "for Hillary Clinton" reads with the figure ("17 percent for Ted Cruz").
 */
function shareHolder(text: string, phrase: NumberPhrase, ctx: FigureContext): string | undefined {
  if (phrase.kind !== 'percent' || SHARE_DIFFERENCE_AFTER.test(text.slice(phrase.tail, phrase.tail + 40))) return undefined;
  const head = textBefore(text, phrase.start);
  const before = SHARE_BEFORE.exec(head);
  if (before && SHARE_SCOPE_BEFORE.test(head.slice(0, before.index))) return undefined;
  const after = before ? undefined : SHARE_AFTER.exec(text.slice(phrase.end, phrase.end + WORDS_BEFORE));
  const written = before?.[1] ?? after?.[1];
  if (!written) return undefined;
  const words = written.split(/\s+/);
  const person = ctx.entities.personByKey.get(written.toLowerCase()) ?? ctx.entities.fullNameOf(words[words.length - 1]!);
  if (person) return `for ${person}`;
  if (isPartyWord(written) || ctx.entities.organizations.includes(written)) return `for ${written}`;
  return undefined;
}

export function extractFigures(ctx: FigureContext): Figure[] {
  const figures: Figure[] = [];
  let antecedent: CountedAntecedent | undefined;
  for (const sentence of ctx.doc.sentences) {
    if (sentence.heading) continue;
    const text = sentence.text;
    const phrases = readNumberPhrases(text);
    if (phrases.length === 0) continue;
    const whats: string[] = [];
    for (const p of phrases) whats.push(whatItMeasures(text, p, p.tail));
    // The shares of people the sentence gives ("24 percent said", "six in 10 voters said"): who they count asserts nothing.
    const shares = phrases.flatMap((p, k) => (p.kind === 'percent' || p.kind === 'fraction' ? [` ${p.value} ${whats[k]} `.toLowerCase()] : []));
    const listed = listedWhats(text, phrases, whats);
    // "would definitely not support him, … Pataki at 20 percent": a share in a sentence of shares against someone is not theirs.
    const sharesAgainst = SHARE_AGAINST.test(text);
    let previous: { phrase: NumberPhrase; what: string } | undefined;
    for (let i = 0; i < phrases.length; i++) {
      let phrase = phrases[i]!;
      let what = whats[i]!;
      const governor = wordBefore(text, phrase.start);
      if (!what && !phrase.unit && phrase.kind === 'count') {
        const from = listed[i]?.from;
        const gapped = from === undefined ? gappedWhat(antecedent, sentence, text, phrase, governor) : undefined;
        if (from !== undefined) {
          // "8 or $9", "20 or 30 tweets": the first of a pair (or a list) takes the unit or the noun written on the last.
          const last = phrases[from]!;
          phrase = { ...phrase, kind: last.kind, ...(last.unit ? { unit: last.unit } : {}) };
          what = whats[from]!;
        } else if (gapped !== undefined) {
          // Gapping: "Clinton won at least 19 delegates and Sanders won at least 15", "Cruz has 370
          // delegates. Kasich has 129.": the same verb before both numbers, the noun written once.
          what = gapped;
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
      if (!isShown(phrase, what) || refersBack(text, phrase)) continue;
      if (!what && !sharesAgainst) what = shareHolder(text, phrase, ctx) ?? '';
      previous = { phrase, what };
      antecedent = phrase.kind === 'count' && !phrase.unit && what && governs(governor) ? { what, governor, sentence, end: phrase.end } : undefined;
      const figure: Figure = { value: phrase.value, quantity: phrase.quantity, what, sentence: sentence.index };
      if (phrase.unit) figure.unit = phrase.unit;
      const by = attributionOf(sentence, sentence.start + phrase.start, ctx);
      if (by && !isCountedGroup(by, shares)) figure.attributedTo = by;
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
// Attribution: who asserts a figure, from the one attribution module that also finds quotes'
// speakers, so a pronoun, a title or an outlet is resolved (or refused) the same way for both.

/** Verbs that assert a figure: speech, and the verbs of estimates, reports and findings. */
const FIGURE_ASSERTION_VERBS = new Set([
  'said', 'says', 'say', 'told', 'claimed', 'claims', 'claim', 'estimate', 'estimated', 'estimates', 'reported', 'reports',
  'confirmed', 'believe', 'believes', 'announced', 'stated', 'put', 'puts', 'warned', 'insisted', 'suggested', 'suggest',
  'suggests', 'indicate', 'indicates', 'indicated', 'show', 'shows', 'showed',
]);


/**
 * "Twenty-four percent said …", "28 percent of voters said …", "Six in 10 voters said …": a
 * poll's answer, whose respondents do not assert the figures of the sentence. The subject found
 * is no source when it is a number alone or part of such a share. "Two officials said 300 troops
 * …" still names its source.
 */
function isCountedGroup(by: string, shares: readonly string[]): boolean {
  // A number alone, in digits or words: "Twenty" (of "Twenty-four percent"), "10".
  if (/^\d[\d,.]*$/.test(by.trim()) || parseWords(by.trim()) !== undefined) return true;
  const key = ` ${by.toLowerCase()} `;
  return shares.some((share) => share.includes(key));
}

function attributionOf(sentence: Sentence, offsetInParagraph: number, ctx: FigureContext): string | undefined {
  const asserter = ctx.attribution.asserterAt(sentence, offsetInParagraph, (t) => t.word && FIGURE_ASSERTION_VERBS.has(t.lower));
  return asserter?.name ?? asserter?.description;
}
