import type { Readable } from 'node:stream';

const decoder = new TextDecoder('utf-8', { fatal: true });

export interface Line {
  /** The line's text without its line break; undefined when the line has a problem. */
  text: string | undefined;
  problem?: 'too-long' | 'invalid-utf8';
  /** 1-based. */
  number: number;
  /** The line's length in bytes (as read, whole). */
  bytes: number;
}

/**
 * Reads a stream line by line with back-pressure: the next chunk is pulled only when the caller
 * has handled the lines before it, so memory stays flat however long the input. (readline's
 * async iterator buffers every line it has read ahead, so a fast producer fills memory.) A line
 * longer than `maxBytes` is reported with `text: undefined` instead of being held in memory.
 */
export async function* readLines(stream: Readable | NodeJS.ReadableStream, maxBytes: number): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = false;
  let number = 0;
  const finish = (tail: Buffer | undefined): Line => {
    number++;
    const bytes = pendingBytes + (tail?.length ?? 0);
    const line: Line = { text: undefined, number, bytes };
    if (overflow || bytes > maxBytes) {
      line.problem = 'too-long';
    } else {
      try {
        line.text = decoder.decode(Buffer.concat(tail ? [...pending, tail] : pending)).replace(/\r$/, '');
      } catch {
        line.problem = 'invalid-utf8';
      }
    }
    pending = [];
    pendingBytes = 0;
    overflow = false;
    return line;
  };
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let newline: number;
    while ((newline = buffer.indexOf(10)) !== -1) {
      yield finish(buffer.subarray(0, newline));
      buffer = buffer.subarray(newline + 1);
    }
    if (buffer.length > 0) {
      pendingBytes += buffer.length;
      if (pendingBytes > maxBytes) {
        overflow = true;
        pending = [];
      } else {
        pending.push(Buffer.from(buffer));
      }
    }
  }
  if (pendingBytes > 0 || overflow) yield finish(undefined);
}
