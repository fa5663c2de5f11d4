/**
 * Property-based (issue 11): random and hostile input at the Slack request check. Whatever the
 * headers and body, the verdict is given without throwing, a refusal is one short line, and only
 * a correctly signed request dated within 5 minutes of now is accepted. Through the real HTTP
 * guard, no random request reaches Bolt's listener. Bounded runs keep the suite fast.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryReplayGuard, guardSlackRequests, verifySlackSignature } from '../../src/platforms/slack/request-guard.js';
import { silentLogger } from '../../src/logging/logger.js';

const SECRET = 'property-signing-secret';
const NOW = 1_750_000_000_000;
const RUNS = { numRuns: 200 };

const sign = (body: Buffer, timestamp: string, secret = SECRET): string =>
  `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;

/** Header values an attacker might send: junk, near-misses of the real shapes, huge and odd strings, lists. */
const headerValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('', ' ', '0', '-1', 'NaN', 'Infinity', '1e9', '0x6553f100', `${NOW / 1000}.0`, ` ${NOW / 1000}`, 'v0=', 'v0=' + '0'.repeat(64), 'v1=' + 'a'.repeat(64)),
  fc.stringMatching(/^v0=[0-9a-fA-F]{60,70}$/),
  fc.string({ minLength: 5000, maxLength: 20000 }),
  fc.array(fc.string(), { maxLength: 3 }),
);
const headersArb = fc.record(
  { 'x-slack-request-timestamp': headerValue, 'x-slack-signature': headerValue, 'content-type': headerValue },
  { requiredKeys: [] },
) as fc.Arbitrary<IncomingHttpHeaders>;
const bodyArb = fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b));

describe('verifySlackSignature, property-based', () => {
  it('never throws on random headers and bodies, refuses them, and says why in one short line', () => {
    fc.assert(
      fc.property(headersArb, bodyArb, fc.integer({ min: -1e12, max: 1e13 }), (headers, body, nowMs) => {
        const verdict = verifySlackSignature({ signingSecret: SECRET, headers, body, nowMs });
        expect(verdict.ok).toBe(false);
        if (!verdict.ok) {
          expect(verdict.reason).toMatch(/^[\w .-]{5,60}$/);
        }
      }),
      RUNS,
    );
  });

  it('accepts a correct signature within 5 minutes either way, and refuses it outside or with any byte changed', () => {
    fc.assert(
      fc.property(bodyArb, fc.integer({ min: -900, max: 900 }), fc.nat(), (body, offset, flip) => {
        const timestamp = String(NOW / 1000 + offset);
        const headers = { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': sign(body, timestamp) };
        const verdict = verifySlackSignature({ signingSecret: SECRET, headers, body, nowMs: NOW });
        expect(verdict.ok).toBe(Math.abs(offset) <= 300);
        if (Math.abs(offset) <= 300 && body.length > 0) {
          const changed = Buffer.from(body);
          const at = flip % changed.length;
          changed.writeUInt8(changed.readUInt8(at) ^ (1 << flip % 8), at);
          expect(verifySlackSignature({ signingSecret: SECRET, headers, body: changed, nowMs: NOW })).toEqual({ ok: false, reason: 'signature mismatch' });
        }
        expect(verifySlackSignature({ signingSecret: 'another-secret', headers, body, nowMs: NOW }).ok).toBe(false);
      }),
      RUNS,
    );
  });
});

describe('the HTTP guard in front of Bolt, property-based', () => {
  let server: Server;
  let url: string;
  const reached: string[] = [];

  beforeAll(async () => {
    const listener = guardSlackRequests(
      (req, res) => {
        reached.push(String(req.method));
        res.end();
      },
      { signingSecret: SECRET, replay: createMemoryReplayGuard(), logger: silentLogger(), bodyLimit: 64 * 1024 },
    );
    server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** Header values fetch will send (visible ASCII, no CR/LF). */
  const wireValue = fc.oneof(fc.stringMatching(/^[\x21-\x7e]{0,100}$/), fc.constantFrom('v0=' + 'a'.repeat(64), String(Math.floor(Date.now() / 1000)), '99999999999'));

  it('lets no random request through, and answers each with a refusal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH'),
        fc.record({ 'x-slack-request-timestamp': wireValue, 'x-slack-signature': wireValue, 'content-type': fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain') }, { requiredKeys: [] }),
        fc.oneof(fc.string({ maxLength: 2000 }), fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)), fc.constant(Buffer.alloc(70 * 1024, 'a'))),
        async (method, headers, body) => {
          const res = await fetch(url, { method, headers, ...(method === 'GET' ? {} : { body }) });
          await res.arrayBuffer();
          expect([400, 401, 404, 413]).toContain(res.status);
        },
      ),
      { numRuns: 100 },
    );
    expect(reached).toEqual([]);
  });
});
