import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import { decodeArticleBytes, loadArticleFile, parseJsonlLine, type Article } from '../articles/index.js';
import { createBriefing } from '../briefing/index.js';
import { describeError } from '../errors.js';
import type { Library } from '../library/library.js';

/** File endings the briefings folder reads; anything else (README, images) is left alone. */
export const ARTICLE_EXTENSIONS = new Set(['.md', '.markdown', '.txt', '.text', '.json', '.jsonl']);

export interface FolderLoadResult {
  loaded: number;
  failed: Array<{ file: string; error: string }>;
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function articleText(article: Article): string {
  return [article.title, ...article.highlights, ...article.blocks.map((b) => b.text)].join('\n');
}

/** Briefs an article and files it in the library. */
export function ingestArticle(library: Library, article: Article, source: string, now: Date = new Date()): ReturnType<Library['add']> {
  const briefing = createBriefing(article);
  return library.add({ briefing, ingestedAt: now.toISOString(), contentHash: hashText(articleText(article)), source });
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
    const ext = extname(name).toLowerCase();
    if (!ARTICLE_EXTENSIONS.has(ext) || name.startsWith('.') || /^readme/i.test(name)) continue;
    const path = join(dir, name);
    try {
      if (ext === '.jsonl') {
        const text = decodeArticleBytes(await readFile(path), name);
        text.split(/\r?\n/).forEach((line, i) => {
          if (!line.trim()) return;
          try {
            ingestArticle(library, parseJsonlLine(line, i + 1), `${path}:${i + 1}`);
            result.loaded++;
          } catch (error) {
            result.failed.push({ file: `${name}:${i + 1}`, error: describeError(error) });
          }
        });
      } else {
        ingestArticle(library, await loadArticleFile(path), path);
        result.loaded++;
      }
    } catch (error) {
      result.failed.push({ file: name, error: describeError(error) });
    }
  }
  for (const failure of result.failed) logger?.warn(failure, 'could not load article');
  return result;
}
