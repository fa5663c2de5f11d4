import type { ArticleDocument, Paragraph, QuoteSpan, Sentence } from './document.js';
import { mergeAbbreviations, type EntityIndex, type Mention } from './entities.js';
import {
  INVERTABLE_SPEECH_VERBS,
  isCommonWord,
  isDemonym,
  isFirstName,
  isFunctionWord,
  isLastName,
  lexiconTags,
  isOutlet,
  isOutletWord,
  isPartyWord,
  isPlaceWord,
  REFERRING_ROLES,
  roleGender,
  PRONOUNS,
  SPEAKER_NOUNS,
  SPEECH_NOUNS,
  SPEECH_VERBS,
  TITLE_ABBREVIATIONS,
  TITLE_WORDS,
} from './lexicon.js';
import { splitQuoteSpans } from './quoted-terms.js';
import { isCapitalized, tokenize, type Token } from './tokens.js';

/**
 * Who says something in an article: the one place the engine decides who a speaker is. Quotes
 * ask it who said their words; figures ask it who asserts a number. It reads the clause around a
 * speech verb ("said", "added", "according to") for the phrase that names the speaker, then
 * resolves that phrase to the person the article names in full: a pronoun ("he"), a description
 * ("the senator"), a title and surname ("Ms. May") or a first name or surname alone. A phrase
 * that names nobody fit to speak (a bare title, a pronoun with no antecedent, an outlet, a place)
 * gives no speaker: an unattributed quote is better than a wrong name.
 */

export interface Speaker {
  /** The person or body by the name the article gives it: never a pronoun, a bare title, an outlet or a place. */
  name?: string;
  role?: string;
  /** How the article describes a speaker it does not name ("a campaign aide", "the council"). */
  description?: string;
  /** True when the name was resolved from a pronoun or a description, not written at the quote. */
  resolved?: boolean;
}

/** Where a quote's words stand: its spans in order, and the sentences it starts and ends in. */
export interface QuotePlacement {
  spans: QuoteSpan[];
  firstSentence: Sentence;
  lastSentence: Sentence;
}

const SKIPPABLE_BEFORE_VERB = new Set([
  'has', 'had', 'have', 'was', 'is', 'were', 'are', 'also', 'later', 'then', 'previously', 'reportedly', 'once',
  'recently', 'further', 'simply', 'again', 'earlier', 'subsequently', 'repeatedly', 'often', 'had', 'would', 'will',
  'could', 'did', 'does', 'do', 'been', 'being', 'all', 'both', 'just', 'even', 'still', 'himself', 'herself',
  'privately', 'publicly', 'once', 'famously', 'memorably', 'reportedly', 'apparently', 'in', 'a', 'statement',
]);
const DETERMINERS = new Set(['the', 'a', 'an', 'one', 'another', 'this', 'that', 'his', 'her', 'their', 'its', 'our', 'some', 'many', 'several', 'two', 'three', 'other', 'senior', 'top']);
const PREPOSITIONS = new Set(['at', 'of', 'for', 'from', 'in', 'with', 'on', 'to', 'by']);
/** Words after which a name is an object, not a sentence's subject. */
const OBJECT_MARKERS = new Set([...PREPOSITIONS, 'under', 'about', 'against', 'over', 'between', 'among', 'including', 'like', 'than', 'toward', 'towards', 'into', 'onto', 'without', 'within', 'after', 'before', 'behind', 'beside', 'via', 'per', 'unlike', 'alongside', 'versus', 'vs']);
const CLAUSE_BREAKERS = new Set(['that', 'which', 'who', 'when', 'while', 'because', 'but', 'and', 'if', 'as', 'after', 'before', 'where']);

function isMarkToken(t: Token): boolean {
  return /^["“”‘’'«»]$/.test(t.text);
}

function isAdverb(t: Token): boolean {
  return t.word && /ly$/.test(t.lower) && !SPEAKER_NOUNS.has(t.lower) && t.lower !== 'family';
}

function isSpeechVerb(t: Token): boolean {
  return t.word && SPEECH_VERBS.has(t.lower);
}

/** A plural or a description as speaker: "officials", "a campaign aide". */
function isSpeakerNoun(t: Token | undefined): boolean {
  return t !== undefined && t.word && !isCapitalized(t.text) && SPEAKER_NOUNS.has(t.lower);
}

class ParagraphReader {
  readonly tokens: Token[];
  private readonly mentionsByEnd = new Map<number, Mention>();
  private readonly mentionsByStart = new Map<number, Mention>();

  constructor(
    readonly paragraph: Paragraph,
    mentions: Mention[],
    nameSpans: QuoteSpan[],
    tokens: Token[] = mergeAbbreviations(tokenize(paragraph.text)),
  ) {
    // Quotation marks around names and call signs are read as if absent.
    const nameMarks = new Set<number>();
    for (const s of nameSpans) {
      nameMarks.add(s.open);
      nameMarks.add(s.close);
    }
    this.tokens = nameMarks.size > 0 ? tokens.filter((t) => !(isMarkToken(t) && nameMarks.has(t.start))) : tokens;
    for (const m of mentions) {
      this.mentionsByEnd.set(m.end, m);
      this.mentionsByStart.set(m.start, m);
    }
  }

  /** Index of the first token at or after `offset`. */
  indexAt(offset: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid]!.start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  mentionEndingAt(token: Token | undefined): Mention | undefined {
    if (!token) return undefined;
    return this.mentionsByEnd.get(token.end) ?? this.mentionsByEnd.get(token.end - 2) ?? this.mentionsByEnd.get(token.end - 1);
  }

  mentionStartingAt(token: Token | undefined): Mention | undefined {
    return token ? this.mentionsByStart.get(token.start) : undefined;
  }
}

interface Context {
  doc: ArticleDocument;
  entities: EntityIndex;
  readers: Map<number, ParagraphReader>;
  /** The article's author, who "I" is outside quotation marks. */
  author?: string;
  /** Whether an offset of a paragraph lies inside someone's quoted words. */
  quoted(paragraph: number, offset: number): boolean;
  /** The spans of someone's quoted words, by paragraph, in order. */
  quotedWords: Map<number, QuoteSpan[]>;
  /** Whether an offset of a paragraph lies inside marks around a name or a title ("Dirty Dancing"). */
  inTerm(paragraph: number, offset: number): boolean;
  /** Speakers of the quotes attributed so far, in article order. */
  attributed: Array<{ speaker: Speaker; sentence: number; paragraph: number; spans: QuoteSpan[] }>;
}

/** The speaker of the latest attributed quote. */
function lastSpeakerOf(ctx: Context): Context['attributed'][number] | undefined {
  return ctx.attributed[ctx.attributed.length - 1];
}

/** The questions the rest of the engine asks about speakers. */
export interface Attribution {
  /** The spans between quotation marks that hold someone's words (not names, titles or scare quotes). */
  readonly quotedWords: readonly QuoteSpan[];
  /**
   * Who said each quote, given in article order: a quote standing alone after an attributed one
   * carries on its speaker, and pronouns favour people just quoted. The answers are remembered
   * for {@link Attribution.asserterAt}.
   */
  speakersOfQuotes(quotes: readonly QuotePlacement[]): Array<Speaker | undefined>;
  /**
   * Who asserts what is written at `offset` (in the paragraph) of a sentence: the speaker of the
   * quote around it; else the source after "according to"; else the subject of the assertion verb
   * that governs it (the last before it, or failing that the first after it). `isVerb` says which
   * words assert; by default the speech verbs.
   */
  asserterAt(sentence: Sentence, offset: number, isVerb?: (word: Token) => boolean): Speaker | undefined;
  /** A paragraph's tokens as the attribution reads them (titles merged, marks around names dropped). */
  tokensOf(paragraph: number): Token[];
}

/** Builds the attribution reader for one article. */
export function createAttribution(doc: ArticleDocument, entities: EntityIndex, options: { author?: string } = {}): Attribution {
  const mentionsByParagraph = new Map<number, Mention[]>();
  for (const m of entities.mentions) {
    const list = mentionsByParagraph.get(m.paragraph) ?? [];
    list.push(m);
    mentionsByParagraph.set(m.paragraph, list);
  }
  const { words, terms } = splitQuoteSpans(doc);
  const termsByParagraph = new Map<number, QuoteSpan[]>();
  for (const span of terms) {
    const list = termsByParagraph.get(span.paragraph) ?? [];
    list.push(span);
    termsByParagraph.set(span.paragraph, list);
  }
  const readers = new Map<number, ParagraphReader>();
  for (const p of doc.paragraphs) {
    // The entity reader has tokenised the paragraph already.
    readers.set(p.index, new ParagraphReader(p, mentionsByParagraph.get(p.index) ?? [], termsByParagraph.get(p.index) ?? [], entities.tokensOf(p.index)));
  }
  const quotedWords = new Map<number, QuoteSpan[]>();
  for (const span of words) {
    const list = quotedWords.get(span.paragraph) ?? [];
    list.push(span);
    quotedWords.set(span.paragraph, list);
  }
  const quoted = (paragraph: number, offset: number): boolean =>
    (quotedWords.get(paragraph) ?? []).some((span) => offset > span.open && offset < span.close);
  const inTerm = (paragraph: number, offset: number): boolean =>
    (termsByParagraph.get(paragraph) ?? []).some((span) => offset > span.open && offset < span.close);
  const ctx: Context = { doc, entities, readers, quoted, quotedWords, inTerm, attributed: [], ...(options.author ? { author: options.author } : {}) };
  return {
    quotedWords: words,
    speakersOfQuotes: (quotes) => {
      ctx.attributed = [];
      return quotes.map((quote) => attribute(quote, ctx));
    },
    asserterAt: (sentence, offset, isVerb = isSpeechVerb) => asserterAt(sentence, offset, isVerb, ctx),
    tokensOf: (paragraph) => readers.get(paragraph)?.tokens ?? [],
  };
}

function sentenceAt(paragraph: Paragraph, offset: number): Sentence {
  let found = paragraph.sentences[0]!;
  for (const s of paragraph.sentences) {
    if (s.start <= offset) found = s;
    else break;
  }
  return found;
}

function attribute(unit: QuotePlacement, ctx: Context): Speaker | undefined {
  const first = unit.spans[0]!;
  const last = unit.spans[unit.spans.length - 1]!;
  const firstReader = ctx.readers.get(first.paragraph)!;
  const lastReader = ctx.readers.get(last.paragraph)!;

  // After the quote: `"...," said Smith.` / `"...," Smith said.` / `"...," he added.`
  let speaker = vet(speakerAfter(lastReader, last, unit.lastSentence, ctx), unit.lastSentence, ctx);
  // Before it: `Smith said: "..."` / `Kim has vowed that it will "..."` / `Kim's pledge of "..."`.
  if (!speaker) speaker = vet(speakerBefore(firstReader, first, unit.firstSentence, ctx), unit.firstSentence, ctx);
  // Between the parts of a split quote: the attribution after each part but the last.
  for (let k = 0; !speaker && k < unit.spans.length - 1; k++) {
    const part = unit.spans[k]!;
    if (part.continues) continue;
    const reader = ctx.readers.get(part.paragraph)!;
    const sentence = sentenceAt(reader.paragraph, Math.max(part.open, part.close - 1));
    speaker = vet(speakerAfter(reader, part, sentence, ctx), sentence, ctx);
  }
  // A paragraph that ends `Smith said:` introduces the quote that opens the next one.
  if (!speaker && first.open === 0 && first.paragraph > 0) {
    const previous = ctx.doc.paragraphs[first.paragraph - 1]!;
    if (/:\s*$/.test(previous.text)) {
      const reader = ctx.readers.get(previous.index)!;
      const lastSentence = previous.sentences[previous.sentences.length - 1]!;
      speaker = vet(speakerInClause(reader, reader.indexAt(lastSentence.start), reader.tokens.length, ctx, lastSentence), lastSentence, ctx);
    }
  }
  // A quote standing alone right after another quote continues that speaker's words.
  const previous = lastSpeakerOf(ctx);
  if (!speaker && previous) {
    const alone = standsAlone(unit, ctx);
    const near = unit.firstSentence.index - previous.sentence <= 3 && first.paragraph - previous.paragraph <= 2;
    if (alone && near) speaker = previous.speaker;
  }
  if (speaker?.name || speaker?.description) ctx.attributed.push({ speaker, sentence: unit.lastSentence.index, paragraph: last.paragraph, spans: unit.spans });
  return speaker;
}

function asserterAt(sentence: Sentence, offset: number, isVerb: (word: Token) => boolean, ctx: Context): Speaker | undefined {
  for (const quote of ctx.attributed) {
    if (quote.spans.some((s) => s.paragraph === sentence.paragraph && offset > s.open && offset < s.close)) return quote.speaker;
  }
  const reader = ctx.readers.get(sentence.paragraph);
  if (!reader) return undefined;
  const tokens = reader.tokens;
  const start = reader.indexAt(sentence.start);
  const end = reader.indexAt(sentence.end);
  for (let i = start; i < end - 1; i++) {
    if (tokens[i]!.lower === 'according' && tokens[i + 1]!.lower === 'to' && !ctx.quoted(sentence.paragraph, tokens[i]!.start)) {
      const source = vet(nounPhraseAfter(reader, i + 2, end, ctx, sentence), sentence, ctx);
      if (source) return source;
    }
  }
  let before: number | undefined;
  let after: number | undefined;
  for (let i = start; i < end; i++) {
    const t = tokens[i]!;
    if (!isVerb(t) || ctx.quoted(sentence.paragraph, t.start)) continue;
    // "the post", "a claim": a noun after a determiner, not a verb.
    if (i > start && DETERMINERS.has(tokens[i - 1]!.lower)) continue;
    if (t.start < offset) before = i;
    else if (after === undefined) after = i;
  }
  const verb = before ?? after;
  if (verb === undefined) return undefined;
  const subject = vet(subjectBefore(reader, verb, start, ctx, sentence), sentence, ctx);
  if (subject) return subject;
  if (INVERTABLE_SPEECH_VERBS.has(tokens[verb]!.lower)) {
    const inverted = vet(nounPhraseAfter(reader, verb + 1, end, ctx, sentence), sentence, ctx);
    if (inverted) return inverted;
  }
  return vet(clauseSubject(reader, start, verb, ctx, sentence), sentence, ctx);
}

/** True when the quote is its sentences' whole text (nothing outside the marks but punctuation). */
function standsAlone(unit: QuotePlacement, ctx: Context): boolean {
  const first = unit.spans[0]!;
  const last = unit.spans[unit.spans.length - 1]!;
  const p1 = ctx.doc.paragraphs[first.paragraph]!;
  const p2 = ctx.doc.paragraphs[last.paragraph]!;
  const before = p1.text.slice(unit.firstSentence.start, first.open);
  const after = p2.text.slice(Math.min(last.close + 1, p2.text.length), unit.lastSentence.end);
  return !/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after);
}

function speakerAfter(reader: ParagraphReader, span: QuoteSpan, sentence: Sentence, ctx: Context): Speaker | undefined {
  const paragraphText = reader.paragraph.text;
  if (span.close >= paragraphText.length) return undefined;
  // The clause after the closing mark, up to the end of its sentence or the next quote.
  const end = Math.max(sentence.end, span.close + 1);
  let from = reader.indexAt(span.close + 1);
  const tokens = reader.tokens;
  let to = reader.indexAt(end);
  for (let i = from; i < to; i++) {
    if (isMarkToken(tokens[i]!) && /["“‘']/.test(tokens[i]!.text) && i > from) {
      to = i;
      break;
    }
  }
  // `“...” ― Esther Tapia`: a dash and a name sign the quote.
  if (from < to && /^[—―–-]$/.test(tokens[from]!.text)) {
    const signed = reader.mentionStartingAt(tokens[from + 1]);
    if (signed && signed.kind !== 'place') return speakerFromMention(signed, ctx);
  }
  // Skip the punctuation that closes the quoted words.
  while (from < to && !tokens[from]!.word) from++;
  if (from >= to) return undefined;
  const clause = tokens.slice(from, to);
  // `said Smith` / `said the spokesman` (inverted).
  const head = clause[0]!;
  if (isSpeechVerb(head) && INVERTABLE_SPEECH_VERBS.has(head.lower)) {
    const np = nounPhraseAfter(reader, from + 1, to, ctx, sentence);
    if (np) return np;
  }
  // `"...," according to a court filing by state attorney Dave Aronberg.`
  if (head.lower === 'according' && clause[1]?.lower === 'to') {
    const np = nounPhraseAfter(reader, from + 2, to, ctx, sentence);
    if (np) return np;
  }
  // `Smith said`, `he added`, `the spokesman, Dmitry Peskov, told reporters`.
  const verbAt = clause.findIndex((t, k) => isSpeechVerb(t) && k <= 12);
  if (verbAt > 0) {
    const subject = subjectBefore(reader, from + verbAt, from, ctx, sentence);
    if (subject) return subject;
    // `"..." and Clevelanders get nervous, said Christine Link`: inverted after a comma.
    if (clause[verbAt - 1]!.text === ',' && INVERTABLE_SPEECH_VERBS.has(clause[verbAt]!.lower)) {
      const np = nounPhraseAfter(reader, from + verbAt + 1, to, ctx, sentence);
      if (np) return np;
    }
  }
  // A participle ("...," promising the club will return) takes its clause's subject; what
  // follows it is its object, not an inverted speaker.
  if (verbAt === 0 && !/ing$/.test(head.lower)) {
    const np = nounPhraseAfter(reader, from + 1, to, ctx, sentence);
    if (np) return np;
  }
  // `"...," Trump, the 2016 GOP frontrunner, said at a rally`: a long appositive before the verb.
  const lead = reader.mentionStartingAt(head);
  if (lead && lead.kind !== 'place' && clause.some(isSpeechVerb)) return speakerFromMention(lead, ctx);
  if (verbAt >= 0) return clauseSubject(reader, from, from + verbAt, ctx, sentence);
  return undefined;
}

/**
 * The subject of a clause when no verb-adjacent phrase names it: the first person, pronoun or
 * speaking description in tokens[start, end), outside quoted words. `When he returned he began
 * by saying, "..."`; `She then addressed the supporters again: "..."`.
 */
function clauseSubject(reader: ParagraphReader, start: number, end: number, ctx: Context, sentence: Sentence): Speaker | undefined {
  const tokens = reader.tokens;
  for (let i = start; i < end; i++) {
    const t = tokens[i]!;
    if (ctx.quoted(reader.paragraph.index, t.start)) continue;
    const mention = reader.mentionStartingAt(t);
    // "the Clinton campaign said": a name that modifies a noun is not the subject; the noun phrase is.
    if (mention?.modifier) continue;
    if (mention && (mention.kind === 'person' || mention.kind === 'organization' || mention.kind === 'other') && !isDemonym(mention.name)) {
      // Skip a name that is only the object of a preposition: "in Washington", "to Trump".
      const before = tokens[i - 1];
      if (!before || !PREPOSITIONS.has(before.lower) || before.lower === 'by') return speakerFromMention(mention, ctx);
    }
    if (isPersonalPronoun(t)) return pronounSpeaker(t, sentence, ctx);
    // "a White House official": a name that modifies the noun belongs to the description.
    const modified = reader.mentionEndingAt(tokens[i - 1])?.modifier === true;
    if (isSpeakerNoun(t) && (i === start || DETERMINERS.has(tokens[i - 1]!.lower) || !tokens[i - 1]!.word || modified)) {
      const description = descriptionEndingAt(reader, i, start);
      if (description) return resolveDescription(description, sentence, ctx);
    }
  }
  return undefined;
}

function speakerBefore(reader: ParagraphReader, span: QuoteSpan, sentence: Sentence, ctx: Context): Speaker | undefined {
  const tokens = reader.tokens;
  const from = reader.indexAt(sentence.start);
  let to = reader.indexAt(span.open);
  // Stop at an earlier quote in the same sentence: its attribution is its own.
  let start = from;
  for (let i = to - 1; i >= from; i--) {
    if (isMarkToken(tokens[i]!) && /["”’']/.test(tokens[i]!.text) && tokens[i]!.start < span.open) {
      start = i + 1;
      break;
    }
  }
  if (start >= to) return undefined;
  // Kim Jong Un's pledge of "..."
  let k = to - 1;
  if (k >= start && ['of', ':', ','].includes(tokens[k]!.lower)) k--;
  if (k >= start && tokens[k]!.word && SPEECH_NOUNS.has(tokens[k]!.lower)) {
    const owner = tokens[k - 1];
    const mention = reader.mentionEndingAt(owner);
    if (owner && mention && /['’]s?$/.test(owner.text) && mention.kind !== 'place') return speakerFromMention(mention, ctx);
    if (owner && PRONOUNS[owner.lower.replace(/['’]s$/, '')]) return resolvePronoun(owner.lower === 'her' ? 'she' : owner.lower === 'his' ? 'he' : owner.lower, sentence, ctx, owner.start);
  }
  to = Math.min(to, tokens.length);
  const spoken = speakerInClause(reader, start, to, ctx, sentence);
  if (spoken) return spoken;
  // `...doesn't surprise Republican pollster Daron Shaw: "..."`, `She then addressed them: "..."`.
  if (tokens[to - 1]?.text === ':') {
    // "Rep. Trey Gowdy (R-S.C.):": the name before the party and state.
    let n = to - 2;
    if (tokens[n]?.text === ')') {
      while (n > start && tokens[n]!.text !== '(') n--;
      n--;
    }
    const named = reader.mentionEndingAt(tokens[n]);
    if (named && named.kind !== 'place') return speakerFromMention(named, ctx);
    return clauseSubject(reader, start, to - 1, ctx, sentence);
  }
  return undefined;
}

/** Finds the speaker of the last speech verb in tokens[start, end). */
function speakerInClause(reader: ParagraphReader, start: number, end: number, ctx: Context, sentence: Sentence): Speaker | undefined {
  const tokens = reader.tokens;
  for (let i = end - 1; i >= start; i--) {
    const t = tokens[i]!;
    if (t.lower === 'according' && tokens[i + 1]?.lower === 'to') {
      const np = nounPhraseAfter(reader, i + 2, end, ctx, sentence);
      if (np) return np;
    }
    if (!isSpeechVerb(t)) continue;
    // "called for", "pointed out": still speech; "post" as a noun after a determiner is not.
    if (i > start && DETERMINERS.has(tokens[i - 1]!.lower)) continue;
    const subject = subjectBefore(reader, i, start, ctx, sentence);
    if (subject) return subject;
    if (INVERTABLE_SPEECH_VERBS.has(t.lower)) {
      const np = nounPhraseAfter(reader, i + 1, end, ctx, sentence);
      if (np) return np;
    }
    return clauseSubject(reader, start, i, ctx, sentence);
  }
  return undefined;
}

/** The subject of the speech verb at `verb`, reading backwards no further than `limit`. */
function subjectBefore(reader: ParagraphReader, verb: number, limit: number, ctx: Context, sentence: Sentence): Speaker | undefined {
  const tokens = reader.tokens;
  let i = verb - 1;
  const lowerLimit = Math.max(limit, reader.indexAt(sentence.start));
  for (;;) {
    while (i >= lowerLimit && (SKIPPABLE_BEFORE_VERB.has(tokens[i]!.lower) || isAdverb(tokens[i]!)) && !reader.mentionEndingAt(tokens[i]!)) i--;
    // A parenthesis after the name: "Rep. Gwen Moore (D-Wis.) said".
    if (i >= lowerLimit && tokens[i]!.text === ')') {
      let j = i - 1;
      while (j >= lowerLimit && tokens[j]!.text !== '(' && i - j < 12) j--;
      if (j >= lowerLimit && tokens[j]!.text === '(') {
        i = j - 1;
        continue;
      }
    }
    break;
  }
  if (i < lowerLimit) return undefined;
  const t = tokens[i]!;
  // An appositive between commas: `Smith, a spokesman, said` or `one officer, call sign Veles, stating`.
  if (t.text === ',') {
    let j = i - 1;
    while (j >= lowerLimit && tokens[j]!.text !== ',' && i - j < 30) j--;
    // An appositive may hold commas of its own ("Rachel Berg, a philanthropist from Monsey, New
    // York, said"; "Michael Brown of Washington, D.C., explained"): the comma that opens it is the
    // one right after a person's name, or after the place a person is "of".
    const personEndingBefore = (k: number): number | undefined => {
      const named = reader.mentionEndingAt(tokens[k - 1]);
      if (named?.kind === 'person') return k - 1;
      const of = named ? reader.indexAt(named.start) - 1 : -1;
      if (named?.kind === 'place' && ['of', 'from'].includes(tokens[of]?.lower ?? '') && reader.mentionEndingAt(tokens[of - 1])?.kind === 'person') return of - 1;
      return undefined;
    };
    let h = j - 1;
    if (j >= lowerLimit && personEndingBefore(j) === undefined) {
      for (let k = j - 1; k >= lowerLimit && i - k < 30; k--) {
        if (tokens[k]!.text !== ',') continue;
        if (ctx.quoted(reader.paragraph.index, tokens[k]!.start)) break;
        const person = personEndingBefore(k);
        if (person !== undefined) {
          j = k;
          h = person;
          break;
        }
      }
    }
    if (personEndingBefore(j) !== undefined) h = personEndingBefore(j)!;
    if (j >= lowerLimit && tokens[j]!.text === ',') {
      const inner = tokens.slice(j + 1, i);
      const relative = ['who', 'whose', 'which', 'whom'].includes(inner[0]?.lower ?? '');
      // "Rep. Jim Jordan (R-Ohio), an oversight panel member, said": skip the parenthesis.
      if (tokens[h]?.text === ')') {
        let o = h - 1;
        while (o >= lowerLimit && tokens[o]!.text !== '(' && h - o < 12) o--;
        if (o >= lowerLimit && tokens[o]!.text === '(') h = o - 1;
      }
      const head = subjectAt(reader, h, lowerLimit, ctx, sentence);
      // "Paris, who used to work on Capitol Hill, said": a relative clause names no speaker.
      // Only a person, or a plain unknown name, is named in an appositive; "D.C." is not.
      const innerMention = relative
        ? undefined
        : inner.map((x) => reader.mentionStartingAt(x)).find((m) => m && (m.kind === 'person' || (m.kind === 'other' && /^\p{Lu}\p{Ll}+$/u.test(m.name))));
      if (innerMention && (!head?.name || head.resolved || head.role === undefined && !isCapitalized(tokens[j - 1]?.text ?? ''))) {
        // The name is in the appositive; what stands before it describes the speaker.
        const speaker = speakerFromMention(innerMention, ctx);
        const description = describe(tokens.slice(Math.max(lowerLimit, j - 4), j));
        if (!speaker.role && description) speaker.role = description;
        return speaker;
      }
      // `Huma Abedin, vice chairwoman ..., emailed supporters, telling them, "..."`: a
      // participle's subject is its clause's subject, not the words before the comma.
      if (/ing$/.test(tokens[verb]!.lower)) {
        const subject = clauseSubject(reader, lowerLimit, verb, ctx, sentence);
        if (subject) return subject;
      }
      if (head) {
        const role = describe(inner);
        if (role && !head.role) head.role = role;
        return head;
      }
    }
    return undefined;
  }
  return subjectAt(reader, i, lowerLimit, ctx, sentence);
}

/** A word or phrase usable as a role: "a spokesman for the agency" -> "spokesman for the agency". */
function describe(tokens: Token[]): string | undefined {
  let words = tokens.filter((t) => t.word || t.text === '-');
  // The noun phrase of the role word starts after the last preposition before it:
  // "with one officer" -> "officer"; "a spokeswoman for the Harbour Residents Association" stays.
  const role = words.map((w) => SPEAKER_NOUNS.has(w.lower) || TITLE_WORDS.has(w.lower)).lastIndexOf(true);
  if (role > 0) {
    const cut = words.slice(0, role).map((w) => PREPOSITIONS.has(w.lower) || CLAUSE_BREAKERS.has(w.lower)).lastIndexOf(true);
    if (cut >= 0) words = words.slice(cut + 1);
  }
  while (words.length > 0 && DETERMINERS.has(words[0]!.lower)) words.shift();
  if (words.length === 0 || words.length > 10) return undefined;
  if (!words.some((w) => SPEAKER_NOUNS.has(w.lower) || TITLE_WORDS.has(w.lower) || isCapitalized(w.text))) return undefined;
  if (words.some((w) => CLAUSE_BREAKERS.has(w.lower))) return undefined;
  return words.map((w) => w.text).join(' ');
}

/** The speaker whose phrase ends at token `i`: a name, a pronoun or a description. */
function subjectAt(reader: ParagraphReader, i: number, lowerLimit: number, ctx: Context, sentence: Sentence): Speaker | undefined {
  if (i < lowerLimit) return undefined;
  const tokens = reader.tokens;
  const t = tokens[i]!;
  const mention = reader.mentionEndingAt(t);
  // "a spokesman for Ada Reyes said": the name completes a description of someone else.
  if (mention?.kind === 'person' && !mention.title) {
    const p = reader.indexAt(mention.start) - 1;
    if (p - 1 >= lowerLimit && ['for', 'of', 'to', 'with', 'from'].includes(tokens[p]!.lower) && isSpeakerNoun(tokens[p - 1])) {
      const description = descriptionEndingAt(reader, p - 1, lowerLimit);
      if (description) return resolveDescription(description, sentence, ctx);
    }
  }
  if (mention && mention.kind !== 'place') {
    // "Archbishop Aris Shirvanian of the Armenian Patriarchate": the person, not the body.
    if (mention.kind !== 'person') {
      let b = reader.indexAt(mention.start) - 1;
      // "of the non-partisan Rothenberg Report", "of Washington Restaurant Association": a place
      // and a few lower-case words may stand between the preposition and the body.
      const place = reader.mentionEndingAt(tokens[b]);
      if (place?.kind === 'place') b = reader.indexAt(place.start) - 1;
      for (let n = 0; n < 3 && tokens[b]?.word && !isCapitalized(tokens[b]!.text) && !PREPOSITIONS.has(tokens[b]!.lower) && tokens[b]!.lower !== 'the'; n++) b--;
      if (tokens[b]?.lower === 'the') b--;
      if (tokens[b] && ['of', 'at', 'from', 'for', 'with'].includes(tokens[b]!.lower)) {
        const owner = reader.mentionEndingAt(tokens[b - 1]);
        if (owner?.kind === 'person') return speakerFromMention(owner, ctx);
        // "Anthony Anton, president and CEO of Washington Restaurant Association stated": the
        // person before the appositive's comma.
        for (let k = b - 1; k >= Math.max(lowerLimit, b - 15); k--) {
          if (tokens[k]!.text !== ',') continue;
          const person = reader.mentionEndingAt(tokens[k - 1]);
          if (person?.kind === 'person') {
            const speaker = speakerFromMention(person, ctx);
            speaker.role ??= tokens
              .slice(k + 1, reader.indexAt(mention.end))
              .map((x) => x.text)
              .join(' ');
            return speaker;
          }
          break;
        }
      }
    }
    // "one senior Democrat", "the Texan": a party's or a people's word is a description of someone.
    if (!mention.name.includes(' ') && (isPartyWord(mention.name) || isDemonym(mention.name))) {
      let d = reader.indexAt(mention.start) - 1;
      while (d >= lowerLimit && d >= reader.indexAt(mention.start) - 3 && tokens[d]!.word && !DETERMINERS.has(tokens[d]!.lower)) d--;
      if (d >= lowerLimit && DETERMINERS.has(tokens[d]!.lower)) {
        const phrase = tokens
          .slice(d, i + 1)
          .map((x) => x.text)
          .join(' ');
        return resolveDescription(phrase, sentence, ctx);
      }
    }
    // "members at Columbia": the organization is part of a description.
    const before = tokens[reader.indexAt(mention.start) - 1];
    if (mention.kind === 'organization' && before && PREPOSITIONS.has(before.lower)) {
      const description = descriptionEndingAt(reader, reader.indexAt(mention.start) - 2, lowerLimit);
      if (description) return resolveDescription(description, sentence, ctx);
    }
    return speakerFromMention(mention, ctx);
  }
  if (t.lower === 'it') return resolveIt(sentence, ctx);
  if (isPersonalPronoun(t)) return pronounSpeaker(t, sentence, ctx);
  if (isSpeakerNoun(t)) {
    const description = descriptionEndingAt(reader, i, lowerLimit);
    if (description) return resolveDescription(description, sentence, ctx);
  }
  // "the union wrote", "the regional health office said": a determiner, a few words and a noun
  // speak too.
  const noun = !STOP_DESCRIPTIONS.has(t.lower) && !/ly$/.test(t.lower) && !CLAUSE_BREAKERS.has(t.lower) && !PREPOSITIONS.has(t.lower) && !isFunctionWord(t.text);
  if (t.word && !isCapitalized(t.text) && noun) {
    for (let d = i - 1; d >= Math.max(lowerLimit, i - 4); d--) {
      const w = tokens[d]!;
      if (['the', 'a', 'an', 'its', 'their'].includes(w.lower)) {
        const words = tokens.slice(d + 1, i + 1).map((x) => x.text);
        return resolveDescription(`${w.lower === 'a' || w.lower === 'an' ? w.lower : 'the'} ${words.join(' ')}`, sentence, ctx);
      }
      if (!w.word || isCapitalized(w.text) || CLAUSE_BREAKERS.has(w.lower) || PREPOSITIONS.has(w.lower) || isSpeechVerb(w) || isPersonalPronoun(w)) break;
    }
  }
  return undefined;
}

/** Words that cannot head a speaking description. */
const STOP_DESCRIPTIONS = new Set(['same', 'other', 'first', 'last', 'next', 'most', 'best', 'time', 'way', 'fact', 'idea', 'question', 'answer', 'truth', 'point']);

/** "it said": the body or document that spoke last, when the last speaker was not a person. */
function resolveIt(sentence: Sentence, ctx: Context): Speaker | undefined {
  const last = lastSpeakerOf(ctx);
  if (last && !isPersonSpeaker(last.speaker, ctx) && sentence.index - last.sentence <= 4) return { ...last.speaker, resolved: true };
  return undefined;
}

/** Whether a speaker is a named person (not a body, a document or an unnamed description). */
function isPersonSpeaker(speaker: Speaker, ctx: Context): boolean {
  return speaker.name !== undefined && ctx.entities.personByKey.has(speaker.name.toLowerCase());
}

function descriptionEndingAt(reader: ParagraphReader, i: number, lowerLimit: number): string | undefined {
  const tokens = reader.tokens;
  if (i < lowerLimit || !isSpeakerNoun(tokens[i])) return undefined;
  let j = i;
  while (j - 1 >= lowerLimit && i - j < 6) {
    const prev = tokens[j - 1]!;
    if (!prev.word) break;
    if (DETERMINERS.has(prev.lower)) {
      j--;
      break;
    }
    if (CLAUSE_BREAKERS.has(prev.lower) || PREPOSITIONS.has(prev.lower) || isSpeechVerb(prev)) break;
    j--;
  }
  return tokens
    .slice(j, i + 1)
    .map((t) => t.text)
    .join(' ')
    .replace(/\s+'s\b/g, "'s");
}

/** The phrase right after an inverted verb or "according to": `said Smith, a spokesman`. */
function nounPhraseAfter(reader: ParagraphReader, i: number, end: number, ctx: Context, sentence: Sentence): Speaker | undefined {
  const tokens = reader.tokens;
  if (i >= end) return undefined;
  const t = tokens[i]!;
  // `said Republican party boss Reince Priebus`: words before the person describe them.
  // The last person named in the run is the speaker: "former Obama adviser David Axelrod".
  let named: { mention: Mention; at: number } | undefined;
  for (let k = i; k < Math.min(end, i + 10); k++) {
    const tok = tokens[k]!;
    if (tok.text === '/' || tok.text === '-') continue;
    if (!tok.word && !(tok.text === ',' && reader.mentionEndingAt(tokens[k - 1])?.modifier === false)) {
      if (!(tok.text === ',' && k > i && isSpeakerNoun(tokens[k - 1]))) break;
      continue;
    }
    const later = reader.mentionStartingAt(tok);
    // "a senior Cruz adviser", "a spokesman for Bernie Sanders": a modifier or a complement is not the speaker.
    if (later && (later.modifier || PREPOSITIONS.has(tokens[k - 1]?.lower ?? ''))) continue;
    if (k > i && later?.kind === 'person') named = { mention: later, at: k };
  }
  if (named) {
    const speaker = speakerFromMention(named.mention, ctx);
    const described = tokens
      .slice(i, named.at)
      .map((x) => x.text)
      .join(' ');
    if (!speaker.role && /\p{Ll}/u.test(described)) speaker.role = described;
    return speaker;
  }
  const mention = reader.mentionStartingAt(t);
  if (mention && mention.kind !== 'place' && !mention.modifier) {
    const speaker = speakerFromMention(mention, ctx);
    // `said Smith, a spokesman for the agency.`
    const afterIdx = reader.indexAt(mention.end);
    if (tokens[afterIdx]?.text === ',' && !speaker.role) {
      let k = afterIdx + 1;
      const inner: Token[] = [];
      while (k < end && tokens[k]!.text !== ',' && tokens[k]!.text !== '.' && inner.length < 12) inner.push(tokens[k++]!);
      const role = describe(inner);
      if (role) speaker.role = role;
    }
    return speaker;
  }
  if (isPersonalPronoun(t) && t.lower !== 'i') return pronounSpeaker(t, sentence, ctx);
  // `said the former Barcelona coach`, `said a spokesman for the campaign, John Smith`.
  let k = i;
  const phrase: Token[] = [];
  while (k < end && phrase.length < 10) {
    const tok = tokens[k]!;
    if (!tok.word && tok.text !== '-') break;
    if (phrase.length > 0 && (CLAUSE_BREAKERS.has(tok.lower) || isSpeechVerb(tok))) break;
    // "a civil complaint filed by the SEC": a participle after the noun starts a clause of its own.
    if (phrase.length > 1 && /(?:ed|ing)$/.test(tok.lower) && !isCapitalized(tok.text) && !isSpeakerNoun(tok)) break;
    phrase.push(tok);
    k++;
  }
  // A name in apposition after the description.
  if (tokens[k]?.text === ',') {
    const appositive = reader.mentionStartingAt(tokens[k + 1]);
    if (appositive && appositive.kind === 'person') {
      const speaker = speakerFromMention(appositive, ctx);
      speaker.role ??= describe(phrase);
      return speaker;
    }
  }
  const headIndex = phrase.findIndex((p) => isSpeakerNoun(p) || (p !== phrase[0] && /^\p{Lu}\p{Ll}+$/u.test(p.text) && p === phrase[phrase.length - 1]) || /-year-old$/.test(p.lower));
  if (headIndex >= 0 && DETERMINERS.has(phrase[0]!.lower)) {
    const inner = phrase.find((p, k) => {
      const m = reader.mentionStartingAt(p);
      return m?.kind === 'person' && !m.modifier && !PREPOSITIONS.has(phrase[k - 1]?.lower ?? '');
    });
    if (inner) return speakerFromMention(reader.mentionStartingAt(inner)!, ctx);
    return resolveDescription(
      phrase
        .map((p) => p.text)
        .join(' ')
        .replace(/\s+'s\b/g, "'s"),
      sentence,
      ctx,
    );
  }
  return undefined;
}

const HONORIFICS = /^(?:mr|mrs|ms|mx|miss|messrs|sir|dame)\.?$/i;

/** A role worth showing: "Ukrainian President", "spokesman"; bare honorifics ("Mr.") are not. */
function roleOf(title: string | undefined): string | undefined {
  const words = (title ?? '').split(/\s+/).filter((w) => w && !HONORIFICS.test(w));
  return words.length > 0 ? words.join(' ') : undefined;
}

function speakerFromMention(mention: Mention, ctx: Context): Speaker {
  const speaker: Speaker = { name: mention.name };
  const role = roleOf(mention.title) ?? roleOf(titleFor(mention.name, ctx));
  if (role) speaker.role = role;
  return speaker;
}

function speakerNamed(name: string, ctx: Context): Speaker {
  const speaker: Speaker = { name };
  const role = roleOf(titleFor(name, ctx));
  if (role) speaker.role = role;
  return speaker;
}

/** The title the article first gave a person ("Ukrainian President"), for later bare mentions. */
function titleFor(name: string, ctx: Context): string | undefined {
  return ctx.entities.mentions.find((m) => m.name === name && roleOf(m.title))?.title;
}

/**
 * The person a pronoun stands for: the most salient compatible person named before it, outside
 * anyone's quoted words. Salience favours recent mentions, sentence subjects and people already
 * quoted; gender must not clash where the article or the name's usual gender shows it.
 */
function resolvePronoun(pronoun: string, sentence: Sentence, ctx: Context, at?: number): Speaker | undefined {
  const want = PRONOUNS[pronoun];
  const last = lastSpeakerOf(ctx);
  if (want === 'plural' || want === 'first') {
    if (last && sentence.index - last.sentence <= 2 && !isPersonSpeaker(last.speaker, ctx)) return { ...last.speaker, resolved: true };
    return undefined;
  }
  const position = at ?? sentence.start;
  // A clash with strong evidence (an honorific, a gendered role) rules a person out; a clash with
  // the usual gender of a first name only costs ("Terry" can be a widow).
  const genderCost = (name: string): number => {
    const g = ctx.entities.genderOf.get(name);
    if (!g || g.gender === want) return 0;
    return g.strong ? Infinity : 3;
  };
  const compatible = (name: string): boolean => genderCost(name) !== Infinity;
  const chained = topicChain(sentence, (name) => genderCost(name) === 0, ctx);
  if (chained) return { ...speakerNamed(chained, ctx), resolved: true };
  let best: { score: number; speaker: Speaker } | undefined;
  const mentions = ctx.entities.mentions;
  for (let k = mentions.length - 1; k >= 0; k--) {
    const m = mentions[k]!;
    if (m.sentence > sentence.index) continue;
    if (m.sentence === sentence.index && m.start >= position) continue;
    const distance = sentence.index - m.sentence;
    if (distance > 6) break;
    // In a sentence that opens with the same pronoun, the pronoun is the subject and the names
    // after it are objects ("She says Trump's tweets accusing Alicia Machado ..."): skip them.
    if (m.sentence !== sentence.index && opensWithPronoun(m.sentence, pronoun, ctx) && subjectOf(m.sentence, ctx) !== m) continue;
    if (m.modifier || ctx.quoted(m.paragraph, m.start) || !compatible(m.name)) continue;
    // An unknown single name that opens a sentence before a verb ("Wines believes...") is a person too.
    const openingName = m.kind === 'other' && !m.name.includes(' ') && !isDemonym(m.name) && isSentenceOpening(m, ctx);
    if (m.kind !== 'person' && !openingName) continue;
    // The subject of a recent sentence is the likeliest antecedent, and so is the source of a
    // speech verb ("..., Henson said."): one bonus, not two, or an old subject that also spoke
    // would outrank the subject of the sentence just before. A person just quoted comes next;
    // "Carson's top advisers": a possessive names someone who is not doing the talking.
    const role = mentionRole(m, ctx);
    let score = -distance - genderCost(m.name) + (subjectOf(m.sentence, ctx) === m || role === 'source' ? 1.5 : 0);
    if (last?.speaker.name === m.name) score += 0.5;
    if (role === 'possessive') score -= 1;
    if (!best || score > best.score) best = { score, speaker: { ...speakerFromMention(m, ctx), resolved: true } };
  }
  if (!best && last?.speaker.name && compatible(last.speaker.name) && ctx.entities.personByKey.has(last.speaker.name.toLowerCase()) && sentence.index - last.sentence <= 4) {
    return { ...last.speaker, resolved: true };
  }
  return best?.speaker;
}

/**
 * The topic a subject pronoun continues (centering, as news paragraphs use it): walking back from
 * the sentence before the pronoun, the first sentence whose main subject is a fitting person gives
 * the antecedent. A sentence's main subject is the source of its speech verb when it has one
 * ("Cruz electrified the crowds, Stovall said": Stovall), else the speaker it quotes, else its
 * grammatical subject. A sentence whose subject is someone else, a description or a body is
 * passed over whole: its objects and possessives are never taken ("Ramos lamented that the danger
 * came from Trump's ability ..." / "“...,” he said": Ramos).
 */
function topicChain(sentence: Sentence, fits: (name: string) => boolean, ctx: Context): string | undefined {
  // A sentence of the writer's glued before the quote ("Obama defended the plan. “...,” the
  // president told The Atlantic"): its subject is the nearest topic.
  const opening = subjectOf(sentence.index, ctx);
  const firstQuote = (ctx.quotedWords.get(sentence.paragraph) ?? []).find((q) => q.open >= sentence.start && q.open < sentence.end);
  const paragraphText = ctx.doc.paragraphs[sentence.paragraph]!.text;
  if (opening && firstQuote && opening.start < firstQuote.open && /[.!?]\s+$/.test(paragraphText.slice(opening.end, firstQuote.open)) && fits(opening.name)) return opening.name;
  for (let s = sentence.index - 1; s >= Math.max(0, sentence.index - 6); s--) {
    const quoted = ctx.attributed.find((q) => q.sentence === s && q.speaker.name !== undefined);
    const source = quoted?.speaker ?? speechSourceOf(s, ctx);
    const subject = subjectOf(s, ctx);
    if (source?.name && isPersonName(source.name, ctx)) {
      if (fits(source.name)) return source.name;
      continue;
    }
    // A body or a description speaking ("the campaign said") holds the topic; a person named
    // before its verb may still be the subject ("Smith, of the campaign, said").
    if (subject) {
      if (fits(subject.name)) return subject.name;
      continue;
    }
    if (source) continue;
    // "The Democratic candidate's response came in tweets": a description of a person as the
    // subject holds the topic too, and stands for whom it describes.
    const described = describedSubject(s, ctx);
    if (described !== undefined) {
      const person = resolveDescription(described, ctx.doc.sentences[s]!, ctx);
      if (person.name && isPersonName(person.name, ctx) && fits(person.name)) return person.name;
      continue;
    }
    // "He nodded to his finish behind Ted Cruz": a pronoun subject carries the topic on.
    if (opensWithPersonalPronoun(s, ctx)) continue;
    // "... that concerns Henry Crespo, president of the caucus." / "“...,” he said": with no
    // subject to follow, the one person the sentence introduces with a role is the new source.
    const introduced = ctx.entities.mentions.filter(
      (m) => m.sentence === s && m.kind === 'person' && !m.modifier && !ctx.quoted(m.paragraph, m.start) && !ctx.inTerm(m.paragraph, m.start) && /^,\s+(?:\p{Ll}|\d)/u.test(ctx.doc.paragraphs[m.paragraph]!.text.slice(m.end, m.end + 4)),
    );
    if (new Set(introduced.map((m) => m.name)).size === 1 && fits(introduced[0]!.name)) return introduced[0]!.name;
  }
  return undefined;
}

/**
 * A definite description of a person opening a sentence as its subject ("The Ohio governor
 * said", "But the former Mexican president didn't stop", "The Democratic candidate's response
 * came"), when there is one.
 */
function describedSubject(sentenceIndex: number, ctx: Context): string | undefined {
  const sentence = ctx.doc.sentences[sentenceIndex]!;
  const reader = ctx.readers.get(sentence.paragraph);
  if (!reader || sentence.heading) return undefined;
  const tokens = reader.tokens;
  let i = reader.indexAt(writerStart(sentence, ctx));
  const end = reader.indexAt(sentence.end);
  while (i < end && (!tokens[i]!.word || OPENING_CONNECTIVES.has(tokens[i]!.lower))) i++;
  if (i >= end || !['the', 'this', 'that'].includes(tokens[i]!.lower)) return undefined;
  for (let k = i + 1; k < Math.min(end, i + 7); k++) {
    const t = tokens[k]!;
    if (!t.word) return undefined;
    const bare = t.lower.replace(/['’]s$/, '');
    if (REFERRING_ROLES.has(bare) || (TITLE_WORDS.has(bare) && !isCapitalized(t.text))) {
      return tokens
        .slice(i, k + 1)
        .map((x) => x.text)
        .join(' ')
        .replace(/['’]s$/, '');
    }
  }
  return undefined;
}

/** Whether the writer's words of a sentence open with a personal pronoun ("He nodded ..."). */
function opensWithPersonalPronoun(sentenceIndex: number, ctx: Context): boolean {
  const sentence = ctx.doc.sentences[sentenceIndex]!;
  const reader = ctx.readers.get(sentence.paragraph);
  if (!reader) return false;
  const tokens = reader.tokens;
  let i = reader.indexAt(writerStart(sentence, ctx));
  while (i < tokens.length && (!tokens[i]!.word || OPENING_CONNECTIVES.has(tokens[i]!.lower))) i++;
  return tokens[i] !== undefined && tokens[i]!.start < sentence.end && isPersonalPronoun(tokens[i]!);
}

const OPENING_CONNECTIVES = new Set(['but', 'and', 'yet', 'so', 'still', 'meanwhile', 'then', 'now', 'later', 'also', 'however', 'instead']);

/** A name the article gives a person: a known person, or a single unknown name that is not a word, a people or a place. */
function isPersonName(name: string, ctx: Context): boolean {
  if (ctx.entities.personByKey.has(name.toLowerCase())) return true;
  // "Delegates questioned how ...": a plural of people opening a sentence is no one's name.
  const lower = name.toLowerCase();
  if (SPEAKER_NOUNS.has(lower) || SPEAKER_NOUNS.has(lower.replace(/s$/, '')) || SPEAKER_NOUNS.has(lower.replace(/es$/, ''))) return false;
  // An unknown single name is a person ("Bob met with Stevens"); an abbreviation ("D.C."), a
  // word in capitals, a contraction ("I'd"), a date, or an ordinary word that only ever opens a
  // sentence ("Consistently", "Millennials") is not.
  if (!/^\p{Lu}[\p{L}'’-]+$/u.test(name) || /^\p{Lu}+$/u.test(name) || /^\p{Lu}-/u.test(name) || /['’](?:d|s|ll|re|ve|m|t)$/iu.test(name)) return false;
  if (isDemonym(name) || lexiconTags(name).some((t) => t === 'Month' || t === 'WeekDay' || t === 'Date')) return false;
  const uses = ctx.entities.mentions.filter((m) => m.name === name && m.kind === 'other');
  if (uses.length === 0) return false;
  if (isFirstName(name) || isLastName(name)) return true;
  return uses.some((m) => m.start - ctx.doc.sentences[m.sentence]!.start > 2 || mentionRole(m, ctx) === 'source');
}

const sourceCache = new WeakMap<Context, Map<number, Speaker | null>>();

/**
 * Who speaks in a sentence outside quotation marks: the subject of its first speech verb that has
 * one, or the name after an inverted verb (", said Wilcox, an Orlando Republican").
 */
function speechSourceOf(sentenceIndex: number, ctx: Context): Speaker | undefined {
  let cache = sourceCache.get(ctx);
  if (!cache) {
    cache = new Map();
    sourceCache.set(ctx, cache);
  }
  const cached = cache.get(sentenceIndex);
  if (cached !== undefined) return cached ?? undefined;
  // Marks the sentence while it is read: a pronoun inside it that looks back must not loop.
  cache.set(sentenceIndex, null);
  const sentence = ctx.doc.sentences[sentenceIndex]!;
  const reader = ctx.readers.get(sentence.paragraph);
  let found: Speaker | undefined;
  if (reader && !sentence.heading) {
    const tokens = reader.tokens;
    const start = reader.indexAt(sentence.start);
    const end = reader.indexAt(sentence.end);
    for (let i = start; i < end && !found; i++) {
      const t = tokens[i]!;
      if (!isSpeechVerb(t) || ctx.quoted(sentence.paragraph, t.start)) continue;
      if (i > start && DETERMINERS.has(tokens[i - 1]!.lower)) continue;
      // "Ban condemned what he called a breach": a verb inside a relative clause is not the
      // sentence's own.
      if (['what', 'which', 'whom', 'that'].includes(tokens[i - 2]?.lower ?? '') && isPersonalPronoun(tokens[i - 1]!)) continue;
      // `," said Kilfoyle`: after a closing mark the verb is inverted and its subject follows; after
      // a comma it may close an appositive ("Covert, director for Sanders, said") or be inverted.
      const previous = tokens[i - 1];
      const invertable = INVERTABLE_SPEECH_VERBS.has(t.lower);
      if (previous && isMarkToken(previous) && invertable) found = nounPhraseAfter(reader, i + 1, end, ctx, sentence);
      found ??= subjectBefore(reader, i, start, ctx, sentence);
      if (!found && previous?.text === ',' && invertable) found = nounPhraseAfter(reader, i + 1, end, ctx, sentence);
    }
  }
  cache.set(sentenceIndex, found ?? null);
  return found;
}

function opensWithPronoun(sentenceIndex: number, pronoun: string, ctx: Context): boolean {
  const text = ctx.doc.sentences[sentenceIndex]?.text ?? '';
  const first = /^["“‘']?([\p{L}]+)/u.exec(text)?.[1];
  return first?.toLowerCase() === pronoun;
}

/** How a mention stands in its sentence: the source of a speech verb, a possessive, or neither. */
function mentionRole(m: Mention, ctx: Context): 'source' | 'possessive' | undefined {
  const paragraph = ctx.doc.paragraphs[m.paragraph]!;
  const after = paragraph.text.slice(m.end, m.end + 40);
  if (/^['’]s?\s/u.test(after)) return 'possessive';
  const next = /^\s+(?:has |had |also |then |later )?([a-z]+)/.exec(after)?.[1];
  if (next && SPEECH_VERBS.has(next)) return 'source';
  const before = paragraph.text.slice(Math.max(0, m.start - 20), m.start);
  const previous = /([a-z]+)\s+$/.exec(before)?.[1];
  if (previous && INVERTABLE_SPEECH_VERBS.has(previous)) return 'source';
  return undefined;
}

/** Whether a mention starts its sentence and a lower-case word (a verb) follows it. */
function isSentenceOpening(m: Mention, ctx: Context): boolean {
  const sentence = ctx.doc.sentences[m.sentence]!;
  if (m.start - sentence.start > 2) return false;
  const paragraph = ctx.doc.paragraphs[m.paragraph]!;
  return /^\s+\p{Ll}/u.test(paragraph.text.slice(m.end, m.end + 12));
}

/** A pronoun that can stand for a speaker: he, she, they, we, I. */
function isPersonalPronoun(t: Token): boolean {
  return ['he', 'she', 'they', 'we', 'i'].includes(t.lower);
}

/** The speaker a subject pronoun stands for; "I" outside quotation marks is the article's author. */
function pronounSpeaker(t: Token, sentence: Sentence, ctx: Context): Speaker | undefined {
  if (t.lower === 'i') return ctx.author ? { name: ctx.author, role: 'author', resolved: true } : undefined;
  return resolvePronoun(t.lower, sentence, ctx, t.start);
}

/** Where the writer's own words of a sentence start: after the quoted words that open it, if any. */
function writerStart(sentence: Sentence, ctx: Context): number {
  let from = sentence.start;
  for (const span of ctx.quotedWords.get(sentence.paragraph) ?? []) {
    if (span.open <= from + 1 && span.close > from && span.close < sentence.end) from = span.close + 1;
  }
  return from;
}

const subjectCache = new WeakMap<Context, Map<number, Mention | null>>();

/** A sentence's grammatical subject, approximately: its first person named outside quotes and not after a preposition. */
function subjectOf(sentenceIndex: number, ctx: Context): Mention | undefined {
  let cache = subjectCache.get(ctx);
  if (!cache) {
    cache = new Map();
    subjectCache.set(ctx, cache);
  }
  const cached = cache.get(sentenceIndex);
  if (cached !== undefined) return cached ?? undefined;
  const sentence = ctx.doc.sentences[sentenceIndex]!;
  const reader = ctx.readers.get(sentence.paragraph);
  let found: Mention | null = null;
  if (reader) {
    for (const m of ctx.entities.mentions) {
      if (m.sentence !== sentenceIndex || m.modifier || ctx.quoted(m.paragraph, m.start) || ctx.inTerm(m.paragraph, m.start)) continue;
      // An unknown single name opening the sentence ("Bob met with Stevens") is its subject too.
      if (m.kind !== 'person' && !(m.kind === 'other' && isPersonName(m.name, ctx))) continue;
      const before = reader.tokens[reader.indexAt(m.start) - 1];
      if (before && before.start >= sentence.start && (OBJECT_MARKERS.has(before.lower) || before.lower === 'and' || before.lower === 'or')) continue;
      // A subject comes early: after at most a short opening phrase. Quoted words that open the
      // sentence ("“...,” Ramos, 58, told AFP") are not part of the writer's clause.
      const from = writerStart(sentence, ctx);
      const offset = m.start - from;
      if (offset > 60 && offset > (sentence.end - from) * 0.4) break;
      found = m;
      break;
    }
  }
  cache.set(sentenceIndex, found);
  return found ?? undefined;
}

/**
 * The person a description stands for, or the description itself when the article names no one
 * for it. Only a definite description refers back ("the senator", "the New York businessman",
 * "Obama's former strategist"); "a campaign aide" or "one source" is someone unnamed. The person
 * is the one the article titles with the description's head ("Sen. Bernie Sanders" for "the
 * senator"), preferring the topic of the sentences before; failing that, for a role that names a
 * principal of a story (a senator, a candidate, "the Republican"), the topic itself.
 */
function resolveDescription(description: string, sentence: Sentence, ctx: Context): Speaker {
  // A stretch of the sentence that is no noun phrase ("a reporter can be heard", "the campaign’s")
  // describes no one: it is kept neither as the quote's source nor as a figure's asserter.
  const described: Speaker = isDescribingPhrase(description) ? { description: description.replace(/^(?:the|a|an)\s+/i, (d) => d.toLowerCase()) } : {};
  const words = description.toLowerCase().split(/\s+/);
  const head = words[words.length - 1] ?? '';
  const definite = ['the', 'this', 'that', 'his', 'her', 'their', 'its'].includes(words[0] ?? '') || /['’]s$/.test(words[0] ?? '');
  if (!definite || words.length < 2) return described;
  const gendered = words.map((w) => roleGender(w)).find((g) => g !== undefined);
  const fits = (name: string): boolean => {
    const g = ctx.entities.genderOf.get(name);
    return !gendered || !g || g.gender === gendered;
  };
  // "the senator" is whoever the article titles "Sen."; "the former Mexican president" is not
  // "President Obama": every word of the description must be in the title.
  const modifiers = words.slice(1, -1);
  const titled = (m: Mention): boolean => {
    if (m.kind !== 'person' || m.title === undefined) return false;
    const title = m.title.toLowerCase().split(/\s+/).map((t) => TITLE_ABBREVIATIONS[t.replace(/\.$/, '')] ?? t.replace(/\.$/, ''));
    return title.includes(head) && modifiers.every((w) => title.includes(w));
  };
  const topic = topicChain(sentence, fits, ctx);
  const holders = ctx.entities.mentions.filter((m) => titled(m) && fits(m.name));
  if (topic && holders.some((m) => m.name === topic)) return { ...speakerNamed(topic, ctx), resolved: true };
  const before = holders.filter((m) => m.sentence <= sentence.index);
  const holder = before[before.length - 1] ?? holders[0];
  if (holder) return { ...speakerFromMention(holder, ctx), resolved: true };
  const referring = REFERRING_ROLES.has(head) || isDemonym(head) || isPartyWord(head);
  if (topic && referring && !/s$/.test(head.replace(/ss$/, ''))) return { ...speakerNamed(topic, ctx), resolved: true };
  return described;
}

/**
 * A description of someone as a short noun phrase with its determiner or owner ("a senior aide",
 * "the statement", "one New Hampshire Democrat", "Obama's former strategist"), or a bare plural
 * ("South Korean intelligence sources"); not a stretch of the sentence around it.
 */
function isDescribingPhrase(description: string): boolean {
  const words = description.split(/\s+/);
  const first = words[0] ?? '';
  const last = words[words.length - 1]!.toLowerCase();
  // A determiner or an owner in front, or a bare plural ("regional officials").
  const bare = /\p{Ll}{2,}s$/u.test(last) && !/ss$/.test(last);
  if (words.length > 6 || !(/^(?:the|a|an|one|his|her|their|its|two|three|several|some)$/i.test(first) || /\p{L}['’]s$/u.test(first) || bare)) return false;
  if (/['’]s?$/.test(last) || /ed$/.test(last) || /^(?:past|began|begun|said|says|time|day|week|year)$/.test(last)) return false;
  return !words.some((w) => /^(?:should|can|could|will|would|may|might|must|is|are|was|were|be|been|to|on|in|at|that|whatever|which|who)$/i.test(w));
}

/**
 * A speaker fit to be named, or none: a pronoun, a function word, a bare title ("Ms.", "Former"),
 * an outlet ("The Times", "CNN") or a place never names who spoke; a people's or a party's word
 * alone ("the Republican") is a description of someone, resolved like one.
 */
function vet(speaker: Speaker | undefined, sentence: Sentence, ctx: Context): Speaker | undefined {
  if (!speaker?.name) return speaker;
  const bare = speaker.name.replace(/^(?:the|a|an)\s+/i, '');
  const words = bare.split(/\s+/);
  const lower = bare.toLowerCase();
  // A surname or first name alone names the person the article names in full with it, even when
  // the word is also a people, an outlet or a word ("Cuban said" for Mark Cuban).
  const full = words.length === 1 ? ctx.entities.fullNameOf(bare) : undefined;
  if (full && full !== speaker.name) return { ...speakerNamed(full, ctx), ...(speaker.resolved ? { resolved: true } : {}) };
  const person = ctx.entities.personByKey.has(lower) || full !== undefined;
  if (words.length === 1 && !person && (PRONOUNS[lower] !== undefined || isFunctionWord(bare) || !/^\p{Lu}/u.test(bare))) return undefined;
  if (words.every((w) => TITLE_WORDS.has(w.toLowerCase()) || TITLE_WORDS.has(w.toLowerCase().replace(/\.$/, '')) || HONORIFICS.test(w))) return undefined;
  // "R-S.C.", "D-Md.": a party and a state; "RED STATES OUTNUMBER BLUE STATES": a heading.
  if (/^[RDI]-\p{Lu}/u.test(bare) || (words.length >= 3 && !/\p{Ll}/u.test(bare))) return undefined;
  if (words.length === 1 && !person && (isDemonym(bare) || isPartyWord(bare))) {
    const described = resolveDescription(`the ${bare}`, sentence, ctx);
    return described.name ? described : undefined;
  }
  if (person) return speaker;
  if (isOutlet(bare) || (words.length === 1 && isOutletWord(bare)) || isPlaceName(bare, ctx)) return undefined;
  // "Hastily", "Early", "Praying", "My": an adverb, adjective, verb form or possessive that opens a
  // sentence names no one; so does a word the lexicon lacks but shaped like one ("Domestically",
  // "Reprising"), unless the lexicon knows it as a name.
  // Only a word that opens its sentence and is not followed by a speech verb: "Connolly said" and
  // "Manning told reporters" name someone.
  if (words.length === 1 && opensSentenceUnsaid(bare, sentence)) {
    const tags = lexiconTags(bare);
    if (isCommonWord(bare) && tags.some((t) => t === 'Adverb' || t === 'Adjective' || t === 'Gerund' || t === 'Possessive' || t === 'Verb')) return undefined;
    const named = tags.some((t) => t === 'LastName' || t === 'FirstName' || t === 'MaleName' || t === 'FemaleName' || t === 'Person');
    if (!named && /^\p{Lu}\p{Ll}{3,}(?:ally|ily|ly|ing)$/u.test(bare) && bare.length >= 7) return undefined;
  }
  return speaker;
}

/** Whether `word` is the first word of the sentence and no speech verb follows it: "Reprising one of her lines, …". */
function opensSentenceUnsaid(word: string, sentence: Sentence): boolean {
  const m = /^[\s"“‘'(]*([\p{L}'’-]+)[\s,]*([\p{L}]+)?/u.exec(sentence.text);
  return m !== null && m[1] === word && !(m[2] !== undefined && SPEECH_VERBS.has(m[2].toLowerCase()));
}

/**
 * A place by the lexicon, or a name the article uses as a place every time ("Mexico City"); a
 * single word once read as a place after "in" may still be someone's name.
 */
function isPlaceName(name: string, ctx: Context): boolean {
  if (isPlaceWord(name)) return true;
  const uses = ctx.entities.mentions.filter((m) => m.name === name);
  return name.includes(' ') && uses.length > 0 && uses.every((m) => m.kind === 'place');
}
