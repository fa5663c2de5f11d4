import type { Logger } from 'pino';
import type { Article } from '../articles/index.js';
import { createBriefing } from '../briefing/index.js';
import { describeError } from '../errors.js';
import type { SqliteLibrary } from '../library/sqlite-library.js';
import { readArticleUnits } from './briefings-folder.js';
import { articleText, hashText } from './record-article.js';

/**
 * Re-briefing: briefings made by an older engine (or schema), and rows found invalid, are made
 * again from their article, newest first, so engine improvements reach what users already have.
 *
 * It never holds up commands: one row is briefed at a time (a few milliseconds), and after every
 * `chunkSize` rows the loop yields to the event loop with setImmediate, so a command waiting there
 * runs next. Each row is replaced in one transaction, so commands see the old briefing until the
 * new one is written. The article is the one the store kept; rows stored before articles were kept
 * are read again from their source file when it still holds the same text (same content hash). A
 * row whose article is gone (a feed item's URL, standard input, a changed or missing file) is kept
 * as it is and counted.
 */

/** Called after every row, and once at the start with done = 0; total grows when reads find invalid rows meanwhile. */
export type RebriefProgress = (done: number, total: number) => void;

export interface RebriefSummary {
  /** Rows that needed it. */
  total: number;
  rebriefed: number;
  /** Rows left as they were, with why. */
  kept: Array<{ id: string; reason: string }>;
}

export interface RebriefOptions {
  library: SqliteLibrary;
  logger?: Logger;
  /** The hook for a progress display. */
  onProgress?: RebriefProgress;
  /** Rows briefed between two yields to the event loop (default 2). */
  chunkSize?: number;
}

export interface Rebriefer {
  /** Re-briefs every out-of-date row; a call while a pass runs joins it. */
  run(): Promise<RebriefSummary>;
  /** Stops after the row in hand (call before closing the store); a later run() starts again. */
  stop(): Promise<void>;
}

/** Yields to the event loop: whatever is waiting (a command, a timer, I/O) runs before the next chunk. */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The article a row was made from, read again from its source file; a reason when it cannot be. */
export async function recoverArticle(source: string | undefined, id: string, contentHash: string): Promise<Article | string> {
  if (!source || source === 'stdin' || URL_LIKE.test(source)) return `its article was not kept (stored before briefings were versioned) and its source ${source ? `(${source}) ` : ''}is not a file`;
  // A JSON Lines record is recorded as path:line.
  const line = /^(.*\.jsonl):\d+$/i.exec(source);
  const file = line ? line[1]! : source;
  let articles: Article[];
  try {
    const units = await readArticleUnits(file);
    // The recorded line first: a record whose line moved is still found by its text.
    units.sort((a, b) => Number(b.source === source) - Number(a.source === source));
    articles = units.flatMap((u) => (u.article ? [u.article] : []));
  } catch (error) {
    return `its article was not kept and its source cannot be read again: ${describeError(error)}`;
  }
  const same = articles.find((a) => hashText(articleText(a)) === contentHash);
  return same ? { ...same, id } : `its article was not kept and ${source} has changed since it was briefed`;
}

export function createRebriefer(options: RebriefOptions): Rebriefer {
  const { library, logger } = options;
  const chunkSize = Math.max(1, options.chunkSize ?? 2);
  /** Rows that cannot be re-briefed in this process: not tried again on every pass. */
  const unrecoverable = new Set<number>();
  let queue: number[] = [];
  let pass: Promise<RebriefSummary> | undefined;
  let stopping = false;
  let summary: RebriefSummary = { total: 0, rebriefed: 0, kept: [] };

  const rebriefOne = async (position: number): Promise<void> => {
    const stored = library.stored(position);
    // Gone, or written meanwhile by an ingest with the current engine.
    if (!stored?.outdated) return;
    const found = stored.article ?? (await recoverArticle(stored.source, stored.id, stored.contentHash));
    if (typeof found === 'string') {
      unrecoverable.add(position);
      summary.kept.push({ id: stored.id, reason: found });
      return;
    }
    const article = { ...found, id: stored.id };
    // A refusal means the article changed meanwhile and its new briefing is current already.
    if (library.replaceBriefing(position, { contentHash: stored.contentHash, briefing: createBriefing(article), article })) summary.rebriefed++;
  };

  const sweep = async (): Promise<RebriefSummary> => {
    summary = { total: 0, rebriefed: 0, kept: [] };
    queue = library.outdatedPositions().filter((p) => !unrecoverable.has(p));
    summary.total = queue.length;
    let done = 0;
    options.onProgress?.(done, summary.total);
    while (queue.length > 0 && !stopping) {
      for (let n = 0; n < chunkSize && queue.length > 0 && !stopping; n++) {
        const position = queue.shift()!;
        try {
          await rebriefOne(position);
        } catch (error) {
          // One bad article does not stop the others; it is tried again at the next pass.
          const id = library.stored(position)?.id ?? `position ${position}`;
          summary.kept.push({ id, reason: `re-briefing failed: ${describeError(error)}` });
          logger?.warn({ articleId: id, err: error }, 're-briefing failed');
        }
        options.onProgress?.(++done, summary.total);
      }
      await yieldToLoop();
    }
    return summary;
  };

  const run = (): Promise<RebriefSummary> => {
    stopping = false;
    pass ??= sweep().finally(() => {
      pass = undefined;
    });
    return pass;
  };

  // A read that finds an invalid row hands it over. The listener runs inside that read (possibly
  // while a query iterates), so it only queues: the write happens on a later turn of the loop.
  library.onInvalid((position) => {
    if (stopping || unrecoverable.has(position)) return;
    if (pass) {
      if (!queue.includes(position)) {
        queue.push(position);
        summary.total++;
      }
      return;
    }
    setImmediate(() => {
      if (!stopping) void run().then((result) => report(logger, result));
    });
  });

  return {
    run,
    async stop() {
      stopping = true;
      await pass?.catch(() => undefined);
    },
  };
}

/** One line in the log for a pass that did anything. */
function report(logger: Logger | undefined, result: RebriefSummary): void {
  if (result.total === 0) return;
  logger?.info({ rebriefed: result.rebriefed, total: result.total, kept: result.kept.length }, 'stored briefings re-briefed by the current engine');
  for (const { id, reason } of result.kept) logger?.warn({ articleId: id, reason }, 'a stored briefing was kept as it is');
}

/** The bot's start: a background pass over the store, logged when done; stop() before closing the store. */
export function rebriefInBackground(options: RebriefOptions): Rebriefer {
  const rebriefer = createRebriefer(options);
  void rebriefer.run().then(
    (result) => report(options.logger, result),
    (error: unknown) => options.logger?.error({ err: error }, 're-briefing stopped'),
  );
  return rebriefer;
}
