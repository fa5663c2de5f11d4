import { basename, extname } from 'node:path';
import { BriefbotError } from '../errors.js';
import { readFileBounded, readStreamBounded } from '../util/read-bounded.js';
import type { Article } from './article.js';
import { hasFrontMatter, readMarkdown } from './read-markdown.js';
import { parseJsonlLine } from './read-jsonl.js';
import { readPlainText } from './read-plain-text.js';

/** Articles larger than this are refused: no news article comes close, and the engine stays fast. */
export const MAX_ARTICLE_BYTES = 2 * 1024 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Bytes to text, refusing what is not an article: empty, binary, oversized, not UTF-8. */
export function decodeArticleBytes(bytes: Uint8Array, name: string): string {
  if (bytes.length === 0) throw new BriefbotError('empty', `${name} is empty`);
  if (bytes.length > MAX_ARTICLE_BYTES) {
    throw new BriefbotError('too-large', `${name} is ${formatBytes(bytes.length)}; articles are limited to ${formatBytes(MAX_ARTICLE_BYTES)}`);
  }
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of sample) {
    if (b === 0) throw new BriefbotError('binary', `${name} looks like a binary file, not text`);
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  if (control > sample.length * 0.1) throw new BriefbotError('binary', `${name} looks like a binary file, not text`);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new BriefbotError('invalid-utf8', `${name} is not valid UTF-8 text`);
  }
  if (!text.trim()) throw new BriefbotError('empty', `${name} has no text`);
  return text;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

export type ArticleFileFormat = 'markdown' | 'plain-text' | 'json';

export function formatOf(path: string, text: string): ArticleFileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.md' || ext === '.markdown' || hasFrontMatter(text)) return 'markdown';
  if (ext === '.json') return 'json';
  return 'plain-text';
}

/** Reads one article from text in a known or guessed format. */
export function readArticleText(text: string, name: string, format: ArticleFileFormat = formatOf(name, text)): Article {
  let article: Article;
  if (format === 'markdown') article = readMarkdown(text);
  else if (format === 'json') article = parseJsonlLine(text.trim(), 1);
  else article = readPlainText(text);
  article.source = { format: format === 'json' ? 'jsonl' : format, path: name };
  if (!article.blocks.some((b) => b.kind === 'paragraph' && /[\p{L}]{2,}/u.test(b.text))) {
    throw new BriefbotError('no-sentences', `${basename(name)} has no sentences to brief`);
  }
  return article;
}

function tooLarge(name: string, size: number | undefined): BriefbotError {
  const what = size !== undefined && size > MAX_ARTICLE_BYTES ? formatBytes(size) : `over ${formatBytes(MAX_ARTICLE_BYTES)}`;
  return new BriefbotError('too-large', `${name} is ${what}; articles are limited to ${formatBytes(MAX_ARTICLE_BYTES)}`);
}

/**
 * Reads an article file. Only a regular file is opened (a named pipe, a device or a socket is
 * refused first), and reading stops one byte past the limit whatever the file claims its size is.
 */
export async function loadArticleFile(path: string): Promise<Article> {
  const name = basename(path);
  const { bytes, overLimit, size } = await readFileBounded(path, MAX_ARTICLE_BYTES, { noun: 'an article file' });
  if (overLimit) throw tooLarge(name, size);
  return readArticleText(decodeArticleBytes(bytes, name), path);
}

/**
 * An article's text from a stream (standard input): read up to the limit plus one byte, so an
 * endless or huge input fails with the too-large error after 2 MB instead of filling memory.
 */
export async function readArticleStream(stream: AsyncIterable<Buffer | string | Uint8Array>, name = 'standard input'): Promise<string> {
  const { bytes, overLimit } = await readStreamBounded(stream, MAX_ARTICLE_BYTES);
  if (overLimit) throw tooLarge(name, undefined);
  return decodeArticleBytes(bytes, name);
}
