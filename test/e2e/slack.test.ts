/**
 * briefbot's Slack adapter, end to end: the real Bolt App (started by `startPlatforms`) behind
 * briefbot's own HTTP listener, signed slash commands and button presses posted to it, its Web
 * API and the response URLs on the fake Slack; and once in Socket Mode. ack() comes first, the
 * reply follows on the response_url; 429s and 500s are retried and the reply still arrives.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.js';
import { SLACK_LIMITS } from '../../src/platforms/slack/render.js';
import { slackHttpError, slackRateLimited, type ResponseUrlPost } from '../fakes/fake-slack.js';
import { blockActionPayload, createPlatformTestContext, IDS, loadTestLibrary, recordingDigest, type PlatformTestContext } from './helpers/platform-context.js';

/** A usage line as the command declares it, escaped as Slack shows it. */
const usage = (name: string): string => commands.find((c) => c.name === name)!.usage.replace(/</g, '&lt;').replace(/>/g, '&gt;');

type Block = { type: string; text?: { text: string }; elements?: Array<{ type: string; action_id?: string; value?: string; text?: { text: string } | string }> };
type Body = { response_type?: string; replace_original?: boolean; text?: string; blocks?: Block[] };

function textOf(body: Body): string {
  return [body.text ?? '', ...(body.blocks ?? []).map((b) => b.text?.text ?? (b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? ''))).join(' '))].join('\n');
}

async function reply(ctx: PlatformTestContext, command: string, text = '', fields: Record<string, string> = {}): Promise<Body> {
  const res = await ctx.slash(command, text, fields);
  expect(res.status).toBe(200);
  // ack() answered the HTTP request with an empty body: the reply comes on the response_url.
  expect(res.body).toBe('');
  const post: ResponseUrlPost = await res.response.waitForPost();
  expect(post.status).toBe(200);
  return post.body as Body;
}

describe('Slack (HTTP mode): every command round-trips through Bolt', () => {
  let ctx: PlatformTestContext;

  beforeAll(async () => {
    ctx = await createPlatformTestContext({ slack: 'http', library: await loadTestLibrary(12), digest: recordingDigest() });
  });
  afterAll(async () => {
    await ctx?.stop();
  });
  afterEach(() => {
    expect(ctx.slack!.violations).toEqual([]);
  });

  it('checks the bot token at start-up and reports healthy on the shared listener', async () => {
    expect(ctx.slack!.requests[0]).toMatchObject({ method: 'auth.test', token: 'xoxb-fake' });
    const res = await fetch(`${ctx.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', platforms: { slack: { status: 'up', mode: 'http', team: 'Fake Team' } } });
    expect((await fetch(`${ctx.baseUrl}/nope`)).status).toBe(404);
    expect((await fetch(ctx.slackUrl)).status).toBe(404); // Slack only POSTs
  });

  it('/brief with no article posts the latest in the channel, with three buttons', async () => {
    const body = await reply(ctx, '/brief');
    expect(body.response_type).toBe('in_channel');
    expect(body.blocks![0]!.text!.text).toBe('*Forum bans @\u200beveryone pings after &lt;!channel&gt; spam wave hits 3,000 servers*');
    const actions = body.blocks!.at(-1)!;
    expect(actions.type).toBe('actions');
    expect(actions.elements!.map((e) => e.action_id)).toEqual([`brief:figures:${IDS.mentions}`, `brief:quotes:${IDS.mentions}`, `brief:full:${IDS.mentions}`]);
  });

  it('/brief words of a title and a bare length word', async () => {
    const body = await reply(ctx, '/brief', 'central bank full');
    expect(body.response_type).toBe('in_channel');
    const text = textOf(body);
    expect(text).toContain('*<https://news.example.com/economy/central-bank-holds-rates|Central bank holds rates at 4.5% as inflation cools to 2.9%>*');
    expect(text).toContain('*Who said what*');
    const tldr = await reply(ctx, '/brief', `article:${IDS.rates} length:tldr`);
    expect(textOf(tldr)).not.toContain('Key points');
  });

  it('/brief of a long article stays within 50 blocks and 3,000 characters per section', async () => {
    const body = await reply(ctx, '/brief', `${IDS.bridges} full`);
    expect(body.blocks!.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const block of body.blocks!) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(textOf(body)).toContain('Key figures');
  });

  it('/quote, with speaker and article', async () => {
    const body = await reply(ctx, '/quote', `inflation speaker:Marsh article:${IDS.rates}`);
    expect(body.response_type).toBe('in_channel');
    expect(body.text).toBe('1 quote for "inflation"');
    expect(textOf(body)).toContain('“We are not declaring victory over inflation yet');
  });

  it('/articles pages privately', async () => {
    const first = await reply(ctx, '/articles');
    expect(first.response_type).toBe('ephemeral');
    expect(first.text).toBe('15 articles');
    expect(textOf(first)).toContain('Page 1 of 2 · next: /articles page:2');
    const second = await reply(ctx, '/articles', 'page:2');
    expect(textOf(second)).toContain('Page 2 of 2');
  });

  it('/digest now previews; /help lists and explains', async () => {
    const digest = await reply(ctx, '/digest', 'now');
    expect(digest).toMatchObject({ response_type: 'ephemeral', text: 'No digest is set up here. A first digest would post 1 briefing:' });
    const help = await reply(ctx, '/help');
    expect(help.response_type).toBe('ephemeral');
    for (const c of commands) expect(textOf(help)).toContain(`*/${c.name}:`);
    const one = await reply(ctx, '/help', 'brief');
    expect(textOf(one)).toContain(usage('brief'));
  });

  it('usage errors show the accepted syntax', async () => {
    const noQuery = await reply(ctx, '/quote');
    expect(noQuery).toMatchObject({ response_type: 'ephemeral', text: `Query is required. Usage: ${usage('quote')}` });
    const badLength = await reply(ctx, '/brief', 'length:huge');
    expect(badLength.text).toBe(`Length must be one of: tldr, short, full. Usage: ${usage('brief')}`);
    const badSub = await reply(ctx, '/digest', 'explode');
    expect(badSub.text).toBe(`Unknown digest action "explode": use one of now, subscribe, unsubscribe, status. Usage: ${usage('digest')}`);
    const unknown = await reply(ctx, '/bogus', 'x');
    expect(unknown.text).toBe('Unknown command /bogus. Try /help.');
  });

  it('buttons answer only the person who pressed, leaving the message in place', async () => {
    const { status, response } = await ctx.slackButton(`brief:figures:${IDS.rates}`);
    expect(status).toBe(200);
    const post = await response.waitForPost();
    expect(post.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(post.body as Body)).toContain('*Key figures*');
    const quotes = await ctx.slackButton(`brief:quotes:${IDS.rates}`);
    expect(textOf((await quotes.response.waitForPost()).body as Body)).toContain('Elena Marsh, Governor');
    const full = await ctx.slackButton(`brief:full:${IDS.rates}`);
    expect(textOf((await full.response.waitForPost()).body as Body)).toContain('*Names*');
  });

  it('counts commands by name and outcome on /metrics', async () => {
    const text = await (await fetch(`${ctx.baseUrl}/metrics`)).text();
    expect(text).toMatch(/briefbot_commands_total\{platform="slack",command="brief",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/briefbot_commands_total\{platform="slack",command="quote",outcome="usage"\} 1/);
    expect(text).toMatch(/briefbot_commands_total\{platform="slack",command="unknown",outcome="usage"\} 1/);
    expect(text).toMatch(/briefbot_commands_total\{platform="slack",command="action:brief",outcome="ok"\} 3/);
    expect(text).toMatch(/briefbot_command_duration_seconds_count\{platform="slack",command="brief"\} [1-9]/);
  });
});

describe('Slack: admins, faults and Socket Mode', () => {
  let ctx: PlatformTestContext | undefined;
  afterEach(async () => {
    await ctx?.stop();
    ctx = undefined;
  });

  it('lets workspace admins and the configured admins manage digests, nobody else', async () => {
    const digest = recordingDigest();
    ctx = await createPlatformTestContext({ slack: 'http', digest, config: { slack: { admins: ['U0LISTED'] } } });
    const refused = await reply(ctx, '/digest', 'subscribe daily 08:00');
    expect(refused).toMatchObject({ response_type: 'ephemeral', text: 'Only people who can manage this channel can use /digest subscribe.' });
    const admin = await reply(ctx, '/digest', 'subscribe daily 08:00', { user_id: 'U0ADMIN' });
    expect(admin.text).toBe('Subscribed: a digest here daily 08:00 (UTC). The first one carries the latest 3 briefings and anything new.');
    const listed = await reply(ctx, '/digest', 'unsubscribe', { user_id: 'U0LISTED' });
    expect(listed.text).toBe('Unsubscribed: no more digests here (it was daily 08:00 (UTC)).');
    expect(digest.calls).toEqual(['subscribe slack C0GENERAL daily 08:00', 'unsubscribe slack C0GENERAL']);
    // users.info is asked once per person (cached), and never for commands that need no admin.
    await reply(ctx, '/digest', 'subscribe weekdays 07:30', { user_id: 'U0ADMIN' });
    await reply(ctx, '/brief');
    expect(ctx.slack!.requests.filter((r) => r.method === 'users.info').map((r) => r.params.user)).toEqual(['U0TESTER', 'U0ADMIN']);
  });

  it('refuses when users.info fails, rather than allowing', async () => {
    ctx = await createPlatformTestContext({ slack: 'http', digest: recordingDigest() });
    ctx.slack!.register('users.info', () => ({ status: 200, body: { ok: false, error: 'user_not_found' } }));
    const body = await reply(ctx, '/digest', 'subscribe daily 08:00', { user_id: 'U0ADMIN' });
    expect(body.text).toBe('Only people who can manage this channel can use /digest subscribe.');
  });

  it('retries a 429 with Retry-After on the response_url, and the reply arrives', async () => {
    ctx = await createPlatformTestContext({ slack: 'http' });
    ctx.slack!.register('response_url', ({ callCount }) => (callCount === 1 ? slackRateLimited(1) : undefined));
    const started = Date.now();
    const res = await ctx.slash('/brief', IDS.rates);
    await ctx.slack!.waitFor(() => res.response.posts.find((p) => p.status === 200), { timeoutMs: 4000 });
    expect(res.response.posts.map((p) => p.status)).toEqual([429, 200]);
    expect(res.response.posts[1]!.time - started).toBeGreaterThanOrEqual(1000);
  });

  it('retries a 500 on the response_url and a 429 on users.info, and the reply arrives', async () => {
    ctx = await createPlatformTestContext({ slack: 'http', digest: recordingDigest() });
    ctx.slack!.register('response_url', ({ callCount }) => (callCount === 1 ? slackHttpError(500) : undefined));
    ctx.slack!.register('users.info', ({ callCount }) => (callCount === 1 ? slackRateLimited(0) : undefined));
    const res = await ctx.slash('/digest', 'subscribe daily 08:00', { user_id: 'U0ADMIN' });
    await ctx.slack!.waitFor(() => res.response.posts.find((p) => p.status === 200));
    expect(res.response.posts.map((p) => p.status)).toEqual([500, 200]);
    expect((res.response.posts[1]!.body as Body).text).toBe('Subscribed: a digest here daily 08:00 (UTC). The first one carries the latest 3 briefings and anything new.');
    expect(ctx.slack!.requests.filter((r) => r.method === 'users.info').map((r) => r.status)).toEqual([429, 200]);
  });

  it('acknowledges before the work is done: a slow reply does not hold the HTTP answer', async () => {
    ctx = await createPlatformTestContext({ slack: 'http' });
    ctx.slack!.register('response_url', () => ({ status: 200, body: { ok: true }, delayMs: 300 }));
    const started = Date.now();
    const res = await ctx.slash('/help', '');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('works in Socket Mode: slash commands and buttons over the WebSocket, acked in time', async () => {
    ctx = await createPlatformTestContext({ slack: 'socket', fakeSlack: { ackWindowMs: 3000 } });
    const slack = ctx.slack!;
    expect(slack.socketConnected).toBe(true);
    expect(slack.requests.find((r) => r.method === 'apps.connections.open')?.token).toBe('xapp-fake');
    expect(ctx.running.health().platforms.slack).toMatchObject({ status: 'up', mode: 'socket' });

    const envelope = slack.sendSocketSlashCommand({ command: '/brief', text: `${IDS.rates} tldr` });
    expect(await envelope.waitForAck()).toMatchObject({ late: false });
    const post = await envelope.response.waitForPost();
    expect(post.body).toMatchObject({ response_type: 'in_channel' });
    expect(textOf(post.body as Body)).toContain('Central bank holds rates');

    const quote = slack.sendSocketSlashCommand({ command: '/quote', text: 'Okafor' });
    expect(textOf((await quote.response.waitForPost()).body as Body)).toContain('Tom Okafor, chief economist at Harbor Bank');

    const response = slack.newResponseUrl();
    const button = slack.sendEnvelope('interactive', blockActionPayload(slack, `brief:quotes:${IDS.rates}`, response.url));
    expect(await button.waitForAck()).toMatchObject({ late: false });
    expect((await response.waitForPost()).body).toMatchObject({ response_type: 'ephemeral', replace_original: false });

    // stop() closes the socket itself (Bolt's app.stop() would not wait for it).
    await ctx.running.stop();
    await slack.waitFor(() => slack.socketConnections.every((c) => c.closedAt !== undefined), { timeoutMs: 1000 });
    expect(ctx.running.health().platforms.slack!.status).toBe('stopped');
  });
});
