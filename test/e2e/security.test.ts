/**
 * Abuse, end to end through the real libraries: forged or stale Slack requests run nothing;
 * no article text or option can reach Discord or Slack as a live mention (checked on every
 * payload the fakes received); over-long and malformed options get a usage message; channel
 * management is refused to people without the permission on both platforms.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands as realCommands, type Command } from '../../src/commands/index.js';
import { usageOf } from '../../src/commands/options.js';
import { PERMISSIONS, type FakeInteraction } from '../fakes/fake-discord.js';
import { DEFAULT_SLASH_FIELDS, sendSlashCommand, signSlackRequest } from '../fakes/fake-slack.js';
import { createPlatformTestContext, discordPayloads, IDS, recordingDigest, SIGNING_SECRET, slackPayloads, type PlatformTestContext } from './helpers/platform-context.js';

const EPHEMERAL = 64;
/** Anything Discord would turn into a ping, or a user/role/channel mention. */
const LIVE_DISCORD_MENTION = /@(everyone|here)|<@[!&]?\w+>|<#\d+>/i;
/** Anything Slack would turn into a mention: `<!channel>`, `<@U…>`, `<#C…>`, `<!subteam^…>`, or a bare @channel. */
const LIVE_SLACK_MENTION = /<[!@#]|@(channel|here|everyone)\b/i;
const MENTIONS = ['@everyone', '@here', '<!channel>', '<@U123>', '<@&123>'];
/** Usage lines as the commands declare them (other work may add options). */
const usage = (name: string): string => realCommands.find((c) => c.name === name)!.usage;
const subUsage = (name: string, sub: string): string => usageOf(name, realCommands.find((c) => c.name === name)!.subcommands!.find((s) => s.name === sub)!.options, sub);
const slackEscaped = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

type Data = { content?: string; flags?: number; allowed_mentions?: unknown };

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

describe('security', () => {
  let ctx: PlatformTestContext;
  const ran: string[] = [];
  const digest = recordingDigest();
  // The real commands, recording that they ran.
  const spied: Command[] = realCommands.map((c) => ({
    ...c,
    run: (input, services) => {
      ran.push(c.name);
      return c.run(input, services);
    },
  }));

  beforeAll(async () => {
    ctx = await createPlatformTestContext({ discord: true, slack: 'http', commands: spied, digest, config: { slack: { admins: ['U0LISTED'] } } });
  });
  afterAll(async () => {
    await ctx?.stop();
  });
  afterEach(() => {
    expect(ctx.discord!.callbacks.filter((c) => c.late)).toEqual([]);
  });

  async function discordAnswer(ix: FakeInteraction): Promise<Data> {
    const cb = await ix.waitForCallback({ accepted: true });
    expect(cb).toMatchObject({ type: 4, late: false });
    return cb.data as Data;
  }

  async function slackAnswer(command: string, text: string, fields: Record<string, string> = {}): Promise<{ response_type: string; text: string }> {
    const res = await ctx.slash(command, text, fields);
    expect(res.status).toBe(200);
    return (await res.response.waitForPost()).body as { response_type: string; text: string };
  }

  describe('Slack request signatures', () => {
    it('a forged signature, a stale timestamp, a missing signature or a changed body get 401 and run nothing', async () => {
      ran.length = 0;
      const before = { requests: ctx.slack!.requests.length, responses: ctx.slack!.responses.length };
      const forged = await sendSlashCommand(ctx.slackUrl, 'not-the-secret', { command: '/brief', response_url: ctx.slack!.newResponseUrl().url });
      expect(forged.status).toBe(401);
      // One properly signed request, to show what "running" looks like.
      await (await ctx.slash('/brief', '')).response.waitForPost();
      const old = await ctx.slack!.sendSlashCommand(ctx.slackUrl, SIGNING_SECRET, { command: '/brief' }, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
      expect(old.status).toBe(401);
      const unsigned = await fetch(ctx.slackUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'command=%2Fbrief&text=' });
      expect(unsigned.status).toBe(401);
      // Signed for one body, sent with another.
      const signed = await ctx.slack!.sendSlashCommand(ctx.slackUrl, SIGNING_SECRET, { command: '/help' }, { signature: 'v0=' + '0'.repeat(64) });
      expect(signed.status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Only the one properly signed /brief above ran and answered.
      expect(ran).toEqual(['brief']);
      expect(ctx.slack!.responses.length - before.responses).toBe(1);
      expect(ctx.slack!.requests.length).toBe(before.requests);
    });
  });

  describe('Slack replays and timestamps (issue 11, points 2 and 3)', () => {
    /** One signed slash command as exact bytes, so the very same request can be sent again. */
    function signedRequest(text: string, timestamp = Math.floor(Date.now() / 1000)): { body: string; headers: Record<string, string>; responseCount: () => number } {
      const response = ctx.slack!.newResponseUrl();
      const body = new URLSearchParams({ ...DEFAULT_SLASH_FIELDS, command: '/help', text, trigger_id: `${timestamp}.replay`, response_url: response.url }).toString();
      const before = ctx.slack!.responses.length;
      return {
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(SIGNING_SECRET, body, timestamp).headers },
        responseCount: () => ctx.slack!.responses.length - before,
      };
    }
    const send = async (request: { body: string; headers: Record<string, string> }): Promise<number> => {
      const res = await fetch(ctx.slackUrl, { method: 'POST', headers: request.headers, body: request.body });
      await res.text();
      return res.status;
    };

    it('runs a validly signed request once: the same bytes sent again within the window get 401', async () => {
      ran.length = 0;
      const request = signedRequest('');
      const statuses = [await send(request), await send(request), await send(request)];
      expect(statuses).toEqual([200, 401, 401]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(ran).toEqual(['help']);
      expect(request.responseCount()).toBe(1);
      // A new request (its own timestamp or body) is not a replay.
      expect(await send(signedRequest('brief'))).toBe(200);
    });

    it('refuses timestamps more than 5 minutes from now in either direction, and accepts those within', async () => {
      ran.length = 0;
      const now = Math.floor(Date.now() / 1000);
      expect(await send(signedRequest('', now + 365 * 24 * 3600))).toBe(401);
      expect(await send(signedRequest('', now + 6 * 60))).toBe(401);
      expect(await send(signedRequest('', now - 6 * 60))).toBe(401);
      expect(ran).toEqual([]);
      expect(await send(signedRequest('', now + 4 * 60))).toBe(200);
      expect(await send(signedRequest('', now - 4 * 60))).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(ran).toEqual(['help', 'help']);
    });

    it('still answers Slack\'s unsigned SSL check, and runs nothing smuggled into it', async () => {
      ran.length = 0;
      const status = await send({ body: 'ssl_check=1&token=x&command=%2Fhelp', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(ran).toEqual([]);
    });

    it('refuses a signed request whose timestamp header is spelled differently from what was signed', async () => {
      const request = signedRequest('');
      // The same number in another spelling: Bolt reads Number('0x…'), the signature binds the text.
      const spelled = { ...request, headers: { ...request.headers, 'x-slack-request-timestamp': `${request.headers['x-slack-request-timestamp']}.0` } };
      expect(await send(spelled)).toBe(401);
      expect(await send(request)).toBe(200);
    });
  });

  describe('mentions never go live', () => {
    it('on Discord: article text, options echoed back, and button answers', async () => {
      const before = ctx.discord!.requests.length;
      const replies: Data[] = [];
      replies.push(await discordAnswer(ctx.discord!.sendCommand('brief', { article: IDS.mentions, length: 'full' })));
      replies.push(await discordAnswer(ctx.discord!.sendCommand('brief', { article: IDS.mentions })));
      replies.push(await discordAnswer(ctx.discord!.sendCommand('quote', { query: 'Natarajan' })));
      replies.push(await discordAnswer(ctx.discord!.sendButton(`brief:quotes:${IDS.mentions}`)));
      replies.push(await discordAnswer(ctx.discord!.sendButton(`brief:full:${IDS.mentions}`)));
      for (const mention of MENTIONS) {
        replies.push(await discordAnswer(ctx.discord!.sendCommand('quote', { query: `${mention} zzz` })));
        replies.push(await discordAnswer(ctx.discord!.sendCommand('brief', { article: mention })));
        replies.push(await discordAnswer(ctx.discord!.sendCommand('articles', { query: mention })));
      }
      // The article's mention strings did reach Discord, neutralised.
      const all = strings(discordPayloads(ctx.discord!).slice(0));
      expect(all.join('\n')).toContain('@\u200beveryone should never come from a bot');
      expect(all.join('\n')).toContain('<\u200b@&123>');
      const sent = ctx.discord!.requests.slice(before).filter((r) => r.body !== undefined);
      expect(sent.length).toBeGreaterThanOrEqual(replies.length);
      for (const request of sent) {
        for (const s of strings(request.body)) expect(s).not.toMatch(LIVE_DISCORD_MENTION);
        const data = (request.body as { data?: Data }).data ?? (request.body as Data);
        expect(data.allowed_mentions).toEqual({ parse: [] });
      }
      expect(replies.map((r) => r.content)).toContain('No article matches "@\u200bhere". Use /articles to see what is loaded.');
    });

    it('on Slack: article text, options echoed back, and button answers', async () => {
      const before = ctx.slack!.responses.length;
      await slackAnswer('/brief', `${IDS.mentions} full`);
      await slackAnswer('/brief', IDS.mentions);
      await slackAnswer('/quote', 'Natarajan');
      for (const id of [`brief:quotes:${IDS.mentions}`, `brief:full:${IDS.mentions}`]) await (await ctx.slackButton(id)).response.waitForPost();
      for (const mention of MENTIONS) {
        await slackAnswer('/quote', `"${mention}" zzz`);
        await slackAnswer('/brief', `article:"${mention}"`);
        await slackAnswer('/articles', mention);
      }
      // Slack sends user mentions in options in its own form: those must not come back live either.
      const echoed = await slackAnswer('/brief', '<@U0TESTER|tester> <!here> <#C0GENERAL|general> <!subteam^S123>');
      expect(echoed.text).toBe('No article matches "&lt;@U0TESTER|tester&gt; &lt;!here&gt; &lt;#C0GENERAL|general&gt; &lt;!subteam^S123&gt;". Use /articles to see what is loaded.');
      const bodies = ctx.slack!.responses.slice(before).map((r) => r.body);
      expect(bodies.length).toBe(5 + MENTIONS.length * 3 + 1);
      const all = strings(bodies).join('\n');
      expect(all).toContain('&lt;@&amp;123&gt;');
      expect(all).toContain('@\u200beveryone should never come from a bot');
      for (const s of strings(slackPayloads(ctx.slack!))) expect(s).not.toMatch(LIVE_SLACK_MENTION);
    });
  });

  describe('over-long and malformed options get a usage message', () => {
    it('on Discord', async () => {
      const cases: Array<[string, Record<string, string | number>, string]> = [
        ['quote', { query: 'x'.repeat(500) }, `Query is too long (at most 200 characters). Usage: ${usage('quote')}`],
        ['quote', { query: 'peace', speaker: 'y'.repeat(101) }, `Speaker is too long (at most 100 characters). Usage: ${usage('quote')}`],
        ['articles', { page: 'two' }, `Page must be a whole number. Usage: ${usage('articles')}`],
        ['articles', { page: 0 }, `Page must be at least 1. Usage: ${usage('articles')}`],
        ['brief', { length: 'huge' }, `Length must be one of: tldr, short, full. Usage: ${usage('brief')}`],
        ['brief', { article: 'bad\u0000id' }, `Article contains control characters. Usage: ${usage('brief')}`],
        ['brief', { bogus: 'x' }, `Unknown option: bogus. Usage: ${usage('brief')}`],
        ['quote', {}, `Query is required. Usage: ${usage('quote')}`],
        ['nope', {}, 'Unknown command /nope. Try /help.'],
      ];
      for (const [name, options, message] of cases) {
        const data = await discordAnswer(ctx.discord!.sendCommand(name, options));
        // Discord shows `\|` as `|` (escaped so `||` cannot become a spoiler).
        expect(data).toMatchObject({ flags: EPHEMERAL, content: message.replace(/\|/g, '\\|') });
      }
      const noSub = await discordAnswer(ctx.discord!.sendCommand('digest', {}));
      expect(noSub.content).toBe('Say which: /digest now, /digest subscribe, /digest unsubscribe, /digest status.');
    });

    it('on Slack', async () => {
      const cases: Array<[string, string, string]> = [
        ['/quote', 'x'.repeat(500), `Query is too long (at most 200 characters). Usage: ${usage('quote')}`],
        ['/articles', 'page:abc', `Page must be a whole number. Usage: ${usage('articles')}`],
        ['/brief', 'length:huge', `Length must be one of: tldr, short, full. Usage: ${usage('brief')}`],
        ['/help', 'y'.repeat(40), `Command is too long (at most 32 characters). Usage: ${usage('help')}`],
        ['/digest', '', `Say which: now, subscribe, unsubscribe, status. Usage: ${usage('digest')}`],
        ['/digest', 'subscribe', `Schedule is required. Usage: ${subUsage('digest', 'subscribe')}`],
      ];
      for (const [command, text, message] of cases) {
        const body = await slackAnswer(command, text, { user_id: 'U0ADMIN' });
        expect(body).toMatchObject({ response_type: 'ephemeral', text: slackEscaped(message) });
      }
    });
  });

  describe('channel management needs the permission', () => {
    const subscribe = [{ name: 'subscribe', type: 1, options: [{ name: 'schedule', type: 3, value: 'daily 08:00' }] }];

    it('on Discord: Manage Channels (or Administrator) from the member\'s permissions in the channel', async () => {
      digest.calls.length = 0;
      const member = await discordAnswer(ctx.discord!.sendCommand('digest', subscribe));
      expect(member).toMatchObject({ flags: EPHEMERAL, content: 'Only people who can manage this channel can use /digest subscribe.' });
      const unsubscribe = await discordAnswer(ctx.discord!.sendCommand('digest', [{ name: 'unsubscribe', type: 1, options: [] }], { permissions: PERMISSIONS.MANAGE_GUILD | PERMISSIONS.VIEW_CHANNEL }));
      expect(unsubscribe.content).toBe('Only people who can manage this channel can use /digest unsubscribe.');
      const manager = await discordAnswer(ctx.discord!.sendCommand('digest', subscribe, { permissions: PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.MANAGE_CHANNELS }));
      expect(manager.content).toBe('Subscribed: a digest here daily 08:00 (UTC). The first one carries the latest 3 briefings and anything new.');
      const admin = await discordAnswer(ctx.discord!.sendCommand('digest', [{ name: 'unsubscribe', type: 1, options: [] }], { permissions: PERMISSIONS.ADMINISTRATOR }));
      expect(admin.content).toBe('Unsubscribed: no more digests here (it was daily 08:00 (UTC)).');
      // Everyone may still preview.
      const preview = await discordAnswer(ctx.discord!.sendCommand('digest', [{ name: 'now', type: 1, options: [] }]));
      expect(preview.content).toBe('No digest is set up here. A first digest would post 1 briefing:');
      expect(digest.calls).toHaveLength(2);
    });

    it('on Slack: workspace admins and owners (users.info) and slack.admins, nobody else', async () => {
      digest.calls.length = 0;
      ctx.slack!.setUser({ id: 'U0OWNER', is_owner: true });
      expect((await slackAnswer('/digest', 'subscribe daily 08:00')).text).toBe('Only people who can manage this channel can use /digest subscribe.');
      expect((await slackAnswer('/digest', 'unsubscribe', { user_id: 'U0TESTER' })).text).toBe('Only people who can manage this channel can use /digest unsubscribe.');
      expect((await slackAnswer('/digest', 'subscribe daily 08:00', { user_id: 'U0ADMIN' })).text).toBe('Subscribed: a digest here daily 08:00 (UTC). The first one carries the latest 3 briefings and anything new.');
      expect((await slackAnswer('/digest', 'subscribe hourly', { user_id: 'U0OWNER' })).text).toBe('Subscribed: a digest here hourly (UTC). The first one carries the latest 3 briefings and anything new.');
      expect((await slackAnswer('/digest', 'unsubscribe', { user_id: 'U0LISTED' })).text).toBe('Unsubscribed: no more digests here (it was daily 08:00 (UTC)).');
      expect(digest.calls).toHaveLength(3);
    });
  });
});
