import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { Logger } from 'pino';
import { decodeArticleBytes, idOfLine, loadArticleFile, parseJsonlLine, type Article } from '../articles/index.js';
import { describeError } from '../errors.js';
import type { Library } from '../library/library.js';
import { recordArticle } from './record-article.js';

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

/** Reads the article(s) in one file; a bad JSON Lines record is reported without losing the others. */
export async function readArticleUnits(path: string): Promise<ArticleUnit[]> {
  const name = basename(path);
  if (extname(name).toLowerCase() !== '.jsonl') return [{ key: `file:${name}`, source: path, article: await loadArticleFile(path) }];
  const text = decodeArticleBytes(await readFile(path), name);
  const units: ArticleUnit[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const unit: ArticleUnit = { key: `file:${name}#${idOfLine(line, i + 1)}`, source: `${path}:${i + 1}` };
    try {
      unit.article = parseJsonlLine(line, i + 1);
    } catch (error) {
      unit.error = describeError(error);
    }
    units.push(unit);
  });
  return units;
}

/** Briefs an article and files it in the library; an edited article becomes a new revision. */
export function ingestArticle(library: Library, article: Article, source: string, now: Date = new Date()): ReturnType<Library['add']> {
  const result = recordArticle({ library }, { article, source, now });
  return { id: result.entry.briefing.id, status: result.status === 'revised' ? 'updated' : result.status };
}

/**
 * Reads every article file in a folder (not recursively) into the library. A file that cannot
 * be read is reported and skipped; the others still load.
 */
export async function loadBriefingsFolder(dir: string, library: Library, logger?: Logger): Promise<FolderLoadResult> {
  const result: FolderLoadResult = { loaded: 0, failed: [] };
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      logger?.warn({ dir }, 'briefings folder does not exist');
      return result;
    }
    throw error;
  }
  for (const name of names.sort()) {
    if (!isArticleFile(name)) continue;
    try {
      // Absolute paths, as the folder watcher records them, so both name the same file alike.
      for (const unit of await readArticleUnits(resolve(dir, name))) {
        if (unit.article) {
          ingestArticle(library, unit.article, unit.source);
          result.loaded++;
        } else {
          result.failed.push({ file: `${name}:${unit.source.slice(unit.source.lastIndexOf(':') + 1)}`, error: unit.error ?? 'unreadable' });
        }
      }
    } catch (error) {
      result.failed.push({ file: name, error: describeError(error) });
    }
  }
  for (const failure of result.failed) logger?.warn(failure, 'could not load article');
  return result;
}
