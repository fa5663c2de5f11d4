import type { ArticleDocument, QuoteSpan } from './document.js';
import { NAMING_CUES, SPEECH_VERBS } from './lexicon.js';
import { isCapitalized } from './tokens.js';

/**
 * Quotation marks do not always hold someone's words: news writing also puts them around names
 * and call signs ("Veles"), titles of works, terms and scare quotes ("so-called "reform""). This
 * sorts the spans of an article into words (candidates for quotes) and terms (read as if the marks
 * were absent).
 */

/** Short words a title leaves in lower case: "Orange is the New Black", "Crippled America: How to ...". */
const MINOR_WORDS = /^(?:of|the|a|an|and|in|on|for|to|de|la|&|is|are|was|with|from|by|at|as|vs\.?|or|nor|but|up|into|over)$/i;

/** Things that carry words for show: a sign reading "...", shirts that said "...". */
const DISPLAYS = new Set([
  'sign', 'signs', 'banner', 'banners', 'poster', 'posters', 'placard', 'placards', 'shirt', 'shirts', 't-shirt',
  't-shirts', 'hat', 'hats', 'cap', 'caps', 'button', 'buttons', 'sticker', 'stickers', 'billboard', 'billboards', 'mug', 'mugs',
]);

/** Whether a quoted span is a name, a title, a term or a scare quote rather than someone's words. */
export function isNameOrTerm(span: QuoteSpan, paragraphText: string): boolean {
  const content = span.content;
  const wordsIn = content.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (wordsIn.length === 0) return true;
  const endsWithPunctuation = /[.!?,;:…—-]$/.test(content);
  const titleCase = wordsIn.every((w) => isCapitalized(w) || /^\d/.test(w) || MINOR_WORDS.test(w)) && isCapitalized(wordsIn[0]!);
  if (titleCase && wordsIn.length <= 4 && !endsWithPunctuation) return true;
  // `"Denver," he answered.`: a word or two that opens a sentence and that someone is said to say
  // is an answer; `Another commander, "Lesnik," added` names the commander.
  if (titleCase && wordsIn.length <= 2) return !(/[,!?.]$/.test(content) && opensSentence(span, paragraphText) && isSaidAfter(span, paragraphText));
  // A longer title in title case, its comma or full stop set inside the marks as US style does
  // ("starring in "Orange is the New Black."", "his book "Crippled America: How to Make America
  // Great Again""): one segment, most words capitalised.
  const capitals = wordsIn.filter((w) => isCapitalized(w)).length;
  if (titleCase && wordsIn.length <= 10 && capitals >= 3 && !/[.!?]\s/.test(content) && !/[!?;]$/.test(content)) return true;
  const before = paragraphText.slice(Math.max(0, span.open - 40), span.open).toLowerCase();
  const cueWords = before.match(/[\p{L}-]+/gu) ?? [];
  const nearCues = cueWords.slice(-2);
  if (wordsIn.length <= 5 && nearCues.some((w) => NAMING_CUES.has(w)) && !/\bcalled (?:it|him|her|them|this|that)\b/.test(before)) return true;
  if (/(?:known|referred to) as\s*$/.test(before)) return true;
  // "signs reading "...", "a banner that read "...": a slogan on show, not someone's words.
  const shown = /([\p{L}-]+)\s+(?:(?:that|which)\s+)?(?:read|reads|reading|said|saying|says|with)\s*[:,]?\s*$/u.exec(before);
  if (wordsIn.length <= 15 && shown && DISPLAYS.has(shown[1]!)) return true;
  return false;
}

/** Whether nothing of the writer's stands before the span in its sentence. */
function opensSentence(span: QuoteSpan, paragraphText: string): boolean {
  const before = paragraphText.slice(0, span.open);
  const start = Math.max(before.lastIndexOf('.'), before.lastIndexOf('!'), before.lastIndexOf('?')) + 1;
  return !/[\p{L}\p{N}]/u.test(before.slice(start));
}

/** Whether an attribution follows the closing mark: `," he answered`, `," said Priebus`. */
function isSaidAfter(span: QuoteSpan, paragraphText: string): boolean {
  const after = paragraphText.slice(span.close + 1, span.close + 60);
  const words = after.match(/[\p{L}'’-]+/gu) ?? [];
  return /^\s*[\p{L}]/u.test(after) && words.slice(0, 4).some((w) => SPEECH_VERBS.has(w.toLowerCase()));
}

/** The article's quotation-mark spans, split into someone's words and names or terms. */
export function splitQuoteSpans(doc: ArticleDocument): { words: QuoteSpan[]; terms: QuoteSpan[] } {
  const words: QuoteSpan[] = [];
  const terms: QuoteSpan[] = [];
  for (const span of doc.quoteSpans) {
    const paragraph = doc.paragraphs[span.paragraph]!;
    // Where two apostrophes stand for double marks (''He said, 'Go.' ''), a span in single marks
    // is a quote inside a quote, not words of its own.
    const nested = span.style === 'single' && paragraph.text.includes("''");
    if (nested || (!span.continues && span.close < paragraph.text.length && isNameOrTerm(span, paragraph.text))) terms.push(span);
    else words.push(span);
  }
  return { words, terms };
}
