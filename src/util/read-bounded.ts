import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { BriefbotError } from '../errors.js';

/**
 * Reads with a hard bound. A size from `stat()` says nothing about a device (`/dev/zero` is 0
 * bytes and endless), a named pipe or standard input, and reading everything before checking
 * lets any of them fill memory. So reading stops at `limit + 1` bytes, which is enough to know
 * the input is too large without ever holding more than that.
 */

export interface BoundedBytes {
  /** What was read: at most `limit` bytes, or `limit + 1` when `overLimit`. */
  bytes: Buffer;
  /** True when the input had more than `limit` bytes (reading stopped there). */
  overLimit: boolean;
}

/** Reads a stream (standard input, a socket, a file stream) until its end or until it passes `limit` bytes. */
export async function readStreamBounded(stream: AsyncIterable<Buffer | string | Uint8Array>, limit: number): Promise<BoundedBytes> {
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early ends the iteration, which destroys the stream: an endless writer is cut off.
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const room = limit + 1 - total;
    chunks.push(buffer.length > room ? buffer.subarray(0, room) : buffer);
    total += Math.min(buffer.length, room);
    if (total > limit) return { bytes: Buffer.concat(chunks, total), overLimit: true };
  }
  return { bytes: Buffer.concat(chunks, total), overLimit: false };
}

/** What a path is when it is not a regular file, in the words of the error. */
function kindOf(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * `noun` names what was expected, for the message: "x is a device, not an article file". A
 * directory stays a usage error as it always was; a pipe, device or socket is an `io` refusal, one
 * line with no usage hint, since no option would make it readable.
 */
function notRegular(path: string, kind: string, noun: string): BriefbotError {
  return new BriefbotError(kind === 'a directory' ? 'usage' : 'io', `${path} is ${kind}, not ${noun}`);
}

export interface RegularFileOptions {
  /** What the file should have been, for the error (default "a regular file"). */
  noun?: string;
}

function ioError(path: string, error: unknown): BriefbotError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new BriefbotError('not-found', `no such file: ${path}`);
  return new BriefbotError('io', `cannot read ${path}: ${code ?? (error as Error).message}`);
}

/**
 * Refuses, before opening it, anything at `path` that is not a regular file: opening a named pipe
 * with no writer blocks forever, and a device never ends. Gives the file's stat otherwise.
 */
export async function checkRegularFile(path: string, options: RegularFileOptions = {}): Promise<Stats> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    throw ioError(path, error);
  }
  const kind = kindOf(info);
  if (kind) throw notRegular(path, kind, options.noun ?? 'a regular file');
  return info;
}

/**
 * Reads a regular file with a hard bound. The path is checked before it is opened, and the open
 * file is checked again (non-blocking, so a pipe swapped in between cannot hang the open).
 */
export async function readFileBounded(path: string, limit: number, options: RegularFileOptions = {}): Promise<BoundedBytes & { size: number }> {
  await checkRegularFile(path, options);
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw ioError(path, error);
  }
  try {
    const info = await handle.stat();
    const kind = kindOf(info);
    if (kind) throw notRegular(path, kind, options.noun ?? 'a regular file');
    // A regular file's size can be wrong (/proc) or grow while it is read: the buffer, not the size, is the bound.
    let target = Buffer.alloc(Math.min(limit + 1, Math.max(info.size + 1, 64 * 1024)));
    let total = 0;
    for (;;) {
      if (total === target.length) {
        if (target.length > limit) break;
        const grown = Buffer.alloc(Math.min(limit + 1, target.length * 2));
        target.copy(grown, 0, 0, total);
        target = grown;
      }
      const { bytesRead } = await handle.read(target, total, target.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return { bytes: target.subarray(0, total), overLimit: total > limit, size: info.size };
  } catch (error) {
    throw error instanceof BriefbotError ? error : ioError(path, error);
  } finally {
    await handle.close();
  }
}
