import type { Article } from '../articles/article.js';
import { countWords, splitSentences } from './sentences.js';

/**
 * The article as the engine reads it: paragraphs, numbered sentences, and every span between
 * quotation marks, located by character offsets so that nothing shown later is paraphrased.
 */

export interface Sentence {
  /** Position in the whole article (0-based); Briefing `sentence` fields point here. */
  index: number;
  paragraph: number;
  /** Position inside its paragraph. */
  position: number;
  text: string;
  /** Offsets inside the paragraph text. */
  start: number;
  end: number;
  heading: boolean;
  wordCount: number;
}

export interface Paragraph {
  index: number;
  text: string;
  heading: boolean;
  sentences: Sentence[];
}

/** A stretch of text between a pair of quotation marks. */
export interface QuoteSpan {
  paragraph: number;
  /** Offset of the opening mark. */
  open: number;
  /** Offset of the closing mark; equals the paragraph length when the paragraph ends inside the quote. */
  close: number;
  /** The words inside the marks, verbatim. */
  content: string;
  style: 'double' | 'single';
  /** True when the quote goes on into the next paragraph (news style: no closing mark, the next paragraph re-opens). */
  continues: boolean;
}

export interface ArticleDocument {
  title: string;
  paragraphs: Paragraph[];
  sentences: Sentence[];
  quoteSpans: QuoteSpan[];
  wordCount: number;
}

export function buildDocument(article: Article): ArticleDocument {
  const paragraphs: Paragraph[] = [];
  const sentences: Sentence[] = [];
  let wordCount = 0;
  for (const block of article.blocks) {
    const text = block.text.trim();
    if (!text) continue;
    const paragraph: Paragraph = { index: paragraphs.length, text, heading: block.kind === 'heading', sentences: [] };
    const spans = paragraph.heading ? [{ text, start: 0, end: text.length }] : splitSentences(text);
    for (const span of spans) {
      const sentence: Sentence = {
        index: sentences.length,
        paragraph: paragraph.index,
        position: paragraph.sentences.length,
        text: span.text,
        start: span.start,
        end: span.end,
        heading: paragraph.heading,
        wordCount: countWords(span.text),
      };
      wordCount += sentence.wordCount;
      paragraph.sentences.push(sentence);
      sentences.push(sentence);
    }
    paragraphs.push(paragraph);
  }
  const quoteSpans = findQuoteSpans(paragraphs);
  return { title: article.title, paragraphs, sentences, quoteSpans, wordCount };
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && LETTER_OR_DIGIT.test(ch);
}

type Mark = { at: number; kind: 'open' | 'close' | 'toggle'; style: 'double' | 'single' };

/**
 * Classifies each quotation mark of a paragraph. Curly marks say which way they face; straight
 * ones are decided by their neighbours; a right single mark inside a word is an apostrophe.
 */
function scanMarks(text: string): Mark[] {
  const marks: Mark[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const prev = text[i - 1];
    const next = text[i + 1];
    switch (ch) {
      case '“':
      case '«':
        marks.push({ at: i, kind: 'open', style: 'double' });
        break;
      case '”':
      case '»':
        marks.push({ at: i, kind: 'close', style: 'double' });
        break;
      case '"':
        marks.push({ at: i, kind: 'toggle', style: 'double' });
        break;
      case '‘':
        // ‘90s is an elision, not a quote.
        if (!(isWordChar(prev) || /\d/.test(next ?? '') && /\d/.test(text[i + 2] ?? '') && !isWordChar(text[i + 3])))
          marks.push({ at: i, kind: 'open', style: 'single' });
        break;
      case '’':
      case "'": {
        if (isWordChar(prev) && isWordChar(next)) break; // apostrophe: don't, Russia's
        if (!isWordChar(prev) && isWordChar(next)) {
          // Opening straight single quote; curly ’ before a word is an elision ('em, ’90s).
          if (ch === "'" && (prev === undefined || /[\s([—–-]/.test(prev))) marks.push({ at: i, kind: 'open', style: 'single' });
          break;
        }
        // After a word or punctuation and before a space or punctuation: a closing mark, or a
        // plural possessive ("the players’ union"); the pairing below decides.
        if (prev !== undefined && !/\s/.test(prev)) marks.push({ at: i, kind: 'close', style: 'single' });
        break;
      }
      default:
        break;
    }
  }
  return marks;
}

function findQuoteSpans(paragraphs: Paragraph[]): QuoteSpan[] {
  const spans: QuoteSpan[] = [];
  for (const paragraph of paragraphs) {
    if (paragraph.heading) continue;
    const { text } = paragraph;
    const marks = scanMarks(text);
    let openDouble: number | null = null;
    let openSingle: number | null = null;
    const push = (open: number, close: number, style: 'double' | 'single', continues: boolean): void => {
      const content = text.slice(open + 1, close).trim();
      if (content) spans.push({ paragraph: paragraph.index, open, close, content, style, continues });
    };
    for (const mark of marks) {
      if (mark.style === 'double') {
        if (openDouble === null && (mark.kind === 'open' || mark.kind === 'toggle')) {
          openDouble = mark.at;
        } else if (openDouble !== null && (mark.kind === 'close' || mark.kind === 'toggle')) {
          push(openDouble, mark.at, 'double', false);
          openDouble = null;
          openSingle = null; // single marks inside a double quote are nested quotes
        } else if (openDouble !== null && mark.kind === 'open') {
          // An opening mark while one is open: the earlier one was never closed; restart here.
          openDouble = mark.at;
        }
      } else if (openDouble === null) {
        if (mark.kind === 'open') {
          if (openSingle === null) openSingle = mark.at;
        } else if (openSingle !== null) {
          push(openSingle, mark.at, 'single', false);
          openSingle = null;
        }
      }
    }
    // A paragraph that ends inside a quote: the quote runs to its end, and goes on when the next
    // paragraph opens with a quotation mark.
    const dangling = openDouble ?? openSingle;
    if (dangling !== null) {
      const style = openDouble !== null ? 'double' : 'single';
      const nextText = paragraphs[paragraph.index + 1]?.text ?? '';
      const continues = /^["“‘']/.test(nextText);
      push(dangling, text.length, style, continues);
    }
  }
  return spans;
}
