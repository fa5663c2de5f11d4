/**
 * The check in front of Bolt (issue 11, points 2 and 3), as units: the signature verdict for each
 * kind of bad request, and the replay memory that makes an accepted signature a refusal until it
 * expires. The end-to-end cases through the real listener and Bolt are in test/e2e/security.test.ts.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryReplayGuard, SLACK_REQUEST_WINDOW_SECONDS, verifySlackSignature } from '../../src/platforms/slack/request-guard.js';

const SECRET = 'unit-signing-secret';
const NOW = 1_750_000_000_000;
const sign = (body: string, timestamp: string, secret = SECRET): string => `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
const verify = (headers: Record<string, string | string[]>, body = 'command=%2Fbrief', nowMs = NOW): ReturnType<typeof verifySlackSignature> =>
  verifySlackSignature({ signingSecret: SECRET, headers, body: Buffer.from(body), nowMs });

describe('verifySlackSignature', () => {
  const ts = String(NOW / 1000);

  it('accepts a correct signature and remembers it until its timestamp leaves the window', () => {
    expect(verify({ 'x-slack-request-timestamp': ts, 'x-slack-signature': sign('command=%2Fbrief', ts) })).toEqual({
      ok: true,
      signature: sign('command=%2Fbrief', ts),
      expiresAtMs: NOW + (SLACK_REQUEST_WINDOW_SECONDS + 1) * 1000,
    });
  });

  it.each<[string, Record<string, string | string[]>, string]>([
    ['no headers', {}, 'missing signature headers'],
    ['a timestamp in another spelling', { 'x-slack-request-timestamp': `${ts}.0`, 'x-slack-signature': sign('command=%2Fbrief', `${ts}.0`) }, 'malformed timestamp'],
    ['a hex timestamp', { 'x-slack-request-timestamp': '0x684ee1c0', 'x-slack-signature': sign('command=%2Fbrief', '0x684ee1c0') }, 'malformed timestamp'],
    ['two signature headers', { 'x-slack-request-timestamp': ts, 'x-slack-signature': [sign('command=%2Fbrief', ts), sign('x', ts)] }, 'missing signature headers'],
    ['an unknown version', { 'x-slack-request-timestamp': ts, 'x-slack-signature': sign('command=%2Fbrief', ts).replace('v0=', 'v1=') }, 'malformed signature'],
    ['a short signature', { 'x-slack-request-timestamp': ts, 'x-slack-signature': 'v0=abcd' }, 'malformed signature'],
    ['another secret', { 'x-slack-request-timestamp': ts, 'x-slack-signature': sign('command=%2Fbrief', ts, 'other') }, 'signature mismatch'],
    ['another body', { 'x-slack-request-timestamp': ts, 'x-slack-signature': sign('command=%2Fhelp', ts) }, 'signature mismatch'],
    ['a year ahead', { 'x-slack-request-timestamp': String(NOW / 1000 + 365 * 86400), 'x-slack-signature': sign('command=%2Fbrief', String(NOW / 1000 + 365 * 86400)) }, 'timestamp outside the 5-minute window'],
    ['5 minutes and 1 second ahead', { 'x-slack-request-timestamp': String(NOW / 1000 + 301), 'x-slack-signature': sign('command=%2Fbrief', String(NOW / 1000 + 301)) }, 'timestamp outside the 5-minute window'],
    ['5 minutes and 1 second old', { 'x-slack-request-timestamp': String(NOW / 1000 - 301), 'x-slack-signature': sign('command=%2Fbrief', String(NOW / 1000 - 301)) }, 'timestamp outside the 5-minute window'],
  ])('refuses %s', (_what, headers, reason) => {
    expect(verify(headers)).toEqual({ ok: false, reason });
  });

  it('accepts exactly 5 minutes either way', () => {
    for (const offset of [-300, 300]) {
      const t = String(NOW / 1000 + offset);
      expect(verify({ 'x-slack-request-timestamp': t, 'x-slack-signature': sign('command=%2Fbrief', t) }).ok).toBe(true);
    }
  });
});

describe('createMemoryReplayGuard', () => {
  it('says new once, seen until the expiry, and new again after it', async () => {
    let now = 1000;
    const guard = createMemoryReplayGuard({ now: () => now });
    expect(await guard.remember('v0=aa', 5000)).toBe('new');
    expect(await guard.remember('v0=aa', 5000)).toBe('seen');
    expect(await guard.remember('v0=bb', 5000)).toBe('new');
    now = 4999;
    expect(await guard.remember('v0=aa', 5000)).toBe('seen');
    now = 5000;
    expect(await guard.remember('v0=aa', 9000)).toBe('new');
  });

  it('forgets expired signatures, so memory stays bounded by the window', async () => {
    let now = 0;
    const guard = createMemoryReplayGuard({ now: () => now });
    for (let i = 0; i < 1000; i++) await guard.remember(`v0=${i}`, now + 300_000);
    expect(guard.size()).toBe(1000);
    now = 301_000;
    await guard.remember('v0=late', now + 300_000);
    expect(guard.size()).toBe(1);
  });

  it('refuses (full) rather than forget a signature that is still live', async () => {
    const guard = createMemoryReplayGuard({ maxEntries: 2, now: () => 0 });
    expect(await guard.remember('a', 10)).toBe('new');
    expect(await guard.remember('b', 10)).toBe('new');
    expect(await guard.remember('c', 10)).toBe('full');
    expect(await guard.remember('a', 10)).toBe('seen');
  });
});
