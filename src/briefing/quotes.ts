import type { Quote } from './schema.js';
import type { ArticleDocument, Paragraph, QuoteSpan, Sentence } from './document.js';
import type { EntityIndex } from './entities.js';
import { createAttribution, type Attribution, type QuotePlacement } from './attribution.js';
import { lexiconTags, SPEECH_NOUNS, SPEECH_VERBS } from './lexicon.js';
import { tokenize, type Token } from './tokens.js';

/**
 * What was said. A quotation-mark span becomes a quote only when it reads as someone's words
 * (names, call signs, titles and scare quotes are set aside by `quoted-terms.ts`); spans that
 * make one quote are joined: a quote running over paragraphs, a quote split by its attribution,
 * a paragraph that is only a quote carrying on the one before. Who said each is the attribution
 * module's answer.
 */

/** A quote with where its words stand, for the parts of the engine that need positions. */
export interface ExtractedQuote extends Quote {
  spans: Array<{ paragraph: number; open: number; close: number }>;
}

interface QuoteUnit extends QuotePlacement {
  text: string;
  /** `direct`: whole sentences in quotation marks; `partial`: quoted words inside the writer's own sentence. */
  kind: 'direct' | 'partial';
}

function isSpeechVerb(t: Token): boolean {
  return t.word && SPEECH_VERBS.has(t.lower);
}

function hasSpeechCue(tokens: Token[]): boolean {
  return tokens.some((t) => isSpeechVerb(t) || (t.word && SPEECH_NOUNS.has(t.lower)) || t.lower === 'according');
}

/**
 * The article's quotes with their speakers. Pass the article's {@link Attribution} when figures
 * will ask it too (it remembers who said each quote); given the entity index, one is made here.
 */
export function extractQuotes(doc: ArticleDocument, source: Attribution | EntityIndex, author?: string): ExtractedQuote[] {
  const attribution = 'speakersOfQuotes' in source ? source : createAttribution(doc, source, author ? { author } : {});
  const units = groupUnits(doc, [...attribution.quotedWords]);
  const speakers = attribution.speakersOfQuotes(units);
  const quotes: ExtractedQuote[] = [];
  for (const [k, unit] of units.entries()) {
    const speaker = speakers[k];
    const wordCount = unit.text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    // A transcript ("WALLACE: ... PENCE: ...") is several people's words, not one quote.
    if (/(?:^|[\s.)])\p{Lu}{3,}:\s/u.test(unit.text)) continue;
    // A short fragment counts as a quote only when someone is said to have said it.
    // A short exclamation from someone unnamed ("Lock her up!" the crowd chanted) is still said;
    // a few words inside the writer's sentence with no named source are a term or a scare quote.
    if (wordCount < 4 && !speaker?.name && !(speaker?.description && unit.kind === 'direct')) continue;
    if (wordCount < 4 && !hasSpeechCue(unitContextTokens(unit, attribution))) continue;
    const quote: ExtractedQuote = {
      text: unit.text,
      kind: unit.kind,
      sentence: unit.firstSentence.index,
      spans: unit.spans.map(({ paragraph, open, close }) => ({ paragraph, open, close })),
    };
    if (speaker?.name) quote.speaker = speaker.name;
    if (speaker?.role) quote.role = speaker.role;
    if (!speaker?.name && speaker?.description) quote.source = speaker.description;
    quotes.push(quote);
  }
  return quotes;
}

function sentenceAt(paragraph: Paragraph, offset: number): Sentence {
  let found = paragraph.sentences[0]!;
  for (const s of paragraph.sentences) {
    if (s.start <= offset) found = s;
    else break;
  }
  return found;
}

function cleanQuoteText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:—–-]+/, '')
    .replace(/[\s,;:—–-]+$/, '')
    .trim();
}

/** Words of a stretch of text, ignoring punctuation and quotation marks. */
function wordTokens(text: string): Token[] {
  return tokenize(text).filter((t) => t.word);
}

/**
 * An attribution clause between two parts of one quote: `Smith said.`, `he added, `, nothing at
 * all. When a second speech verb at its end introduces the next part (`," she said, adding, "`),
 * that part has an attribution of its own and is a second quote. Quotation marks inside it hold a
 * name or a title (`said on ABC's "This Week"`): a quote of words would have been the next span.
 */
function isAttributionBetween(between: string): boolean {
  const tokens = wordTokens(between);
  if (tokens.length === 0) return /^[\s.,;:—–-]*$/.test(between);
  if (tokens.length > 40) return false;
  const verbs = tokens.flatMap((t, k) => (isSpeechVerb(t) ? [k] : []));
  if (verbs.length === 0) return false;
  // `," she said, adding, "` / `," he said. But he added: "`: a second verb at the end
  // introduces the next part with an attribution of its own.
  const lastVerb = verbs[verbs.length - 1]!;
  return !(verbs.length > 1 && tokens.length - lastVerb <= 3 && /[,:]\s*$/.test(between));
}

/** Whether the words after a quote, up to its sentence's end, attribute it (`," she said.`). */
function hasOwnAttribution(paragraphText: string, span: QuoteSpan, sentence: Sentence): boolean {
  const after = paragraphText.slice(span.close + 1, Math.max(sentence.end, span.close + 1));
  const next = after.search(/["“]/);
  return wordTokens(next >= 0 ? after.slice(0, next) : after).some(isSpeechVerb);
}

/**
 * Direct when the quotation marks hold whole sentences: nothing of the writer's own before them
 * in the sentence but an attribution frame (`Smith said: "`, `He added, "`), and a capital start.
 * Partial when quoted words sit inside the writer's sentence (`Kim's pledge of "unconditional
 * support"`).
 */
function kindOf(paragraphText: string, span: QuoteSpan, sentence: Sentence): 'direct' | 'partial' {
  const content = span.content.replace(/^[\s“"‘'([….]+/, '');
  const capital = /^[\p{Lu}\p{N}]/u.test(content);
  const before = paragraphText.slice(sentence.start, span.open);
  if (!/[\p{L}\p{N}]/u.test(before)) return capital || span.open === 0 ? 'direct' : 'partial';
  if (!capital) return saysWholeClause(paragraphText, span, sentence, before) ? 'direct' : 'partial';
  // `Axelrod noted that although ..., "You fit it..."`: the quote finishes a reported clause.
  const words = wordTokens(before);
  const verbAt = words.findIndex(isSpeechVerb);
  if (verbAt >= 0 && words[verbAt + 1]?.lower === 'that') return 'partial';
  if (/[:,]\s*$/.test(before)) return 'direct';
  const last = words[words.length - 1];
  return last && (isSpeechVerb(last) || /^(?:saying|asking|writing|adding|stating|telling)$/.test(last.lower)) ? 'direct' : 'partial';
}

const CLAUSE_CONTINUING_TAGS = new Set(['Modal', 'Copula', 'Auxiliary', 'Verb', 'PastTense', 'PresentTense', 'Infinitive', 'Gerund', 'Participle', 'Preposition', 'Conjunction', 'Adverb', 'Adjective']);

/** Verbs that name or label rather than report words: `called the plan "a disgrace"`. */
const NAMING_VERBS = new Set(['call', 'called', 'calls', 'calling', 'describe', 'described', 'describes', 'describing', 'label', 'labeled', 'labelled', 'labels', 'labeling', 'labelling', 'dub', 'dubbed', 'term', 'termed', 'brand', 'branded', 'deem', 'deemed']);

/**
 * A quote in lower case that is still a whole clause said: it follows the speech verb directly
 * (with the verb's object at most: `told his supporters, "our nation is in trouble."`) and ends
 * the sentence. `He says "it's interesting that ..."` is direct speech; `labeling the actions "a
 * blatant abuse"` and `said he's "made a lot of money"` are the writer's sentence.
 */
function saysWholeClause(paragraphText: string, span: QuoteSpan, sentence: Sentence, before: string): boolean {
  if (/[\p{L}\p{N}]/u.test(paragraphText.slice(Math.min(span.close + 1, paragraphText.length), Math.max(sentence.end, span.close + 1)))) return false;
  const inside = wordTokens(span.content);
  if (inside.length < 4) return false;
  // A clause opens with its subject ("we", "there", "the record", "nothing"); "must stop ...",
  // "has consistently ...", "back to war" continue the writer's own clause.
  if (lexiconTags(inside[0]!.text).some((t) => CLAUSE_CONTINUING_TAGS.has(t))) return false;
  const words = wordTokens(before);
  for (let k = words.length - 1; k >= Math.max(0, words.length - 4); k--) {
    const w = words[k]!;
    if (NAMING_VERBS.has(w.lower)) return false;
    if (isSpeechVerb(w) || /^(?:saying|asking|writing|adding|stating|telling|declaring)$/.test(w.lower)) {
      // Only "told" and "asked" take an object before the words: "told his supporters".
      return k === words.length - 1 || /^(?:told|tells|telling|asked|asks|asking)$/.test(w.lower);
    }
  }
  return false;
}

/** A paragraph made only of quoted words (the marks, punctuation and nothing of the writer's). */
function isQuoteParagraph(paragraph: Paragraph, spans: QuoteSpan[]): boolean {
  let outside = paragraph.text;
  for (const span of spans) {
    if (span.paragraph !== paragraph.index) continue;
    outside = outside.slice(0, span.open) + ' '.repeat(Math.min(outside.length, span.close + 1) - span.open) + outside.slice(span.close + 1);
  }
  return !/[\p{L}\p{N}]/u.test(outside);
}

/** Whether the quote sits in its paragraph's last sentence, so a next paragraph can carry it on. */
function isLastSentenceQuote(paragraph: Paragraph, span: QuoteSpan): boolean {
  const last = paragraph.sentences[paragraph.sentences.length - 1];
  return last !== undefined && span.close >= last.start;
}

/**
 * Joins spans that make one quote: a quote running over paragraphs; a quote split by its
 * attribution (`"Part one," he said. "Part two."`); quoted sentences that follow each other.
 */
function groupUnits(doc: ArticleDocument, spans: QuoteSpan[]): QuoteUnit[] {
  const units: QuoteUnit[] = [];
  const kinds = new Map<QuoteSpan, 'direct' | 'partial'>();
  const kindOfSpan = (span: QuoteSpan): 'direct' | 'partial' => {
    let kind = kinds.get(span);
    if (!kind) {
      const paragraph = doc.paragraphs[span.paragraph]!;
      kind = kindOf(paragraph.text, span, sentenceAt(paragraph, span.open));
      kinds.set(span, kind);
    }
    return kind;
  };
  let i = 0;
  while (i < spans.length) {
    const group: QuoteSpan[] = [spans[i]!];
    const joiners: string[] = [];
    while (i + 1 < spans.length) {
      const last = group[group.length - 1]!;
      const next = spans[i + 1]!;
      const paragraph = doc.paragraphs[last.paragraph]!;
      if (last.continues && next.paragraph === last.paragraph + 1 && next.open === 0) {
        group.push(next);
        joiners.push(' ');
        i++;
        continue;
      }
      // A paragraph that is nothing but a quote, right after an attributed quote, goes on with it:
      // `"A," Viguerie tells Breitbart News.` / `"B. C."` is one quote (as news annotators read it).
      if (next.paragraph === last.paragraph + 1 && next.open === 0 && !last.continues && isQuoteParagraph(doc.paragraphs[next.paragraph]!, spans) &&
        kindOfSpan(group[0]!) === 'direct' &&
        isLastSentenceQuote(paragraph, last)) {
        group.push(next);
        joiners.push(' … ');
        i++;
        continue;
      }
      if (next.paragraph === last.paragraph && last.close < paragraph.text.length) {
        const between = paragraph.text.slice(last.close + 1, next.open);
        const nextSentence = sentenceAt(paragraph, next.open);
        const lastSentence = sentenceAt(paragraph, Math.max(last.open, last.close - 1));
        // The attribution may stand as a sentence of its own (`"...?" Hannity pressed. "..."`).
        const adjacent = nextSentence.index - lastSentence.index <= 2;
        const firstKind = kindOfSpan(group[0]!);
        const nextStartsSentence = /^[\s“"‘']*[\p{Lu}\p{N}]/u.test(next.content) || /[,:—–-]\s*$/.test(between);
        // `"A." He added, "B."`: a finished quote, then a new sentence introducing the next one:
        // two quotes (the attribution belongs to the second), not one split by its attribution.
        const introducesNext = /[.!?…]["'”’]?$/.test(last.content.trim()) && /[,:]\s*$/.test(between) && /^\s*\p{Lu}/u.test(between);
        if (adjacent && firstKind === 'direct' && nextStartsSentence && !introducesNext && isAttributionBetween(between) && !hasOwnAttribution(paragraph.text, next, nextSentence)) {
          group.push(next);
          joiners.push(wordTokens(between).length > 0 ? ' … ' : ' ');
          i++;
          continue;
        }
      }
      break;
    }
    i++;
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const firstParagraph = doc.paragraphs[first.paragraph]!;
    const firstSentence = sentenceAt(firstParagraph, first.open);
    const text = group.map((s, k) => (k > 0 ? joiners[k - 1] : '') + cleanQuoteText(s.content)).join('');
    units.push({
      spans: group,
      text: cleanQuoteText(text),
      kind: kindOfSpan(first),
      firstSentence,
      lastSentence: sentenceAt(doc.paragraphs[last.paragraph]!, Math.max(last.open, last.close - 1)),
    });
  }
  return units;
}


function unitContextTokens(unit: QuoteUnit, attribution: Attribution): Token[] {
  const tokens = attribution.tokensOf(unit.spans[0]!.paragraph);
  const from = indexAt(tokens, unit.firstSentence.start);
  const to = indexAt(tokens, unit.lastSentence.end);
  return tokens.slice(from, to);
}

/** Index of the first token at or after `offset`. */
function indexAt(tokens: Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
