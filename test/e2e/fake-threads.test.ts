/**
 * The stand-ins' threads, as the real clients see them (discord.js's REST client, Slack's Web API
 * client): what test/fakes/README.md promises under "Threads", so a sender test built on them
 * stands on Discord's and Slack's behaviour, not on a fake's convenience.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordAPIError, RateLimitError, REST, Routes } from 'discord.js';
import { webApi } from '@slack/bolt';
import { createFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { createFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';

let discord: FakeDiscord | undefined;
let slack: FakeSlack | undefined;
afterEach(async () => {
  await discord?.stop();
  discord = undefined;
  await slack?.stop();
  slack = undefined;
});

/** The Discord error code a request ends with (429 for a rate limit), or 'ok'. */
async function codeOf(request: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await request;
    return 'ok';
  } catch (error) {
    if (error instanceof RateLimitError) return 429;
    if (error instanceof DiscordAPIError) return Number(error.code);
    throw error;
  }
}

/** The Slack error a call ends with, or 'ok'. */
async function slackErrorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    return (error as { data?: { error?: string } }).data?.error ?? String(error);
  }
}

describe('fake Discord: threads started from messages', () => {
  it('starts a thread whose id is the message id, validates its name, and refuses a second one with 160004', async () => {
    discord = await createFakeDiscord();
    const channel = discord.guilds[0]!.channels[0]!.id;
    const rest = new REST({ api: discord.apiUrl, version: '10', retries: 0 }).setToken('fake');
    const message = (await rest.post(Routes.channelMessages(channel), { body: { content: 'story' } })) as { id: string };

    expect(await codeOf(rest.post(Routes.threads(channel, message.id), { body: { name: '' } }))).toBe(50035);
    expect(await codeOf(rest.post(Routes.threads(channel, message.id), { body: { name: 'x'.repeat(101) } }))).toBe(50035);
    expect(await codeOf(rest.post(Routes.threads(channel, message.id), { body: { name: 'ok', auto_archive_duration: 99 } }))).toBe(50035);
    expect(await codeOf(rest.post(Routes.threads(channel, '1'), { body: { name: 'ok' } }))).toBe(10008);
    expect(discord.violations.map((v) => v.problems[0]!.path[0])).toEqual(['name', 'name', 'auto_archive_duration']);

    const thread = (await rest.post(Routes.threads(channel, message.id), { body: { name: 'x'.repeat(100), auto_archive_duration: 10080 } })) as Record<string, unknown>;
    expect(thread).toMatchObject({ id: message.id, type: 11, parent_id: channel, thread_metadata: { archived: false, locked: false, auto_archive_duration: 10080 } });
    expect(await codeOf(rest.post(Routes.threads(channel, message.id), { body: { name: 'again' } }))).toBe(160004);
    // A thread is a channel: it can be read, and posted to.
    expect(await rest.get(Routes.channel(message.id))).toMatchObject({ id: message.id, parent_id: channel });
    const reply = (await rest.post(Routes.channelMessages(message.id), { body: { content: 'in the thread' } })) as { id: string; channel_id: string };
    expect(reply.channel_id).toBe(message.id);
    expect(discord.threadMessages(message.id).map((m) => m.id)).toEqual([reply.id]);
    // Not from a thread's message: a thread cannot hold a thread.
    expect(await codeOf(rest.post(Routes.threads(message.id, reply.id), { body: { name: 'nested' } }))).toBe(50024);
  });

  it('keeps nonces and channel limits in threads; a deleted thread is 10003, a locked one 50083, an archived one reopens', async () => {
    discord = await createFakeDiscord({ rateLimits: { channelMessages: 2, channelWindowMs: 60_000 } });
    const channel = discord.guilds[0]!.channels[0]!.id;
    let rest = new REST({ api: discord.apiUrl, version: '10', retries: 0, rejectOnRateLimit: () => true }).setToken('fake');
    const message = (await rest.post(Routes.channelMessages(channel), { body: { content: 'story' } })) as { id: string };
    await rest.post(Routes.threads(channel, message.id), { body: { name: 'story' } });

    const body = { content: 'once', nonce: 'n-1', enforce_nonce: true };
    const first = (await rest.post(Routes.channelMessages(message.id), { body })) as { id: string };
    const again = (await rest.post(Routes.channelMessages(message.id), { body })) as { id: string };
    expect(again.id).toBe(first.id);
    expect(discord.nonceHits).toHaveLength(1);
    // The thread has a message bucket of its own: spent by its two posts, while the channel's has room.
    expect(await codeOf(rest.post(Routes.channelMessages(message.id), { body: { content: 'third' } }))).toBe(429);
    expect(discord.threadMessages(message.id)).toHaveLength(1);
    expect(await codeOf(rest.post(Routes.channelMessages(channel), { body: { content: 'in the channel' } }))).toBe('ok');

    discord.setRateLimits(false);
    // A new client: the old one remembers the thread's bucket as spent for the window's minute.
    rest = new REST({ api: discord.apiUrl, version: '10', retries: 0 }).setToken('fake');
    discord.archiveThread(message.id);
    expect(await codeOf(rest.post(Routes.channelMessages(message.id), { body: { content: 'reopens' } }))).toBe('ok');
    expect(discord.threads[0]!.archived).toBe(false);
    discord.archiveThread(message.id, { locked: true });
    expect(await codeOf(rest.post(Routes.channelMessages(message.id), { body: { content: 'locked' } }))).toBe(50083);
    discord.deleteThread(message.id);
    expect(await codeOf(rest.post(Routes.channelMessages(message.id), { body: { content: 'gone' } }))).toBe(10003);
    expect(discord.threads).toEqual([]);
  });
});

describe('fake Slack: threads', () => {
  it('posts a reply only under a message of the channel; the history lists parents, not replies; conversations.replies pages the thread', async () => {
    slack = await createFakeSlack();
    const client = new webApi.WebClient('xoxb-fake', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
    const metadata = { event_type: 'briefbot_digest', event_payload: { key: 'k', part: 1 } };
    const parent = await client.chat.postMessage({ channel: 'C0NEWS', text: 'story' });
    expect(await slackErrorOf(client.chat.postMessage({ channel: 'C0NEWS', text: 'x', thread_ts: '1.000001' }))).toBe('thread_not_found');
    expect(await slackErrorOf(client.chat.postMessage({ channel: 'C0OTHER', text: 'x', thread_ts: parent.ts! }))).toBe('thread_not_found');
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await client.chat.postMessage({ channel: 'C0NEWS', text: `r${i}`, thread_ts: parent.ts!, metadata }));
    await client.chat.postMessage({ channel: 'C0NEWS', text: 'shown', thread_ts: parent.ts!, reply_broadcast: true });

    const history = await client.conversations.history({ channel: 'C0NEWS' });
    expect(history.messages!.map((m) => m.text)).toEqual(['shown', 'story']);
    expect(history.messages![1]).toMatchObject({ ts: parent.ts, thread_ts: parent.ts, reply_count: 4 });

    const page1 = await client.conversations.replies({ channel: 'C0NEWS', ts: parent.ts!, limit: 2, include_all_metadata: true });
    expect(page1.messages!.map((m) => m.text)).toEqual(['story', 'r0']);
    expect(page1.messages![1]!.metadata).toMatchObject(metadata);
    expect(page1.has_more).toBe(true);
    const page2 = await client.conversations.replies({ channel: 'C0NEWS', ts: parent.ts!, limit: 2, cursor: page1.response_metadata!.next_cursor! });
    expect(page2.messages!.map((m) => [m.text, m.metadata])).toEqual([
      ['r1', undefined],
      ['r2', undefined],
    ]);
    expect(slack.threadReplies('C0NEWS', parent.ts!).map((m) => m.ts)).toEqual([...replies.map((r) => r.ts), slack.messages.at(-1)!.ts]);

    slack.deleteMessage('C0NEWS', parent.ts!);
    expect(await slackErrorOf(client.conversations.replies({ channel: 'C0NEWS', ts: parent.ts! }))).toBe('thread_not_found');
    expect(await slackErrorOf(client.chat.postMessage({ channel: 'C0NEWS', text: 'x', thread_ts: parent.ts! }))).toBe('thread_not_found');
    expect(slack.threadReplies('C0NEWS', parent.ts!)).toHaveLength(4);
  });
});
