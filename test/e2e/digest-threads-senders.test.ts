/**
 * Story digests in channels with threads on (issue 13), through the real senders — discord.js's
 * REST client and Slack's Web API client — against the stand-ins:
 * - a `start` part is posted in the channel and opens a thread named as asked; a `reply` lands in
 *   that thread;
 * - a start whose answer was lost is retried without a second message or thread (Discord: the
 *   nonce gives the message back, and 160004 says its thread exists; Slack: the history finds it);
 * - a reply whose answer was lost is found in its thread (Slack's channel history does not list
 *   replies) and not posted twice;
 * - a reply whose thread is gone starts a new thread in the channel, and only the channel's own
 *   answer can pause the subscription.
 *
 * "An answer lost" is a proxy in front of the stand-in that passes a request on, lets the stand-in
 * carry it out, and then never answers: the client times out, as after a dropped connection.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DigestSender, OutgoingPart, PartThread } from '../../src/digest/sender.js';
import { createDiscordSender, threadName } from '../../src/platforms/discord/sender.js';
import { createSlackSender } from '../../src/platforms/slack/sender.js';
import { createFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { createFakeSlack, slackError, type FakeSlack } from '../fakes/fake-slack.js';
import { failure } from '../helpers/delivery-failure.js';

let discord: FakeDiscord | undefined;
let slack: FakeSlack | undefined;
let proxy: LossyProxy | undefined;
afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
  await discord?.stop();
  discord = undefined;
  await slack?.stop();
  slack = undefined;
});

const SINCE = new Date(Date.now() - 60_000);

interface LossyProxy {
  /** `targetUrl` with the proxy's host and port. */
  url: string;
  /** Requests whose answer was withheld. */
  lost: string[];
  stop(): Promise<void>;
}

/**
 * Passes every request on to `target` and its answer back, except that the answer to each request
 * `lose(method, path)` picks is withheld for good (after the stand-in has carried the request out).
 */
async function createLossyProxy(targetUrl: string, lose: (method: string, path: string, body: string) => boolean): Promise<LossyProxy> {
  const target = new URL(targetUrl);
  const lost: string[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value === undefined || key === 'host' || key === 'content-length' || key === 'connection') continue;
        headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const method = req.method ?? 'GET';
      const answer = await fetch(new URL(req.url ?? '/', target), { method, headers, ...(body.length ? { body } : {}) });
      const text = Buffer.from(await answer.arrayBuffer());
      if (lose(method, new URL(req.url ?? '/', target).pathname, body.toString('utf8'))) {
        lost.push(`${method} ${req.url}`);
        return; // carried out, never answered
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((value, key) => {
        if (key !== 'content-length' && key !== 'transfer-encoding' && key !== 'content-encoding' && key !== 'connection') out[key] = value;
      });
      res.writeHead(answer.status, out).end(text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = new URL(targetUrl);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    lost,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}


/** Counts a request's answer lost once: the first `n` requests `pick` chooses. */
function firstOf(n: number, pick: (method: string, path: string, body: string) => boolean): (method: string, path: string, body: string) => boolean {
  let seen = 0;
  return (method, path, body) => pick(method, path, body) && ++seen <= n;
}

// ---------------------------------------------------------------- Discord

const discordPart = (channelId: string, index: number, thread: PartThread | undefined, payload: unknown = { content: `part ${index}` }): OutgoingPart => ({
  channelId,
  deliveryKey: '7:2025-03-01T08:00:00.000Z',
  index,
  count: 3,
  payload,
  since: SINCE,
  ...(thread ? { thread } : {}),
});

describe('Discord: story parts in threads', () => {
  it('a start posts the part and opens a thread on it, named as asked (cut to 100); a reply lands in the thread', async () => {
    discord = await createFakeDiscord();
    const channel = discord.guilds[0]!.channels[0]!.id;
    const sender = createDiscordSender({ token: 'fake', apiUrl: discord.apiUrl });
    const longName = `Rates: ${'the central bank holds, again '.repeat(6)}`;

    const started = await sender.send(discordPart(channel, 0, { mode: 'start', name: longName }));
    expect(started.thread).toBe(started.ref);
    expect(discord.threads).toHaveLength(1);
    const thread = discord.threads[0]!;
    expect(thread).toMatchObject({ id: started.ref, parentId: channel, messageId: started.ref, autoArchiveDuration: 10080 });
    expect(thread.name).toBe(threadName(longName));
    expect(thread.name.length).toBeLessThanOrEqual(100);
    expect(longName.startsWith(thread.name)).toBe(true);
    expect(discord.messages.filter((m) => m.channel_id === channel).map((m) => m.id)).toEqual([started.ref]);

    const replied = await sender.send(discordPart(channel, 1, { mode: 'reply', ref: thread.id }, { content: 'an update' }));
    expect(replied.thread).toBe(thread.id);
    expect(discord.threadMessages(thread.id).map((m) => [m.id, m.content])).toEqual([[replied.ref, 'an update']]);
    // Nothing new in the channel itself.
    expect(discord.messages.filter((m) => m.channel_id === channel)).toHaveLength(1);

    // An archived (unlocked) thread takes the bot's post and is open again.
    discord.archiveThread(thread.id);
    const again = await sender.send(discordPart(channel, 2, { mode: 'reply', ref: thread.id }));
    expect(again.thread).toBe(thread.id);
    expect(discord.threadMessages(thread.id)).toHaveLength(2);
    expect(thread.archived).toBe(false);
  });

  it('an untitled part that is not threaded is posted as before, with no thread', async () => {
    discord = await createFakeDiscord();
    const channel = discord.guilds[0]!.channels[0]!.id;
    const sent = await createDiscordSender({ token: 'fake', apiUrl: discord.apiUrl }).send(discordPart(channel, 0, undefined));
    expect(sent).toEqual({ ref: sent.ref });
    expect(discord.threads).toEqual([]);
    expect(discord.requests.filter((r) => r.path.endsWith('/threads'))).toEqual([]);
  });

  it('the thread request takes its own turn in the shared pace', async () => {
    discord = await createFakeDiscord();
    const channel = discord.guilds[0]!.channels[0]!.id;
    const turns: string[] = [];
    const pace = {
      take: async () => void turns.push(`${discord!.messages.length}/${discord!.threads.length}`),
      reserve: async () => ({ waitMs: 0, at: Date.now() }),
    };
    const sender = createDiscordSender({ token: 'fake', apiUrl: discord.apiUrl, globalPace: pace });
    await sender.send(discordPart(channel, 0, { mode: 'start', name: 'A story' }));
    // Before the message, then before the thread.
    expect(turns).toEqual(['0/0', '1/0']);
  });

  it('a start whose answers were lost is retried into the same message and thread (nonce, then 160004)', async () => {
    discord = await createFakeDiscord();
    const channel = discord.guilds[0]!.channels[0]!.id;
    // The first thread request reaches Discord (the thread is made) but its answer never comes back.
    proxy = await createLossyProxy(discord.apiUrl, firstOf(1, (method, path) => method === 'POST' && path.endsWith('/threads')));
    const sender = createDiscordSender({ token: 'fake', apiUrl: proxy.url, timeoutMs: 300 });
    const part = discordPart(channel, 0, { mode: 'start', name: 'Elections' });

    const first = await failure(sender.send(part));
    expect(first).toMatchObject({ kind: 'retry', outcome: 'unknown' });
    expect(proxy.lost).toHaveLength(1);
    expect(discord.threads).toHaveLength(1);

    const sent = await sender.send(part);
    expect(discord.messages).toHaveLength(1);
    expect(discord.threads).toHaveLength(1);
    expect(sent).toEqual({ ref: discord.messages[0]!.id, thread: discord.threads[0]!.id });
    expect(discord.nonceHits).toHaveLength(1);
    expect(discord.requests.filter((r) => r.path.endsWith('/threads')).map((r) => (r.response as { code?: number }).code)).toEqual([undefined, 160004]);
  });

  it('a start whose message answer was lost is retried into the same message, and its thread is opened once', async () => {
    discord = await createFakeDiscord();
    const channel = discord.guilds[0]!.channels[0]!.id;
    proxy = await createLossyProxy(discord.apiUrl, firstOf(1, (method, path) => method === 'POST' && path.endsWith('/messages')));
    const sender = createDiscordSender({ token: 'fake', apiUrl: proxy.url, timeoutMs: 300 });
    const part = discordPart(channel, 0, { mode: 'start', name: 'Elections' });
    expect(await failure(sender.send(part))).toMatchObject({ kind: 'retry', outcome: 'unknown' });
    expect(discord.threads).toHaveLength(0);
    const sent = await sender.send(part);
    expect(discord.messages).toHaveLength(1);
    expect(discord.threads.map((t) => [t.id, t.name])).toEqual([[sent.ref, 'Elections']]);
  });

  it('a reply that landed before its thread was deleted is not posted again in the channel', async () => {
    discord = await createFakeDiscord();
    const channel = discord.guilds[0]!.channels[0]!.id;
    const direct = createDiscordSender({ token: 'fake', apiUrl: discord.apiUrl });
    const story = await direct.send(discordPart(channel, 0, { mode: 'start', name: 'Storm' }));
    proxy = await createLossyProxy(discord.apiUrl, firstOf(1, (method, path) => method === 'POST' && path === `/api/v10/channels/${story.thread}/messages`));
    const sender = createDiscordSender({ token: 'fake', apiUrl: proxy.url, timeoutMs: 300 });
    const part = discordPart(channel, 1, { mode: 'reply', ref: story.thread! });
    expect(await failure(sender.send(part))).toMatchObject({ kind: 'retry', outcome: 'unknown' });
    const landed = discord.threadMessages(story.thread!)[0]!;
    discord.deleteThread(story.thread!);

    // The retry finds the thread gone and posts in the channel with the same nonce: Discord gives back the reply.
    const sent = await sender.send(part);
    expect(sent).toEqual({ ref: landed.id, thread: story.thread });
    expect(discord.messages).toHaveLength(2);
    expect(discord.threads).toEqual([]);
  });

  it('a reply whose thread was deleted, or archived and locked, starts a new thread in the channel; a deleted channel still pauses', async () => {
    discord = await createFakeDiscord();
    const channel = discord.guilds[0]!.channels[0]!.id;
    const sender = createDiscordSender({ token: 'fake', apiUrl: discord.apiUrl });
    const story = await sender.send(discordPart(channel, 0, { mode: 'start', name: 'Storm' }));
    discord.deleteThread(story.thread!);

    const payload = { embeds: [{ title: 'Storm \\*Eunice\\* reaches the coast', description: 'update' }] };
    const moved = await sender.send(discordPart(channel, 1, { mode: 'reply', ref: story.thread! }, payload));
    expect(moved.thread).toBe(moved.ref);
    expect(moved.thread).not.toBe(story.thread);
    // Posted in the channel, a thread opened on it, named from the part's title.
    expect(discord.messages.find((m) => m.id === moved.ref)?.channel_id).toBe(channel);
    expect(discord.threads.map((t) => [t.id, t.parentId, t.name])).toEqual([[moved.ref, channel, 'Storm *Eunice* reaches the coast']]);

    discord.archiveThread(moved.thread!, { locked: true });
    const movedAgain = await sender.send(discordPart(channel, 2, { mode: 'reply', ref: moved.thread! }, { content: 'later\nmore' }));
    expect(movedAgain.thread).toBe(movedAgain.ref);
    expect(discord.threads.find((t) => t.id === movedAgain.ref)?.name).toBe('later');
    expect(discord.threadMessages(moved.thread!)).toEqual([]);

    // Given the story's title, the new thread takes it rather than the update's first line.
    discord.deleteThread(movedAgain.thread!);
    const named = await sender.send(discordPart(channel, 3, { mode: 'reply', ref: movedAgain.thread!, name: 'Storm Eunice' }, { content: 'Update: Storm Eunice' }));
    expect(discord.threads.find((t) => t.id === named.thread)?.name).toBe('Storm Eunice');

    // The channel itself gone (its threads with it): that is permanent, as for any part.
    discord.setChannelFault(channel, 'unknown');
    const gone = await failure(sender.send({ ...discordPart(channel, 0, { mode: 'reply', ref: movedAgain.thread! }), deliveryKey: '8:x' }));
    expect(gone.kind).toBe('permanent');
  });
});

// ---------------------------------------------------------------- Slack

const slackPart = (index: number, thread: PartThread | undefined, text = `part ${index}`): OutgoingPart => ({
  channelId: 'C0NEWS',
  deliveryKey: '9:2025-03-01T08:00:00.000Z',
  index,
  count: 3,
  payload: { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] },
  since: SINCE,
  ...(thread ? { thread } : {}),
});

const posts = (s: FakeSlack): number => s.requests.filter((r) => r.method === 'chat.postMessage' && (r.response as { ok?: boolean }).ok).length;

describe('Slack: story parts in threads', () => {
  it("a start's ts is its thread; a reply is posted in the thread, which the channel history does not list", async () => {
    slack = await createFakeSlack();
    const sender = createSlackSender({ token: 'xoxb-fake', apiUrl: slack.apiUrl, channelIntervalMs: 0 });
    const started = await sender.send(slackPart(0, { mode: 'start', name: 'ignored on Slack' }));
    expect(started).toEqual({ ref: started.ref, thread: started.ref });
    const replied = await sender.send(slackPart(1, { mode: 'reply', ref: started.thread! }, 'an update'));
    expect(replied).toEqual({ ref: replied.ref, thread: started.ref });
    expect(slack.threadReplies('C0NEWS', started.ref).map((m) => [m.ts, m.text])).toEqual([[replied.ref, 'an update']]);
    const plain = await sender.send(slackPart(2, undefined));
    expect(plain).toEqual({ ref: plain.ref });
  });

  it('a start whose answer was lost is found in the history, with its thread, and not posted again', async () => {
    slack = await createFakeSlack();
    proxy = await createLossyProxy(slack.apiUrl, firstOf(1, (_m, path) => path.endsWith('/chat.postMessage')));
    const sender = createSlackSender({ token: 'xoxb-fake', apiUrl: proxy.url, channelIntervalMs: 0, timeoutMs: 300 });
    const part = slackPart(0, { mode: 'start', name: 'x' });
    expect(await failure(sender.send(part))).toMatchObject({ kind: 'retry', outcome: 'unknown' });
    const found = await sender.findSent!(part);
    expect(found).toEqual({ ref: slack.messages[0]!.ts, thread: slack.messages[0]!.ts });
    expect(posts(slack)).toBe(1);
  });

  it('a reply whose answer was lost is found in its thread and not posted again', async () => {
    slack = await createFakeSlack();
    const direct = createSlackSender({ token: 'xoxb-fake', apiUrl: slack.apiUrl, channelIntervalMs: 0 });
    const story = await direct.send(slackPart(0, { mode: 'start', name: 'x' }));
    // Other replies in the thread, and an unrelated channel message, around it.
    await direct.send({ ...slackPart(0, { mode: 'reply', ref: story.ref }), deliveryKey: '9:earlier' });
    slack.addMessage('C0NEWS', { text: 'chatter' });

    proxy = await createLossyProxy(slack.apiUrl, firstOf(1, (_m, path, body) => path.endsWith('/chat.postMessage') && body.includes('thread_ts')));
    const sender = createSlackSender({ token: 'xoxb-fake', apiUrl: proxy.url, channelIntervalMs: 0, timeoutMs: 300 });
    const part = slackPart(1, { mode: 'reply', ref: story.ref });
    expect(await failure(sender.send(part))).toMatchObject({ kind: 'retry', outcome: 'unknown' });
    const landed = slack.threadReplies('C0NEWS', story.ref).at(-1)!;

    const found = await sender.findSent!(part);
    expect(found).toEqual({ ref: landed.ts, thread: story.ref });
    expect(slack.requests.filter((r) => r.method === 'conversations.replies').map((r) => r.params.ts)).toEqual([story.ref]);
    expect(slack.threadReplies('C0NEWS', story.ref)).toHaveLength(2);
    // The part of the other delivery is not taken for this one.
    expect(await sender.findSent!({ ...part, index: 2 })).toBeUndefined();
  });

  it('a reply whose parent is gone starts a new thread in the channel (thread_not_found, message_not_found), and is found there after a lost answer', async () => {
    slack = await createFakeSlack();
    const direct = createSlackSender({ token: 'xoxb-fake', apiUrl: slack.apiUrl, channelIntervalMs: 0 });
    const story = await direct.send(slackPart(0, { mode: 'start', name: 'x' }));
    slack.deleteMessage('C0NEWS', story.ref);

    const moved = await direct.send(slackPart(1, { mode: 'reply', ref: story.ref }));
    expect(moved).toEqual({ ref: moved.ref, thread: moved.ref });
    const top = slack.messages.find((m) => m.ts === moved.ref)!;
    expect(top.thread_ts).toBeUndefined();
    expect(slack.requests.filter((r) => r.method === 'chat.postMessage').map((r) => (r.response as { error?: string }).error)).toEqual([
      undefined,
      'thread_not_found',
      undefined,
    ]);

    slack.register('chat.postMessage', ({ body }) => ((body as { thread_ts?: string }).thread_ts ? slackError('message_not_found') : undefined));
    const movedAgain = await direct.send(slackPart(2, { mode: 'reply', ref: moved.ref }));
    expect(movedAgain.thread).toBe(movedAgain.ref);
    expect(slack.threadReplies('C0NEWS', moved.ref)).toEqual([]);

    // The fallback post's answer lost: the next attempt finds it in the channel, as the new thread.
    slack.deleteMessage('C0NEWS', movedAgain.ref);
    proxy = await createLossyProxy(slack.apiUrl, firstOf(1, (_m, path, body) => path.endsWith('/chat.postMessage') && !body.includes('thread_ts')));
    const lossy = createSlackSender({ token: 'xoxb-fake', apiUrl: proxy.url, channelIntervalMs: 0, timeoutMs: 300 });
    const part = { ...slackPart(0, { mode: 'reply', ref: movedAgain.ref } as PartThread), deliveryKey: '9:later' };
    expect(await failure(lossy.send(part))).toMatchObject({ outcome: 'unknown' });
    const found = await lossy.findSent!(part);
    const landed = slack.messages.at(-1)!;
    expect(landed.params.metadata).toMatchObject({ event_payload: { key: '9:later' } });
    expect(found).toEqual({ ref: landed.ts, thread: landed.ts });
  });

  it('a channel that is gone is still permanent for a reply', async () => {
    slack = await createFakeSlack();
    slack.register('chat.postMessage', () => slackError('channel_not_found'));
    const sender: DigestSender = createSlackSender({ token: 'xoxb-fake', apiUrl: slack.apiUrl, channelIntervalMs: 0 });
    expect(await failure(sender.send(slackPart(1, { mode: 'reply', ref: '1.000001' })))).toMatchObject({ kind: 'permanent' });
  });
});
