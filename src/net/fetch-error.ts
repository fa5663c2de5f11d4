import { BriefbotError, type ErrorCode } from '../errors.js';

/** Why a fetch failed, finer than the error code, for logs, `/sources list` and tests. */
export type FetchFailure =
  | 'bad-url'
  | 'blocked'
  | 'dns'
  | 'connect'
  | 'timeout'
  | 'too-large'
  | 'too-many-redirects'
  | 'content-type'
  | 'http-status'
  | 'network'
  | 'aborted';

const CODES: Record<FetchFailure, ErrorCode> = {
  'bad-url': 'usage',
  blocked: 'forbidden',
  dns: 'unavailable',
  connect: 'unavailable',
  timeout: 'unavailable',
  'too-large': 'too-large',
  'too-many-redirects': 'unavailable',
  'content-type': 'unavailable',
  'http-status': 'unavailable',
  network: 'unavailable',
  aborted: 'unavailable',
};

export class FetchError extends BriefbotError {
  /** The HTTP status, for `http-status` failures. */
  readonly status?: number;

  constructor(
    readonly failure: FetchFailure,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(CODES[failure], message, options);
    if (options?.status !== undefined) this.status = options.status;
  }
}

export function isFetchError(error: unknown): error is FetchError {
  return error instanceof FetchError;
}
