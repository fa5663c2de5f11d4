/**
 * Issue 11, point 1: `curl -H 'Authorization: Basic …' -H 'Cookie: session=abc' …/slack/events`
 * answered 404 but wrote a ~3 KB warn line whose `rawHeaders` held both values, because the HTTP
 * server logged Bolt's error object, which carries the request. Now an unauthenticated or unknown
 * request costs at most one short debug line, and no request or header is ever logged.
 *
 * The context's logger here is plain pino with no redaction at all: if a header value shows up
 * nowhere, it is because it was never logged, not because it was masked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformTestContext, type PlatformTestContext } from '../e2e/helpers/platform-context.js';

const AUTHORIZATION = 'Basic dXNlcjpzM2NyZXQ=';
const COOKIE = 'session=abc-cookie-value';
const HOSTILE = { authorization: AUTHORIZATION, cookie: COOKIE, 'x-slack-signature': 'v0=' + 'ab'.repeat(32) };

describe('what an unauthenticated request costs in the log', () => {
  let ctx: PlatformTestContext;

  beforeAll(async () => {
    ctx = await createPlatformTestContext({ slack: 'http', logLevel: 'debug' });
  });
  afterAll(async () => {
    await ctx?.stop();
  });

  /** The log lines written while `request` ran. */
  async function linesDuring(request: () => Promise<number>): Promise<{ status: number; lines: Array<Record<string, unknown>>; text: string }> {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = ctx.logs().length;
    const status = await request();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = ctx.logs().slice(before);
    return { status, lines, text: lines.map((l) => JSON.stringify(l)).join('\n') };
  }

  const call = (path: string, init: RequestInit): Promise<number> =>
    fetch(`${ctx.baseUrl}${path}`, init).then(async (res) => {
      await res.text();
      return res.status;
    });

  it.each([
    ['a GET to the Slack path (the issue\'s curl)', ctx => ctx.slackUrl.replace(ctx.baseUrl, ''), { method: 'GET' }, 404],
    ['an unsigned POST to the Slack path', ctx => ctx.slackUrl.replace(ctx.baseUrl, ''), { method: 'POST', body: 'command=%2Fbrief&text=' }, 401],
    ['a POST with a forged signature and a stale timestamp', ctx => ctx.slackUrl.replace(ctx.baseUrl, ''), { method: 'POST', body: 'command=%2Fbrief', headers: { 'x-slack-request-timestamp': '1' } }, 401],
    ['a GET to a path nobody serves', () => '/wp-login.php?token=xoxb-123-abc', { method: 'GET' }, 404],
  ] as Array<[string, (ctx: PlatformTestContext) => string, RequestInit, number]>)('%s: answered, at most one short debug line, no header value', async (_what, path, init, expected) => {
    const { status, lines, text } = await linesDuring(() =>
      call(path(ctx), { ...init, headers: { ...HOSTILE, 'content-type': 'application/x-www-form-urlencoded', ...(init.headers as Record<string, string> | undefined) } }),
    );
    expect(status).toBe(expected);
    expect(lines.length).toBeLessThanOrEqual(1);
    for (const line of lines) {
      expect(line.level).toBe(20);
      expect(JSON.stringify(line).length).toBeLessThan(300);
    }
    for (const secret of ['dXNlcjpzM2NyZXQ=', 'abc-cookie-value', 'ab'.repeat(32), 'xoxb-123-abc', 'rawHeaders']) expect(text).not.toContain(secret);
  });

  it('a signed request still runs (the guard lets Slack through)', async () => {
    const res = await ctx.slash('/help', '');
    expect(res.status).toBe(200);
    expect((await res.response.waitForPost()).body).toMatchObject({ response_type: 'ephemeral' });
  });
});
