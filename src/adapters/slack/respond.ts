import type { Logger } from 'pino';
import { BriefbotError } from '../../errors.js';

/**
 * Posts a reply to a slash command's or a button's `response_url`. Bolt's `respond()` gives up
 * on the first 429 or 5xx and does not expose `Retry-After`; the response URL is the only way
 * the reply reaches the person, so this one waits as Slack asks (429) or backs off (5xx,
 * network) and tries again, a bounded number of times. A 404 (used five times, or older than
 * 30 minutes) is final.
 */

export interface ResponsePosterOptions {
  logger: Logger;
  fetch?: typeof globalThis.fetch;
  /** Further attempts after the first. */
  retries?: number;
  /** The longest single wait, whatever `Retry-After` says. */
  maxWaitMs?: number;
  /** First back-off after a 5xx or a network error; doubles each time. */
  backoffMs?: number;
  /** Per-attempt timeout. */
  timeoutMs?: number;
}

export type ResponsePoster = (url: string, message: Record<string, unknown>) => Promise<void>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `Retry-After` in seconds (Slack sends whole seconds); a date is allowed by HTTP too. */
export function retryAfterMs(header: string | null, fallbackMs: number): number {
  if (!header) return fallbackMs;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : fallbackMs;
}

export function createResponsePoster(options: ResponsePosterOptions): ResponsePoster {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const retries = options.retries ?? 3;
  const maxWaitMs = options.maxWaitMs ?? 10_000;
  const backoffMs = options.backoffMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (url, message) => {
    const body = JSON.stringify(message);
    for (let attempt = 0; ; attempt++) {
      let wait: number;
      let problem: string;
      try {
        const res = await fetchFn(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        // Drain the body so the connection can be reused.
        const text = await res.text().catch(() => '');
        if (res.ok) return;
        problem = `HTTP ${res.status}${text ? ` ${text.slice(0, 100)}` : ''}`;
        if (res.status === 429) wait = retryAfterMs(res.headers.get('retry-after'), 1000);
        else if (res.status >= 500) wait = backoffMs * 2 ** attempt;
        else throw new BriefbotError('unavailable', `the response_url refused the reply: ${problem}`);
      } catch (error) {
        if (error instanceof BriefbotError) throw error;
        problem = (error as Error).message;
        wait = backoffMs * 2 ** attempt;
      }
      if (attempt >= retries) throw new BriefbotError('unavailable', `could not post to the response_url after ${attempt + 1} attempts: ${problem}`);
      options.logger.info({ attempt: attempt + 1, waitMs: Math.min(wait, maxWaitMs), problem }, 'response_url failed; retrying');
      await sleep(Math.min(wait, maxWaitMs));
    }
  };
}
