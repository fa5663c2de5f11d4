/**
 * The briefings folder reads a JSON Lines file with a bound (issue 11, point 4, for the folder):
 * a named pipe called x.jsonl is refused at once instead of hanging the loader, a file past
 * MAX_JSONL_FILE_BYTES is refused after reading no more than that, and each refusal is one error
 * for that file, reported and logged like any other bad file while the others still load. Below
 * the file limit, each line is bounded like an article file, so one bad line costs one record.
 */
import { execFileSync } from 'node:child_process';
import { constants, mkdtempSync, openSync, closeSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_ARTICLE_BYTES } from '../../src/articles/index.js';
import { BriefbotError } from '../../src/errors.js';
import { loadBriefingsFolder, MAX_JSONL_FILE_BYTES, readArticleUnits } from '../../src/ingest/briefings-folder.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';

let dir: string;
const fifos: string[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'briefbot-folder-bounded-'));
});
afterEach(() => {
  // Should a regression leave a reader blocked opening a pipe, a writer coming and going releases it.
  for (const fifo of fifos.splice(0)) {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // no reader waiting: nothing to release
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function record(id: string, words = 0): string {
  const filler = words > 0 ? ` ${'The harbour board met again and talked at length about tide tables. '.repeat(words)}` : '';
  return JSON.stringify({ id, title: `Harbour note ${id}`, text: `The harbour board approved ${id.length} new moorings on Monday, its chair said.${filler}` });
}

function mkfifo(name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  fifos.push(path);
  return path;
}

/** Rejects with 'still waiting' when `promise` has not settled within `ms`: a hang fails the test instead of stalling it. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('still waiting')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function refusal(promise: Promise<unknown>): Promise<BriefbotError> {
  try {
    await within(promise, 3000);
  } catch (error) {
    expect(error).toBeInstanceOf(BriefbotError);
    return error as BriefbotError;
  }
  throw new Error('expected a refusal');
}

function warnings(): { logger: Logger; warn: ReturnType<typeof vi.fn> } {
  const warn = vi.fn();
  return { logger: { warn } as unknown as Logger, warn };
}

describe('a named pipe in the briefings folder', () => {
  it('readArticleUnits refuses x.jsonl that is a FIFO with no writer at once, in one line', async () => {
    const fifo = mkfifo('x.jsonl');
    const error = await refusal(readArticleUnits(fifo));
    expect(error.message).toBe(`${fifo} is a named pipe (FIFO), not a JSON Lines file`);
  });

  it('the folder loader reports the FIFO as a bad file, logs it, and still loads the other files', async () => {
    mkfifo('x.jsonl');
    writeFileSync(join(dir, 'notes.jsonl'), `${record('alpha')}\n${record('beta')}\n`);
    const { logger, warn } = warnings();
    const library = createMemoryLibrary();
    const result = await within(loadBriefingsFolder(dir, library, logger), 5000);
    expect(result.loaded).toBe(2);
    expect(result.failed).toEqual([{ file: 'x.jsonl', error: expect.stringMatching(/x\.jsonl is a named pipe \(FIFO\), not a JSON Lines file$/) }]);
    expect(warn).toHaveBeenCalledWith(result.failed[0], 'could not load article');
  });
});

describe('the size of a JSON Lines file', () => {
  it('a file past MAX_JSONL_FILE_BYTES (64 MB) is refused with its size and the limit', async () => {
    expect(MAX_JSONL_FILE_BYTES).toBe(64 * 1024 * 1024);
    const big = join(dir, 'big.jsonl');
    writeFileSync(big, `${record('first')}\n`);
    // Sparse: 200 MB as far as stat and read are concerned, without writing them.
    truncateSync(big, 200 * 1024 * 1024);
    const error = await refusal(readArticleUnits(big));
    expect(error.code).toBe('too-large');
    expect(error.message).toBe('big.jsonl is 200.0 MB; a JSON Lines file is limited to 64.0 MB');

    const { logger, warn } = warnings();
    const result = await loadBriefingsFolder(dir, createMemoryLibrary(), logger);
    expect(result).toEqual({ loaded: 0, failed: [{ file: 'big.jsonl', error: 'big.jsonl is 200.0 MB; a JSON Lines file is limited to 64.0 MB' }] });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('a file of many records larger than one article (2 MB) is read whole: the limit is on the file, not the article', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => record(`note-${i}`, 150));
    const text = `${lines.join('\n')}\n`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_ARTICLE_BYTES);
    writeFileSync(join(dir, 'many.jsonl'), text);
    const units = await readArticleUnits(join(dir, 'many.jsonl'));
    expect(units).toHaveLength(300);
    expect(units.every((u) => u.article && !u.error)).toBe(true);
    expect(units[299]!.key).toBe('file:many.jsonl#note-299');
    expect(units[299]!.source).toBe(`${join(dir, 'many.jsonl')}:300`);
  });

  it('one line longer than an article may be is that line\'s error; the lines around it load, with their line numbers', async () => {
    const huge = JSON.stringify({ id: 'huge', text: 'word '.repeat(MAX_ARTICLE_BYTES / 5 + 10) });
    writeFileSync(join(dir, 'mixed.jsonl'), `${record('before')}\n\n${huge}\n${record('after')}\n`);
    const units = await readArticleUnits(join(dir, 'mixed.jsonl'));
    expect(units.map((u) => [u.key, u.source.slice(u.source.lastIndexOf(':') + 1), Boolean(u.article)])).toEqual([
      ['file:mixed.jsonl#before', '1', true],
      ['file:mixed.jsonl#line-3', '3', false],
      ['file:mixed.jsonl#after', '4', true],
    ]);
    expect(units[1]!.error).toBe('line 3: 2.0 MB; an article is limited to 2.0 MB');
  });

  it('a line that is not UTF-8 is that line\'s error only', async () => {
    const bad = Buffer.concat([Buffer.from('{"id":"x","text":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    writeFileSync(join(dir, 'latin.jsonl'), Buffer.concat([Buffer.from(`${record('ok')}\n`), bad, Buffer.from('\n')]));
    const units = await readArticleUnits(join(dir, 'latin.jsonl'));
    expect(units.map((u) => u.error ?? 'ok')).toEqual(['ok', 'line 2: not valid UTF-8 text']);
  });

  it('an empty or binary .jsonl file is one error for the file, not one per line', async () => {
    writeFileSync(join(dir, 'empty.jsonl'), '');
    expect((await refusal(readArticleUnits(join(dir, 'empty.jsonl')))).message).toBe('empty.jsonl is empty');
    writeFileSync(join(dir, 'blob.jsonl'), Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 37) % 256)));
    expect((await refusal(readArticleUnits(join(dir, 'blob.jsonl')))).message).toBe('blob.jsonl looks like a binary file, not text');
  });
});
