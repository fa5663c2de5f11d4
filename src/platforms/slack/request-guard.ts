import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from 'pino';
import { readStreamBounded } from '../../util/read-bounded.js';

/**
 * Slack's request signature, checked before Bolt sees the request. Bolt refuses a timestamp more
 * than 5 minutes old but accepts any timestamp from the future, and runs the same signed request
 * as often as it arrives. Here a request must be dated within 5 minutes of now in either
 * direction, and each accepted signature is remembered until its timestamp leaves that window,
 * so a captured request cannot be replayed at all: not later, and not with a date ahead.
 */

/** How far a request's timestamp may be from now, either way (Slack's own rule). */
export const SLACK_REQUEST_WINDOW_SECONDS = 5 * 60;
/** Slack's requests are small; a block action carrying a 50-block message stays far under this. */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Remembers accepted request signatures until they expire. In memory for one process; a store
 * shared by several replicas (a table with the signature as its key) makes a request accepted by
 * one replica a replay for all of them.
 */
export interface ReplayGuard {
  /**
   * Records `key` until `expiresAtMs`: `new` the first time, `seen` while it is remembered,
   * `full` when no more can be remembered (the request is refused rather than let through).
   */
  remember(key: string, expiresAtMs: number): Promise<'new' | 'seen' | 'full'>;
}

export interface MemoryReplayGuard extends ReplayGuard {
  /** Signatures remembered now (expired ones may linger until the next sweep). */
  size(): number;
}

/**
 * The in-memory replay guard. Only requests that passed the signature check are remembered, so
 * only Slack (or someone holding the signing secret) can fill it: `maxEntries` is a backstop,
 * about 100 requests a second for the whole window.
 */
export function createMemoryReplayGuard(options: { maxEntries?: number; now?: () => number } = {}): MemoryReplayGuard {
  const maxEntries = options.maxEntries ?? 60_000;
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();
  let nextSweep = 0;
  const sweep = (at: number): void => {
    for (const [key, expiresAt] of expiries) if (expiresAt <= at) expiries.delete(key);
    nextSweep = at + 10_000;
  };
  return {
    remember(key, expiresAtMs) {
      const at = now();
      if (at >= nextSweep || expiries.size >= maxEntries) sweep(at);
      const known = expiries.get(key);
      if (known !== undefined && known > at) return Promise.resolve('seen');
      if (expiries.size >= maxEntries) return Promise.resolve('full');
      expiries.set(key, expiresAtMs);
      return Promise.resolve('new');
    },
    size: () => expiries.size,
  };
}

export type SlackVerdict = { ok: true; signature: string; expiresAtMs: number } | { ok: false; reason: string };

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^v0=[0-9a-f]{64}$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Checks a request's timestamp and `v0` signature (HMAC-SHA256 of `v0:{timestamp}:{body}` with the
 * signing secret). Never throws: any input gives a verdict, and a refusal says why in a few words.
 */
export function verifySlackSignature(options: { signingSecret: string; headers: IncomingHttpHeaders; body: Buffer; nowMs: number }): SlackVerdict {
  const timestamp = header(options.headers, 'x-slack-request-timestamp');
  const signature = header(options.headers, 'x-slack-signature');
  if (timestamp === undefined || signature === undefined) return { ok: false, reason: 'missing signature headers' };
  if (!TIMESTAMP.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (!SIGNATURE.test(signature)) return { ok: false, reason: 'malformed signature' };
  const seconds = Number(timestamp);
  if (Math.abs(options.nowMs / 1000 - seconds) > SLACK_REQUEST_WINDOW_SECONDS) return { ok: false, reason: 'timestamp outside the 5-minute window' };
  const expected = createHmac('sha256', options.signingSecret).update(`v0:${timestamp}:`).update(options.body).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature.slice(3), 'hex'))) return { ok: false, reason: 'signature mismatch' };
  // Remembered until the timestamp itself leaves the window: after that the request is refused as stale anyway.
  return { ok: true, signature, expiresAtMs: (seconds + SLACK_REQUEST_WINDOW_SECONDS + 1) * 1000 };
}

/** Slack's SSL check carries no signature; Bolt answers it (and runs nothing) once the body is known to be only that. */
function isSslCheck(req: IncomingMessage, body: Buffer): boolean {
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded' || body.length > 1024) return false;
  return parseQuery(body.toString('utf8')).ssl_check === '1';
}

export interface SlackRequestGuardOptions {
  signingSecret: string;
  replay: ReplayGuard;
  logger: Logger;
  bodyLimit?: number;
  now?: () => number;
}

/**
 * Wraps Bolt's request listener: only a POST with a body under the limit, a timestamp within the
 * window, a valid signature and a signature not seen before reaches Bolt. Every refusal costs one
 * short debug line with the reason, never the request or its headers.
 */
export function guardSlackRequests(listener: RequestListener, options: SlackRequestGuardOptions): RequestListener {
  const limit = options.bodyLimit ?? SLACK_BODY_LIMIT_BYTES;
  const now = options.now ?? Date.now;
  const log = options.logger;
  let lastFullWarning = -Infinity;
  const refuse = (res: ServerResponse, status: number, reason: string): void => {
    log.debug({ status, reason }, 'slack request refused');
    if (res.headersSent) return;
    res.writeHead(status, { 'content-length': 0, connection: 'close' });
    res.end();
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      refuse(res, 404, `${String(req.method).slice(0, 10)} is not a Slack request`);
      req.resume();
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      refuse(res, 413, 'body over the limit');
      req.resume();
      return;
    }
    const { bytes, overLimit } = await readStreamBounded(req, limit);
    if (overLimit) return refuse(res, 413, 'body over the limit');
    if (isSslCheck(req, bytes)) {
      Object.assign(req, { rawBody: bytes });
      listener(req, res);
      return;
    }
    const verdict = verifySlackSignature({ signingSecret: options.signingSecret, headers: req.headers, body: bytes, nowMs: now() });
    if (!verdict.ok) return refuse(res, 401, verdict.reason);
    let seen: 'new' | 'seen' | 'full';
    try {
      seen = await options.replay.remember(verdict.signature, verdict.expiresAtMs);
    } catch (error) {
      // Without the memory a replay cannot be told apart: refuse, and Slack shows the person an error.
      log.warn({ error: error instanceof Error ? error.message.slice(0, 200) : 'unknown' }, 'could not check the Slack request against replays');
      return refuse(res, 503, 'replay memory unavailable');
    }
    if (seen === 'seen') return refuse(res, 401, 'replayed request');
    if (seen === 'full') {
      if (now() - lastFullWarning > 60_000) {
        lastFullWarning = now();
        log.warn('too many Slack requests in 5 minutes to remember them all: refusing new ones until older ones expire');
      }
      return refuse(res, 503, 'replay memory full');
    }
    // Bolt reads the body from `rawBody` when it is already there, and checks the signature again.
    Object.assign(req, { rawBody: bytes });
    listener(req, res);
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A client that went away mid-body, or a replay store that failed: the request is not run.
      log.debug({ error: error instanceof Error ? error.message.slice(0, 200) : 'unknown' }, 'slack request not read');
      if (!res.headersSent) refuse(res, 400, 'unreadable request');
      else res.destroy();
    });
  };
}
