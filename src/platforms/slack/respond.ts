import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Logger } from 'pino';
import { BriefbotError } from '../../errors.js';

/**
 * Posts a reply to a slash command's or a button's `response_url`. Bolt's `respond()` gives up
 * on the first 429 or 5xx and does not expose `Retry-After`; the response URL is the only way
 * the reply reaches the person, so this one waits as Slack asks (429) or backs off (5xx,
 * network) and tries again, a bounded number of times. A 404 (used five times, or older than
 * 30 minutes) is final.
 *
 * Plain `node:http(s)` with keep-alive rather than `fetch`: at a thousand replies a second,
 * undici's fetch costs about four times the CPU per request.
 */

export interface ResponsePosterOptions {
  logger: Logger;
  /** Further attempts after the first. */
  retries?: number;
  /** The longest single wait, whatever `Retry-After` says. */
  maxWaitMs?: number;
  /** First back-off after a 5xx or a network error; doubles each time. */
  backoffMs?: number;
  /** Per-attempt timeout. */
  timeoutMs?: number;
}

export interface ResponsePoster {
  post(url: string, message: Record<string, unknown>): Promise<void>;
  /** Closes the kept-alive connections. */
  close(): void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `Retry-After` in seconds (Slack sends whole seconds); a date is allowed by HTTP too. */
export function retryAfterMs(header: string | null, fallbackMs: number): number {
  if (!header) return fallbackMs;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : fallbackMs;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

function postJson(url: URL, body: string, agents: { http: HttpAgent; https: HttpsAgent }, timeoutMs: number): Promise<Answer> {
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') return Promise.reject(new BriefbotError('unavailable', `not an http(s) response_url: ${url.protocol}`));
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          // Slack answers "ok" or a short error; nothing longer is worth keeping.
          if (chunks.length < 4) chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export function createResponsePoster(options: ResponsePosterOptions): ResponsePoster {
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 64 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }) };
  const retries = options.retries ?? 3;
  const maxWaitMs = options.maxWaitMs ?? 10_000;
  const backoffMs = options.backoffMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const post = async (url: string, message: Record<string, unknown>): Promise<void> => {
    const body = JSON.stringify(message);
    for (let attempt = 0; ; attempt++) {
      let wait: number;
      let problem: string;
      try {
        const res = await postJson(new URL(url), body, agents, timeoutMs);
        if (res.status >= 200 && res.status < 300) return;
        problem = `HTTP ${res.status}${res.text ? ` ${res.text.slice(0, 100)}` : ''}`;
        const retryAfter = res.headers['retry-after'];
        if (res.status === 429) wait = retryAfterMs(Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null), 1000);
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
  return {
    post,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
