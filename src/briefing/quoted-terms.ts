import type { ArticleDocument, QuoteSpan } from './document.js';
import { NAMING_CUES } from './lexicon.js';
import { isCapitalized } from './tokens.js';

/**
 * Quotation marks do not always hold someone's words: news writing also puts them around names
 * and call signs ("Veles"), titles of works, terms and scare quotes ("so-called "reform""). This
 * sorts the spans of an article into words (candidates for quotes) and terms (read as if the marks
 * were absent).
 */

/** Whether a quoted span is a name, a title, a term or a scare quote rather than someone's words. */
export function isNameOrTerm(span: QuoteSpan, paragraphText: string): boolean {
  const content = span.content;
  const wordsIn = content.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (wordsIn.length === 0) return true;
  const endsWithPunctuation = /[.!?,;:…—-]$/.test(content);
  const titleCase = wordsIn.every((w) => isCapitalized(w) || /^(?:of|the|a|an|and|in|on|for|to|de|la|&)$/i.test(w));
  if (titleCase && wordsIn.length <= 4 && !endsWithPunctuation) return true;
  if (titleCase && wordsIn.length <= 2) return true;
  const before = paragraphText.slice(Math.max(0, span.open - 30), span.open).toLowerCase();
  const cueWords = before.match(/[\p{L}-]+/gu) ?? [];
  const nearCues = cueWords.slice(-2);
  if (wordsIn.length <= 5 && nearCues.some((w) => NAMING_CUES.has(w)) && !/\bcalled (?:it|him|her|them|this|that)\b/.test(before)) return true;
  if (/(?:known|referred to) as\s*$/.test(before)) return true;
  return false;
}

/** The article's quotation-mark spans, split into someone's words and names or terms. */
export function splitQuoteSpans(doc: ArticleDocument): { words: QuoteSpan[]; terms: QuoteSpan[] } {
  const words: QuoteSpan[] = [];
  const terms: QuoteSpan[] = [];
  for (const span of doc.quoteSpans) {
    const paragraph = doc.paragraphs[span.paragraph]!;
    if (!span.continues && span.close < paragraph.text.length && isNameOrTerm(span, paragraph.text)) terms.push(span);
    else words.push(span);
  }
  return { words, terms };
}
