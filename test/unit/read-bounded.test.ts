/**
 * Issue 11, point 4: `briefbot brief /dev/zero` grew to 5.5 GB, a FIFO with no writer hung
 * forever, and an endless standard input grew to 3.7 GB, because the 2 MB limit was checked with
 * `stat().size` (0 for these) or after reading everything. Reads now refuse what is not a regular
 * file before opening it, and stop one byte past the limit.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArticleFile, MAX_ARTICLE_BYTES, readArticleStream } from '../../src/articles/load-article.js';
import { BriefbotError } from '../../src/errors.js';
import { checkRegularFile, readFileBounded, readStreamBounded } from '../../src/util/read-bounded.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefbot-read-bounded-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>): Promise<BriefbotError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BriefbotError);
    expect((error as Error).message).not.toContain('\n');
    return error as BriefbotError;
  }
  throw new Error('expected a refusal');
}

/** An endless stream that counts how many bytes were pulled from it. */
function endless(chunkBytes = 64 * 1024): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const chunk = Buffer.alloc(chunkBytes, 'a');
  const stream = new Readable({
    read() {
      pulled += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

describe('files that are not regular files', () => {
  it('refuses /dev/zero and /dev/urandom as devices, without reading them', async () => {
    for (const device of ['/dev/zero', '/dev/urandom']) {
      const error = await refusal(loadArticleFile(device));
      expect(error.code).toBe('io');
      expect(error.message).toBe(`${device} is a device, not an article file`);
    }
  });

  it('refuses a named pipe with no writer before opening it, so nothing hangs', async () => {
    const fifo = join(dir, 'article.txt');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const error = await refusal(loadArticleFile(fifo));
    expect(error).toMatchObject({ code: 'io', message: `${fifo} is a named pipe (FIFO), not an article file` });
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(checkRegularFile(fifo)).rejects.toThrow(/named pipe \(FIFO\), not a regular file$/);
  });

  it('refuses a socket', async () => {
    const path = join(dir, 'briefbot.sock');
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      expect((await refusal(readFileBounded(path, 100))).message).toBe(`${path} is a socket, not a regular file`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('names a missing path as not found', async () => {
    expect((await refusal(readFileBounded(join(dir, 'nope', 'x.txt'), 100))).code).toBe('not-found');
  });
});

describe('bounded reads', () => {
  it('reads a regular file up to the limit, and stops one byte past it', async () => {
    const path = join(dir, 'ten.txt');
    await writeFile(path, '0123456789');
    expect(await readFileBounded(path, 10)).toMatchObject({ overLimit: false, size: 10 });
    expect((await readFileBounded(path, 10)).bytes.toString()).toBe('0123456789');
    const over = await readFileBounded(path, 4);
    expect(over.overLimit).toBe(true);
    expect(over.bytes.toString()).toBe('01234');
  });

  it('reads a file whose stat size is 0 but which has content (/proc)', async () => {
    const { bytes, overLimit, size } = await readFileBounded('/proc/self/status', 1024 * 1024);
    expect(size).toBe(0);
    expect(overLimit).toBe(false);
    expect(bytes.toString()).toMatch(/^Name:/);
  });

  it('stops an endless stream one byte past the limit, having pulled little more than that', async () => {
    const { stream, pulled } = endless();
    const { bytes, overLimit } = await readStreamBounded(stream, 1_000_000);
    expect(overLimit).toBe(true);
    expect(bytes.length).toBe(1_000_001);
    expect(pulled()).toBeLessThan(1_000_000 + 4 * 64 * 1024);
    expect(stream.destroyed).toBe(true);
  });

  it('reads a stream shorter than the limit whole, strings and bytes alike', async () => {
    expect((await readStreamBounded(Readable.from(['ab', Buffer.from('cd'), new Uint8Array([101])]), 5)).bytes.toString()).toBe('abcde');
    expect(await readStreamBounded(Readable.from([]), 5)).toEqual({ bytes: Buffer.alloc(0), overLimit: false });
  });

  it('fails standard input longer than the article limit with the too-large error, whatever is piped in', async () => {
    const { stream, pulled } = endless();
    const error = await refusal(readArticleStream(stream));
    expect(error.code).toBe('too-large');
    expect(error.message).toBe('standard input is over 2.0 MB; articles are limited to 2.0 MB');
    expect(pulled()).toBeLessThan(MAX_ARTICLE_BYTES + 4 * 64 * 1024);
    // /dev/zero read as a stream, as `briefbot brief - < /dev/zero` would.
    const zero = createReadStream('/dev/zero');
    expect((await refusal(readArticleStream(zero))).code).toBe('too-large');
    expect(zero.destroyed).toBe(true);
  });

  it('keeps memory flat while refusing 200 MB of standard input', async () => {
    const before = process.memoryUsage().rss;
    let sent = 0;
    const stream = new Readable({
      read() {
        sent += 1024 * 1024;
        this.push(sent > 200 * 1024 * 1024 ? null : Buffer.alloc(1024 * 1024, 'b'));
      },
    });
    expect((await refusal(readArticleStream(stream, 'stdin'))).code).toBe('too-large');
    expect(sent).toBeLessThan(8 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('reads an article from a short stream', async () => {
    expect(await readArticleStream(Readable.from([Buffer.from('The mayor resigned on Monday. She gave no reason.')]))).toBe('The mayor resigned on Monday. She gave no reason.');
    expect((await refusal(readArticleStream(Readable.from([])))).code).toBe('empty');
  });
});
