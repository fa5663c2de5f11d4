import { z } from 'zod';
import { BriefbotError } from '../errors.js';
import type { Article } from './article.js';
import { readPlainText } from './read-plain-text.js';
import { shortHash, slugify } from './slug.js';

/** One JSON Lines record: `{ "id"?, "title"?, "text", "url"?, "published"?, "author"? }`. */
export const ArticleRecordSchema = z
  .object({
    id: z.union([z.string(), z.number()]).nullish(),
    title: z.string().nullish(),
    text: z.string({ error: (issue) => (issue.input === undefined ? 'missing "text"' : '"text" must be a string') }),
    url: z.string().nullish(),
    published: z.string().nullish(),
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
  if (record.published) meta.published = record.published;
  if (record.url) meta.url = record.url;
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
