import { z } from 'zod';
import { BriefbotError } from '../errors.js';
import type { Article } from './article.js';
import { readPlainText } from './read-plain-text.js';
import { shortHash, slugify } from './slug.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
/** `Tue, 10 Jun 2025 09:00:00 GMT`, `10 June 2025`, `June 10, 2025`, with an optional time and zone. */
const WRITTEN_DATE = new RegExp(
  `^(?:[a-z]{3,9},?\\s+)?(?:\\d{1,2}\\s+${MONTH}\\s+\\d{4}|${MONTH}\\s+\\d{1,2},?\\s+\\d{4})(?:,?\\s+\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\s*(?:[a-z]{1,5}|[+-]\\d{4}))?)?$`,
  'i',
);

/**
 * A date as records write them: ISO 8601 (a day or a date-time), or the RFC 2822 form of feeds
 * (`Tue, 10 Jun 2025 09:00:00 GMT`) and the written `June 10, 2025`. The shape is checked
 * before `Date.parse`, which also takes "1", "May 5" or "yesterday 2025" as dates.
 */
export function isRecordDate(text: string): boolean {
  const value = text.trim();
  if (ISO_DATE.test(value)) return !Number.isNaN(Date.parse(value.replace(' ', 'T'))) && Number(value.slice(5, 7)) <= 12 && Number(value.slice(8, 10)) <= 31;
  return WRITTEN_DATE.test(value) && !Number.isNaN(Date.parse(value));
}

/** A link a briefing may show: http or https only (a `javascript:` or `data:` link never reaches a card). */
export function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An optional text field that, when given and not blank, must pass `check`. */
const checkedText = (check: (text: string) => boolean, message: string) =>
  z
    .string({ error: message })
    .nullish()
    .refine((v) => v === undefined || v === null || !v.trim() || check(v), message);

/** One JSON Lines record: `{ "id"?, "title"?, "text", "url"?, "published"?, "author"? }`. */
export const ArticleRecordSchema = z
  .object({
    id: z.union([z.string(), z.number()]).nullish(),
    title: z.string().nullish(),
    text: z.string({ error: (issue) => (issue.input === undefined ? 'missing "text"' : '"text" must be a string') }),
    url: checkedText(isWebAddress, '"url" must be an http:// or https:// address'),
    published: checkedText(isRecordDate, '"published" must be a date, such as 2025-06-11 or 2025-06-11T09:00:00Z'),
    author: z.string().nullish(),
    outlet: z.string().nullish(),
    tags: z.array(z.string()).nullish(),
  })
  .passthrough();
export type ArticleRecord = z.infer<typeof ArticleRecordSchema>;

/** Builds an Article from a record; the text is read as plain text (paragraphs, subheadings). */
export function articleFromRecord(record: ArticleRecord): Article {
  if (!record.text.trim()) throw new BriefbotError('empty', 'record has an empty "text"');
  const meta: Parameters<typeof readPlainText>[1] = {};
  if (record.title) meta.title = record.title;
  if (record.author) meta.author = record.author;
  if (record.published?.trim()) meta.published = record.published.trim();
  if (record.url?.trim()) meta.url = record.url.trim();
  if (record.outlet) meta.outlet = record.outlet;
  const article = readPlainText(record.text, meta);
  article.id = record.id !== undefined && record.id !== null && String(record.id).trim() ? slugify(String(record.id)) : article.title ? slugify(article.title, record.text) : 'article-' + shortHash(record.text);
  if (record.tags) article.tags = record.tags;
  article.source = { format: 'jsonl' };
  return article;
}

/** Parses one line of a JSON Lines file; the error names the problem and the line. */
export function parseJsonlLine(line: string, lineNumber: number): Article {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new BriefbotError('bad-json', `line ${lineNumber}: not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BriefbotError('bad-record', `line ${lineNumber}: expected a JSON object with "text"`);
  }
  const result = ArticleRecordSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    const where = field && !issue?.message.includes(`"${field}"`) ? `field "${field}": ` : '';
    throw new BriefbotError('bad-record', `line ${lineNumber}: ${where}${issue?.message ?? 'invalid record'}`);
  }
  try {
    return articleFromRecord(result.data);
  } catch (error) {
    if (error instanceof BriefbotError) throw new BriefbotError(error.code, `line ${lineNumber}: ${error.message}`);
    throw error;
  }
}

/** The id a bad line would have had, so a batch can report `{ id, error }`. */
export function idOfLine(line: string, lineNumber: number): string {
  try {
    const value = JSON.parse(line) as { id?: unknown };
    if (value && (typeof value.id === 'string' || typeof value.id === 'number')) return String(value.id);
  } catch {
    // not JSON: fall through
  }
  return `line-${lineNumber}`;
}
