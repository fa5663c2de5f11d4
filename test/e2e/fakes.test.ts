/**
 * Proves the fakes under test/fakes against the REAL libraries: discord.js 14 against fake Discord,
 * @slack/bolt 5 (HTTP and Socket Mode) against fake Slack. Everything runs on 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, DiscordAPIError, Events, GatewayIntentBits, type Interaction, type TextChannel } from 'discord.js';
import { App, LogLevel, type Logger } from '@slack/bolt';
import { createFakeDiscord, discordRateLimited, PERMISSIONS, type FakeDiscord, type FakeDiscordOptions } from '../fakes/fake-discord.js';
import { createFakeSlack, sendSlashCommand, slackError, slackHttpError, slackRateLimited, type FakeSlack } from '../fakes/fake-slack.js';
import { validateMessage } from '../fakes/discord-limits.js';
import { validateSlackMessage } from '../fakes/slack-limits.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a listener body and keeps its error for the test instead of letting it escape as an unhandled rejection. */
function capture<T>(fn: () => Promise<T>): { done: Promise<T | Error> } {
  return { done: fn().catch((error: unknown) => error as Error) };
}

describe('fake Discord against the real discord.js', () => {
  let discord: FakeDiscord | undefined;
  let client: Client | undefined;

  afterEach(async () => {
    // The client first: a gateway that closes under it makes discord.js reconnect.
    await client?.destroy();
    client = undefined;
    await discord?.stop();
    discord = undefined;
  });

  async function start(options: FakeDiscordOptions = {}): Promise<{ discord: FakeDiscord; client: Client }> {
    const fake = await createFakeDiscord(options);
    discord = fake;
    const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl }, allowedMentions: { parse: [] } });
    client = c;
    const ready = new Promise<void>((resolve) => c.once(Events.ClientReady, () => resolve()));
    await c.login('fake-bot-token');
    await ready;
    return { discord: fake, client: c };
  }

  /** Registers one interaction listener whose promise the test can await. */
  function onInteraction<T>(c: Client, fn: (i: Interaction) => Promise<T>): Promise<T | Error> {
    return new Promise((resolve) => {
      c.once(Events.InteractionCreate, (i) => {
        void capture(() => fn(i)).done.then(resolve);
      });
    });
  }

  it('becomes ready over a plain-JSON gateway and replies to a slash command', async () => {
    const { discord, client } = await start();
    expect(client.guilds.cache.size).toBe(1);
    expect(client.application?.id).toBe(discord.applicationId);
    const query = discord.gatewayConnections[0]!.query;
    expect(query.get('v')).toBe('10');
    expect(query.get('encoding')).toBe('json');
    expect(query.has('compress')).toBe(false);
    expect(discord.gatewayConnections[0]!.identify).toMatchObject({ token: 'fake-bot-token', intents: GatewayIntentBits.Guilds, compress: false });
    expect(discord.requests[0]).toMatchObject({ method: 'GET', path: '/gateway/bot', apiVersion: 10 });

    const handled = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error(`unexpected ${i.type}`);
      const admin = i.memberPermissions?.has('Administrator') ?? false;
      await i.reply(`topic=${i.options.getString('topic')} admin=${admin} guild=${i.guildId}`);
      return i.channelId;
    });
    const ix = discord.sendCommand('brief', { topic: 'ai' }, { admin: true });
    const cb = await ix.waitForCallback();
    expect(cb).toMatchObject({ type: 4, status: 204, late: false, data: { content: `topic=ai admin=true guild=${discord.guilds[0]!.id}` } });
    expect(await handled).toBe(discord.guilds[0]!.channels[0]!.id);
    expect(ix.original?.content).toContain('topic=ai');
  });

  it('keeps a deferred interaction alive past the 3 s window and lets it edit @original', async () => {
    const { discord, client } = await start({ interactionWindowMs: 300 });
    const handled = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      await i.deferReply();
      await sleep(400); // longer than the (shortened) window: only the defer makes this legal
      await i.editReply({ content: 'digest ready', embeds: [{ title: 'AI', description: 'TL;DR' }] });
      await i.followUp({ content: 'sources: 3', flags: 64 });
      return (await i.fetchReply()).content;
    });
    const ix = discord.sendCommand('digest');
    expect(await handled).toBe('digest ready');
    expect(ix.acknowledged?.type).toBe(5);
    const edit = await ix.waitForEdit();
    expect(edit.elapsedMs).toBeGreaterThan(300);
    expect(ix.original).toMatchObject({ content: 'digest ready', embeds: [{ title: 'AI', description: 'TL;DR' }] });
    expect((ix.original!.flags & 128) === 0).toBe(true);
    expect(ix.followUps[0]).toMatchObject({ content: 'sources: 3', flags: 64 });
  });

  it('answers autocomplete, refuses more than 25 choices with 50035', async () => {
    const { discord, client } = await start();
    const ok = onInteraction(client, async (i) => {
      if (!i.isAutocomplete()) throw new Error('not autocomplete');
      const typed = i.options.getFocused();
      await i.respond([{ name: `${typed} news`, value: `${typed}-news` }]);
    });
    const ix = discord.sendAutocomplete('brief', { name: 'topic', value: 'ai' });
    await ok;
    expect(ix.acknowledged).toMatchObject({ type: 8, status: 204 });
    expect(ix.choices).toEqual([{ name: 'ai news', value: 'ai-news' }]);

    const tooMany = onInteraction(client, async (i) => {
      if (!i.isAutocomplete()) throw new Error('not autocomplete');
      await i.respond(Array.from({ length: 26 }, (_, n) => ({ name: `t${n}`, value: `t${n}` })));
    });
    discord.sendAutocomplete('brief', { name: 'topic', value: 'x' });
    const error = await tooMany;
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50035);
    expect((error as DiscordAPIError).message).toContain('Must be 25 or fewer in length');
  });

  it('handles a button click with an update of the message', async () => {
    const { discord, client } = await start();
    const handled = onInteraction(client, async (i) => {
      if (!i.isButton()) throw new Error('not a button');
      const response = await i.update({ content: `clicked ${i.customId}`, components: [], withResponse: true });
      expect(response.resource?.message?.content).toBe(`clicked ${i.customId}`);
      return i.message.id;
    });
    const ix = discord.sendButton('more:article-1');
    const messageId = await handled;
    expect(messageId).toBe(ix.payload.message && (ix.payload.message as { id: string }).id);
    expect(ix.acknowledged).toMatchObject({ type: 7, status: 200 }); // 200 + body because of withResponse
    expect(ix.original).toMatchObject({ id: messageId, content: 'clicked more:article-1' });
  });

  it('refuses a reply after the window (10062) and a second initial reply (40060)', async () => {
    const { discord, client } = await start({ interactionWindowMs: 300 });
    const late = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      await sleep(400);
      await i.reply('too late');
    });
    const slow = discord.sendCommand('brief');
    const lateError = await late;
    expect((lateError as DiscordAPIError).code).toBe(10062);
    expect(slow.callbacks[0]).toMatchObject({ late: true, status: 404, code: 10062 });
    expect(slow.acknowledged).toBeUndefined();

    // Two replies racing (neither has returned, so discord.js's own `replied` guard has not kicked in).
    const twice = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      return Promise.allSettled([i.reply('one'), i.reply('two')]);
    });
    const ix = discord.sendCommand('brief');
    const results = (await twice) as PromiseSettledResult<unknown>[];
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect((rejected[0]!.reason as DiscordAPIError).code).toBe(40060);
    expect(ix.callbacks.map((c) => c.status).sort()).toEqual([204, 400]);
  });

  it('refuses an over-long embed with 400 50035 like Discord', async () => {
    const { discord, client } = await start();
    const handled = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      await i.reply({ embeds: [{ title: 'x', description: 'y'.repeat(4097) }] });
    });
    const ix = discord.sendCommand('brief');
    const error = (await handled) as DiscordAPIError;
    expect(error.code).toBe(50035);
    expect(error.message).toContain('data.embeds[0].description[BASE_TYPE_MAX_LENGTH]');
    expect(ix.acknowledged).toBeUndefined();
    expect(discord.violations[0]!.problems[0]).toMatchObject({ path: ['embeds', 0, 'description'] });
  });

  it('retries a scripted 429 with retry-after, then delivers the channel message once', async () => {
    const { discord, client } = await start();
    const channelId = discord.guilds[0]!.channels[0]!.id;
    discord.register('POST', '/channels/:channelId/messages', ({ callCount }) => (callCount === 1 ? discordRateLimited(0.2) : undefined));
    const channel = (await client.channels.fetch(channelId)) as TextChannel;
    const started = Date.now();
    const sent = await channel.send({ content: 'morning digest', nonce: 'digest-2024-01-01', enforceNonce: true });
    const posts = discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`);
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(posts[1]!.time - started).toBeGreaterThanOrEqual(200);
    expect(discord.messages).toHaveLength(1);
    expect(discord.messages[0]).toMatchObject({ id: sent.id, content: 'morning digest', nonce: 'digest-2024-01-01' });

    // The same nonce again returns the existing message instead of a duplicate.
    const again = await channel.send({ content: 'morning digest', nonce: 'digest-2024-01-01', enforceNonce: true });
    expect(again.id).toBe(sent.id);
    expect(discord.messages).toHaveLength(1);
    expect(discord.nonceHits).toHaveLength(1);
  });

  it('applies per-channel limits through X-RateLimit headers, and channel faults', async () => {
    const { discord, client } = await start({ rateLimits: { channelMessages: 2, channelWindowMs: 300 } });
    const [general, news] = discord.guilds[0]!.channels;
    const started = Date.now();
    await Promise.all([1, 2, 3].map((n) => client.rest.post(`/channels/${general!.id}/messages`, { body: { content: `m${n}` } })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250); // discord.js waited for the bucket to reset
    expect(discord.messages.map((m) => m.content).sort()).toEqual(['m1', 'm2', 'm3']);

    expect(discord.requests.some((r) => r.status === 429)).toBe(false); // it read the headers instead of running into 429s

    // "500, then success": discord.js retries 5xx by itself.
    discord.register('GET', '/channels/:id', ({ callCount }) => (callCount === 1 ? { status: 500, body: { message: 'oops', code: 0 } } : undefined));
    await expect(client.rest.get(`/channels/${news!.id}`)).resolves.toMatchObject({ id: news!.id, name: 'news' });

    discord.setChannelFault(news!.id, 'missing-access');
    await expect(client.rest.post(`/channels/${news!.id}/messages`, { body: { content: 'x' } })).rejects.toMatchObject({ code: 50001, status: 403 });
    await expect(client.rest.post('/channels/123/messages', { body: { content: 'x' } })).rejects.toMatchObject({ code: 10003, status: 404 });
    await expect(client.rest.get('/no/such/route')).rejects.toMatchObject({ status: 404 });
    // An unknown route is a 404, never a 401: discord.js still has its token (it throws without one).
    await expect(client.rest.get('/users/@me')).resolves.toMatchObject({ id: discord.botUser.id });
  });

  it('sends a command from a DM: a user, no member, no guild', async () => {
    const { discord, client } = await start();
    const handled = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      await i.reply({ content: 'hi', flags: 64 });
      // Without `partials: [Partials.Channel]` discord.js does not cache the DM channel: `i.channel` is null.
      return { guild: i.guildId, member: i.member, perms: i.memberPermissions, user: i.user.id, channel: i.channel, channelId: i.channelId };
    });
    const ix = discord.sendCommand('brief', {}, { dm: true, user: { id: '200000000000000002', username: 'dmuser' } });
    expect(await handled).toEqual({ guild: null, member: null, perms: null, user: '200000000000000002', channel: null, channelId: ix.payload.channel_id });
    expect(ix.original?.flags).toBe(64);
  });

  it('records bulk command overwrites and resumes a dropped gateway', async () => {
    const { discord, client } = await start();
    await client.application!.commands.set([{ name: 'brief', description: 'Brief me' }]);
    await client.guilds.cache.first()!.commands.set([{ name: 'digest', description: 'Post the digest' }]);
    expect(discord.commands.map((c) => [c.scope, c.commands[0]!.name])).toEqual([
      ['global', 'brief'],
      [discord.guilds[0]!.id, 'digest'],
    ]);

    discord.dropGateway(4000);
    await discord.waitFor(() => discord.gatewayConnections.find((c) => c.resumed), { timeoutMs: 5000, what: 'a RESUME' });
    await discord.waitFor(() => discord.gatewayReady);
    const handled = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      await i.reply('after resume');
    });
    discord.sendCommand('brief', {}, { permissions: PERMISSIONS.VIEW_CHANNEL });
    await handled;
    expect(discord.gatewayLog.some((f) => f.direction === 'in' && f.op === 6)).toBe(true);
  });
});

describe('fake Slack against the real Bolt', () => {
  const signingSecret = 'fake-signing-secret';
  let slack: FakeSlack | undefined;
  let app: App | undefined;

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await slack?.stop();
    slack = undefined;
  });

  /** Bolt and its WebClient log through this; tests read it instead of the console. */
  function quietLogger(lines: string[]): Logger {
    const log = (level: string) => (...msg: unknown[]) => void lines.push(`${level} ${msg.map(String).join(' ')}`);
    return {
      debug: () => undefined,
      info: () => undefined,
      warn: log('warn'),
      error: log('error'),
      setLevel: () => undefined,
      getLevel: () => LogLevel.WARN,
      setName: () => undefined,
    };
  }

  async function startHttpApp(
    logLines: string[] = [],
  ): Promise<{ slack: FakeSlack; app: App; url: string; handled: Array<Promise<unknown>> }> {
    const fake = await createFakeSlack({ rateLimits: true });
    slack = fake;
    const handled: Array<Promise<unknown>> = [];
    const a = new App({
      token: 'xoxb-fake',
      signingSecret,
      logger: quietLogger(logLines),
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 } },
    });
    a.command('/brief', async ({ ack, respond, command }) => {
      await ack();
      const p = capture(() => respond({ response_type: 'ephemeral', text: `brief on ${command.text}` }));
      handled.push(p.done);
      await p.done;
    });
    app = a;
    const server = (await a.start(0)) as Server;
    const { port } = server.address() as AddressInfo;
    return { slack: fake, app: a, url: `http://127.0.0.1:${port}/slack/events`, handled };
  }

  it('answers a signed slash command with ack() then respond(), recorded at the response_url', async () => {
    const { slack, url, handled } = await startHttpApp();
    const res = await slack.sendSlashCommand(url, signingSecret, { text: 'ai' });
    expect(res.status).toBe(200);
    const post = await res.response.waitForPost();
    expect(post.body).toMatchObject({ response_type: 'ephemeral', text: 'brief on ai' });
    expect(await Promise.all(handled)).toEqual([expect.objectContaining({ ok: true })]);
    expect(slack.requests.map((r) => r.method)).toContain('auth.test');
  });

  it('rejects a forged signature and a stale timestamp with 401', async () => {
    const { slack, url } = await startHttpApp();
    const forged = await sendSlashCommand(url, 'not-the-secret', { response_url: slack.newResponseUrl().url });
    expect(forged.status).toBe(401);
    const stale = await slack.sendSlashCommand(url, signingSecret, {}, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    await sleep(50);
    expect(slack.responses).toHaveLength(0);
  });

  it('serves the Web API: metadata round-trip, scripted faults and block limits', async () => {
    const logs: string[] = [];
    const { slack, app } = await startHttpApp(logs);
    const metadata = { event_type: 'briefbot_digest', event_payload: { digest: '2024-01-01' } };
    slack.register('chat.postMessage', ({ callCount }) => (callCount === 1 ? slackRateLimited(0) : undefined));
    const posted = await app.client.chat.postMessage({ channel: 'C0NEWS', text: 'digest', metadata });
    expect(slack.requests.filter((r) => r.method === 'chat.postMessage').map((r) => r.status)).toEqual([429, 200]);
    const history = await app.client.conversations.history({ channel: 'C0NEWS', include_all_metadata: true });
    expect(history.messages?.[0]).toMatchObject({ ts: posted.ts, text: 'digest', metadata });

    slack.register('chat.postMessage', ({ body }) => (body.channel === 'C0GONE' ? slackError('channel_not_found') : undefined));
    await expect(app.client.chat.postMessage({ channel: 'C0GONE', text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });

    const blocks = Array.from({ length: 51 }, () => ({ type: 'section', text: { type: 'mrkdwn', text: 'x' } }));
    await expect(app.client.chat.postMessage({ channel: 'C0NEWS', text: 'x', blocks })).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    const long = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    await expect(app.client.chat.postMessage({ channel: 'C0NEWS', text: 'x', blocks: long })).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    expect(slack.violations).toHaveLength(2);
    expect(logs).toContain('error must be less than 3001 characters [json-pointer:/blocks/0/text/text]');

    // "500, then success": the WebClient retries per its retryConfig.
    slack.register('chat.postEphemeral', ({ callCount }) => (callCount === 1 ? slackHttpError(500) : undefined));
    await expect(app.client.chat.postEphemeral({ channel: 'C0NEWS', user: 'U0TESTER', text: 'only you' })).resolves.toMatchObject({ ok: true });
    expect(slack.ephemerals).toMatchObject([{ channel: 'C0NEWS', user: 'U0TESTER' }]);

    slack.setUser({ id: 'U0BOSS', is_owner: true });
    const boss = await app.client.users.info({ user: 'U0BOSS' });
    expect(boss.user).toMatchObject({ is_owner: true, is_admin: false });
  });

  it('holds chat.postMessage to 1 message/s per channel with a 429 + Retry-After the client honours', async () => {
    const { slack, app } = await startHttpApp();
    const started = Date.now();
    await app.client.chat.postMessage({ channel: 'C0BUSY', text: 'one' });
    await app.client.chat.postMessage({ channel: 'C0BUSY', text: 'two' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(slack.requests.filter((r) => r.method === 'chat.postMessage').map((r) => r.status)).toEqual([200, 429, 200]);
    expect(slack.messages.map((m) => m.text)).toEqual(['one', 'two']);
  });

  it('delivers a Socket Mode envelope to a Socket Mode App and records its ack', async () => {
    const fake = await createFakeSlack({ ackWindowMs: 500 });
    slack = fake;
    const a = new App({
      token: 'xoxb-fake',
      appToken: 'xapp-fake',
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    const seen: string[] = [];
    a.command('/brief', async ({ ack, command }) => {
      seen.push(command.text);
      if (command.text === 'slow') await sleep(650);
      await ack();
    });
    app = a;
    await a.start();
    expect(fake.socketConnected).toBe(true);
    expect(fake.requests.find((r) => r.method === 'apps.connections.open')?.token).toBe('xapp-fake');

    const envelope = fake.sendSocketSlashCommand({ text: 'markets' });
    const ack = await envelope.waitForAck();
    expect(ack).toMatchObject({ envelope_id: envelope.envelope_id, payload: {}, late: false });
    expect(seen).toEqual(['markets']);

    const slow = fake.sendSocketSlashCommand({ text: 'slow' });
    expect(await slow.waitForAck()).toMatchObject({ late: true });
  });
});

describe('the fakes\' own limit checks', () => {
  it('knows Discord\'s message limits', () => {
    const paths = (body: unknown) => validateMessage(body).map((p) => p.path.join('.'));
    expect(paths({ content: 'x'.repeat(2000) })).toEqual([]);
    expect(paths({ content: 'x'.repeat(2001) })).toEqual(['content']);
    expect(paths({ embeds: Array.from({ length: 11 }, () => ({ title: 't' })) })).toEqual(['embeds']);
    expect(paths({ embeds: [{ title: 'x'.repeat(257) }] })).toEqual(['embeds.0.title']);
    expect(paths({ embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] })).toEqual(['embeds.0.fields']);
    expect(paths({ embeds: [{ fields: [{ name: 'x'.repeat(257), value: 'x'.repeat(1025) }] }] })).toEqual([
      'embeds.0.fields.0.name',
      'embeds.0.fields.0.value',
    ]);
    expect(paths({ embeds: [{ footer: { text: 'x'.repeat(2049) }, author: { name: 'x'.repeat(257) } }] })).toEqual([
      'embeds.0.footer.text',
      'embeds.0.author.name',
    ]);
    // 2 × 4,000 characters: each embed is fine, the message is over 6,000.
    expect(paths({ embeds: [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(4000) }] })).toEqual(['embeds']);
    const row = { type: 1, components: [{ type: 2, style: 1, label: 'go', custom_id: 'go' }] };
    expect(paths({ components: Array.from({ length: 6 }, () => row) })).toEqual(['components']);
  });

  it('knows Slack\'s block limits and caps a response_url at 5 uses', async () => {
    const errors = (params: Record<string, unknown>) => validateSlackMessage(params).map((p) => p.error);
    expect(errors({ text: 'ok', blocks: Array.from({ length: 50 }, () => ({ type: 'divider' })) })).toEqual([]);
    expect(errors({ text: 'x', blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }] })).toEqual(['invalid_blocks']);
    expect(errors({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] })).toEqual(['invalid_blocks']);
    expect(errors({})).toEqual(['no_text']);
    expect(errors({ text: 'x', metadata: { event_type: 'x' } })).toEqual(['invalid_metadata_format']);

    const fake = await createFakeSlack();
    try {
      const handle = fake.newResponseUrl();
      const statuses: number[] = [];
      for (let n = 0; n < 6; n++) {
        const res = await fetch(handle.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `#${n}` }) });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
      expect(handle.posts[5]).toMatchObject({ error: 'used_url' });
    } finally {
      await fake.stop();
    }
  });
});
