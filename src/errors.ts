/**
 * Typed errors inside, words at the edge: the core throws a BriefbotError with a code and a
 * one-line message that names the problem; the command line, the console and the chat adapters
 * decide how to show it (exit code, ephemeral reply, log level).
 */
export type ErrorCode =
  | 'usage'
  | 'not-found'
  | 'empty'
  | 'binary'
  | 'too-large'
  | 'invalid-utf8'
  | 'no-sentences'
  | 'bad-json'
  | 'bad-record'
  | 'bad-front-matter'
  | 'config'
  | 'forbidden'
  | 'unavailable'
  | 'io';

export class BriefbotError extends Error {
  override readonly name = 'BriefbotError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isBriefbotError(error: unknown): error is BriefbotError {
  return error instanceof BriefbotError;
}

/** One line for a person: our own message, or the bare message of anything else. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
