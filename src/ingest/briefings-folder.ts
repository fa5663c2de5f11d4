import { readdir } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { formatBytes, idOfLine, loadArticleFile, MAX_ARTICLE_BYTES, parseJsonlLine, type Article } from '../articles/index.js';
import { BriefbotError, describeError } from '../errors.js';
import type { Library } from '../library/library.js';
import type { ProgressFactory } from '../util/progress.js';
import { readFileBounded } from '../util/read-bounded.js';
import { readLines } from '../util/read-lines.js';
import { recordArticle, type RecordDeps } from './record-article.js';

export { hashText } from './record-article.js';

/** File endings the briefings folder reads; anything else (README, images) is left alone. */
export const ARTICLE_EXTENSIONS = new Set(['.md', '.markdown', '.txt', '.text', '.json', '.jsonl']);

export interface FolderLoadResult {
  loaded: number;
  failed: Array<{ file: string; error: string }>;
}

/** Whether a file in a briefings folder is an article (not a README, a dotfile or an editor's temporary file). */
export function isArticleFile(name: string): boolean {
  return ARTICLE_EXTENSIONS.has(extname(name).toLowerCase()) && !name.startsWith('.') && !/^readme/i.test(name) && !name.endsWith('~');
}

/** One article read from a file: a JSON Lines file holds many, keyed by record id. */
export interface ArticleUnit {
  /** Stable within the folder: `file:<name>`, or `file:<name>#<record id>` for a JSON Lines record. */
  key: string;
  /** Where the library says it came from: the path, or `path:line` for a JSON Lines record. */
  source: string;
  article?: Article;
  error?: string;
}

/**
 * Largest JSON Lines file the folder reads: one file holds many articles (each line still at most
 * MAX_ARTICLE_BYTES), and a whole file is held in memory while it is read, so the bound is on the file.
 */
export const MAX_JSONL_FILE_BYTES = 64 * 1024 * 1024;

/** A JSON Lines file that is not text at all (a binary dropped in by mistake) is one error, not one per stray line break. */
function looksBinary(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control > sample.length * 0.1;
}

/** Reads the article(s) in one file; a bad JSON Lines record is reported without losing the others. */
export async function readArticleUnits(path: string): Promise<ArticleUnit[]> {
  const name = basename(path);
  if (extname(name).toLowerCase() !== '.jsonl') return [{ key: `file:${name}`, source: path, article: await loadArticleFile(path) }];
  // Only a regular file is opened (a named pipe with no writer would hang the folder), and reading stops past the limit.
  const { bytes, overLimit, size } = await readFileBounded(path, MAX_JSONL_FILE_BYTES, { noun: 'a JSON Lines file' });
  if (overLimit) {
    // The size a stat gives can be wrong (it can grow while read, or round to the limit's own figure): then just "over".
    const what = size > MAX_JSONL_FILE_BYTES && formatBytes(size) !== formatBytes(MAX_JSONL_FILE_BYTES) ? formatBytes(size) : `over ${formatBytes(MAX_JSONL_FILE_BYTES)}`;
    throw new BriefbotError('too-large', `${name} is ${what}; a JSON Lines file is limited to ${formatBytes(MAX_JSONL_FILE_BYTES)}`);
  }
  if (bytes.length === 0) throw new BriefbotError('empty', `${name} is empty`);
  if (looksBinary(bytes)) throw new BriefbotError('binary', `${name} looks like a binary file, not text`);
  const units: ArticleUnit[] = [];
  // Line by line, each line bounded like an article file, so one bad line costs only its own record.
  for await (const read of readLines(Readable.from([bytes]), MAX_ARTICLE_BYTES)) {
    const line = read.text;
    if (line !== undefined && !line.trim()) continue;
    const unit: ArticleUnit = { key: `file:${name}#${line === undefined ? `line-${read.number}` : idOfLine(line, read.number)}`, source: `${path}:${read.number}` };
    if (read.problem === 'too-long') {
      unit.error = `line ${read.number}: ${formatBytes(read.bytes)}; an article is limited to ${formatBytes(MAX_ARTICLE_BYTES)}`;
    } else if (line === undefined) {
      unit.error = `line ${read.number}: not valid UTF-8 text`;
    } else {
      try {
        unit.article = parseJsonlLine(line, read.number);
      } catch (error) {
        unit.error = describeError(error);
      }
    }
    units.push(unit);
  }
  return units;
}

/** Briefs an article and files it in the library; an edited article becomes a new revision. */
export async function ingestArticle(library: Library, article: Article, source: string, now: Date = new Date(), brief?: RecordDeps['brief']): ReturnType<Library['add']> {
  const result = await recordArticle({ library, ...(brief ? { brief } : {}) }, { article, source, now });
  return { id: result.entry.briefing.id, status: result.status === 'revised' ? 'updated' : result.status };
}

/**
 * Reads every article file in a folder (not recursively) into the library. A file that cannot
 * be read is reported and skipped; the others still load. With `progress`, a large folder shows
 * how far the read has got (files done of the folder's article files).
 */
export async function loadBriefingsFolder(dir: string, library: Library, logger?: Logger, options: { progress?: ProgressFactory } & Pick<RecordDeps, 'brief'> = {}): Promise<FolderLoadResult> {
  const result: FolderLoadResult = { loaded: 0, failed: [] };
  let names: string[];
  try {
    // Named pipes, devices and sockets are kept so that each is reported as such, not skipped without a word.
    names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile() || d.isFIFO() || d.isCharacterDevice() || d.isBlockDevice() || d.isSocket()).map((d) => d.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      logger?.warn({ dir }, 'briefings folder does not exist');
      return result;
    }
    throw error;
  }
  const articleNames = names.filter(isArticleFile).sort();
  const progress = options.progress?.({ label: `reading ${dir}`, total: articleNames.length });
  for (const name of articleNames) {
    try {
      // Absolute paths, as the folder watcher records them, so both name the same file alike.
      for (const unit of await readArticleUnits(resolve(dir, name))) {
        if (unit.article) {
          await ingestArticle(library, unit.article, unit.source, new Date(), options.brief);
          result.loaded++;
        } else {
          result.failed.push({ file: `${name}:${unit.source.slice(unit.source.lastIndexOf(':') + 1)}`, error: unit.error ?? 'unreadable' });
        }
      }
    } catch (error) {
      result.failed.push({ file: name, error: describeError(error) });
    }
    progress?.tick();
  }
  progress?.done();
  for (const failure of result.failed) logger?.warn(failure, 'could not load article');
  return result;
}
