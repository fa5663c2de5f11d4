/**
 * briefbot's Discord adapter, end to end: the real discord.js Client (started by
 * `startPlatforms`) against the fake Discord's gateway and REST. Every command, autocomplete and
 * the buttons round-trip; slow work is deferred inside the 3-second window; 429s and 500s from
 * Discord are retried and the reply still arrives.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands, textReply, type Command } from '../../src/commands/index.js';
import { DISCORD_LIMITS } from '../../src/platforms/discord/render.js';
import { discordRateLimited, type FakeInteraction } from '../fakes/fake-discord.js';
import { createPlatformTestContext, IDS, loadTestLibrary, type PlatformTestContext } from './helpers/platform-context.js';

const EPHEMERAL = 64;
type Embed = { title?: string; description?: string; fields?: Array<{ name: string; value: string }>; footer?: { text: string } };
type Data = { content?: string; embeds?: Embed[]; flags?: number; components?: Array<{ components: Array<{ custom_id: string; label: string }> }>; allowed_mentions?: unknown };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function answered(ix: FakeInteraction): Promise<Data> {
  const cb = await ix.waitForCallback({ accepted: true });
  expect(cb).toMatchObject({ type: 4, status: 204, late: false });
  return cb.data as Data;
}

function textOf(data: Data): string {
  const parts = [data.content ?? ''];
  for (const e of data.embeds ?? []) parts.push(e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? '');
  return parts.join('\n');
}

describe('Discord: every command round-trips through discord.js', () => {
  let ctx: PlatformTestContext;

  beforeAll(async () => {
    ctx = await createPlatformTestContext({ discord: true, library: await loadTestLibrary(12) });
  });
  afterAll(async () => {
    await ctx?.stop();
  });
  afterEach(() => {
    // Never a late first answer, never a limit broken.
    expect(ctx.discord!.callbacks.filter((c) => c.late)).toEqual([]);
    expect(ctx.discord!.violations).toEqual([]);
  });

  it('connects with only the Guilds intent and reports healthy', async () => {
    const identify = ctx.discord!.gatewayConnections[0]!.identify as { intents: number };
    expect(identify.intents).toBe(1); // GatewayIntentBits.Guilds
    const res = await fetch(`${ctx.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', platforms: { discord: { status: 'up', guilds: 1 } } });
  });

  it('/brief with no article briefs the latest, publicly, with three buttons', async () => {
    const data = await answered(ctx.discord!.sendCommand('brief'));
    expect(data.flags ?? 0).toBe(0);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    // `<!channel>` means nothing to Discord; `@everyone` is broken up so it cannot ping.
    expect(data.embeds![0]!.title).toBe('Forum bans @\u200beveryone pings after <!channel> spam wave hits 3,000 servers');
    const buttons = data.components![0]!.components;
    expect(buttons.map((b) => [b.label, b.custom_id])).toEqual([
      ['Key figures', `brief:figures:${IDS.mentions}`],
      ['Quotes', `brief:quotes:${IDS.mentions}`],
      ['Full briefing', `brief:full:${IDS.mentions}`],
    ]);
  });

  it('/brief article length:tldr and length:full', async () => {
    const tldr = await answered(ctx.discord!.sendCommand('brief', { article: 'central bank', length: 'tldr' }));
    expect(tldr.embeds![0]).toMatchObject({ title: 'Central bank holds rates at 4.5% as inflation cools to 2.9%' });
    expect(tldr.embeds![0]!.fields).toBeUndefined();
    const full = await answered(ctx.discord!.sendCommand('brief', { article: IDS.rates, length: 'full' }));
    const names = full.embeds![0]!.fields!.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['Key points', 'Key figures', 'Who said what']));
    expect(full.components).toEqual([]);
  });

  it('/brief of a long article stays within every embed limit and points to the rest', async () => {
    const data = await answered(ctx.discord!.sendCommand('brief', { article: IDS.bridges, length: 'full' }));
    const embed = data.embeds![0]!;
    const total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + embed.fields!.reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.total);
    expect(embed.fields!.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    expect(embed.fields!.every((f) => f.value.length <= DISCORD_LIMITS.fieldValue)).toBe(true);
    expect(embed.fields!.at(-1)).toMatchObject({ name: 'More', value: `Full briefing: /brief ${IDS.bridges} length:full` });
  });

  it('/brief of an unknown article answers privately, naming what was asked', async () => {
    const data = await answered(ctx.discord!.sendCommand('brief', { article: 'no such thing' }));
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toBe('No article matches "no such thing". Use /articles to see what is loaded.');
  });

  it('/quote with query, speaker and article', async () => {
    const data = await answered(ctx.discord!.sendCommand('quote', { query: 'inflation', speaker: 'Marsh', article: IDS.rates }));
    expect(data.flags ?? 0).toBe(0);
    expect(data.content).toBe('1 quote for "inflation"');
    expect(textOf(data)).toContain('“We are not declaring victory over inflation yet');
    expect(textOf(data)).toContain('Elena Marsh, Governor');
  });

  it('/articles pages through the library, privately', async () => {
    const first = await answered(ctx.discord!.sendCommand('articles'));
    expect(first.flags).toBe(EPHEMERAL);
    expect(first.content).toBe('15 articles');
    expect(first.embeds![0]!.footer!.text).toBe('Page 1 of 2 · next: /articles page:2');
    const second = await answered(ctx.discord!.sendCommand('articles', { page: 2 }));
    expect(second.embeds![0]!.footer!.text).toBe('Page 2 of 2');
    const filtered = await answered(ctx.discord!.sendCommand('articles', { query: 'bridges' }));
    expect(filtered.content).toBe('1 article matching "bridges"');
  });

  it('/digest now previews the next digest (a subcommand)', async () => {
    const data = await answered(ctx.discord!.sendCommand('digest', [{ name: 'now', type: 1, options: [] }]));
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toBe('The next digest would post 3 briefings:');
    expect(data.embeds).toHaveLength(3);
  });

  it('/help lists every command, and explains one', async () => {
    const all = await answered(ctx.discord!.sendCommand('help'));
    expect(all.flags).toBe(EPHEMERAL);
    expect(all.embeds![0]!.fields!.map((f) => f.name.split(':')[0])).toEqual(commands.map((c) => `/${c.name}`));
    const one = await answered(ctx.discord!.sendCommand('help', { command: 'quote' }));
    expect(one.embeds![0]!.title).toBe('/quote');
  });

  it('buttons under /brief answer privately: key figures, quotes, the full briefing', async () => {
    const figures = await answered(ctx.discord!.sendButton(`brief:figures:${IDS.rates}`));
    expect(figures.flags).toBe(EPHEMERAL);
    expect(figures.embeds![0]!.fields![0]).toMatchObject({ name: 'Key figures' });
    expect(figures.embeds![0]!.fields![0]!.value).toContain('4.5% rate');
    const quotes = await answered(ctx.discord!.sendButton(`brief:quotes:${IDS.rates}`));
    expect(quotes.flags).toBe(EPHEMERAL);
    expect(quotes.embeds![0]!.fields![0]!.name).toBe('Who said what');
    const full = await answered(ctx.discord!.sendButton(`brief:full:${IDS.rates}`));
    expect(full.flags).toBe(EPHEMERAL);
    expect(full.embeds![0]!.fields!.map((f) => f.name)).toContain('Names');
    const gone = await answered(ctx.discord!.sendButton('brief:figures:deleted-article'));
    expect(gone).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining('No article matches "deleted-article"') });
  });

  it('autocompletes articles by title words, at most 25 choices of at most 100 characters', async () => {
    const ix = ctx.discord!.sendAutocomplete('brief', { name: 'article', value: 'bank' });
    const cb = await ix.waitForCallback({ accepted: true });
    expect(cb).toMatchObject({ type: 8, late: false });
    expect(ix.choices).toEqual([{ name: 'Central bank holds rates at 4.5% as inflation cools to 2.9%', value: IDS.rates }]);

    const all = ctx.discord!.sendAutocomplete('quote', { name: 'article', value: '' }, { otherOptions: { query: 'x' } });
    await all.waitForCallback({ accepted: true });
    expect(all.choices!.length).toBe(15);
    const long = all.choices!.find((c) => c.value === IDS.bridges) as { name: string; value: string };
    expect(long.name.length).toBeLessThanOrEqual(100);
    expect(long.name.endsWith('…')).toBe(true);
  });

  it('autocompletes speakers, capped at 25 although 33 are known', async () => {
    const ix = ctx.discord!.sendAutocomplete('quote', { name: 'speaker', value: '' });
    await ix.waitForCallback({ accepted: true });
    expect(ix.choices).toHaveLength(25);
    const some = ctx.discord!.sendAutocomplete('quote', { name: 'speaker', value: 'nata' });
    await some.waitForCallback({ accepted: true });
    expect(some.choices).toEqual([{ name: 'Priya Natarajan', value: 'Priya Natarajan' }]);
    // Whatever is typed (Discord does not cap what it sends while typing) gets an answer, not an error.
    const junk = ctx.discord!.sendAutocomplete('quote', { name: 'speaker', value: 'x'.repeat(5000) });
    expect(await junk.waitForCallback()).toMatchObject({ type: 8, status: 204 });
    expect(junk.choices).toEqual([]);
  });

  it('counts commands by name and outcome, with a latency histogram, on /metrics', async () => {
    const text = await (await fetch(`${ctx.baseUrl}/metrics`)).text();
    expect(text).toMatch(/briefbot_commands_total\{platform="discord",command="brief",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/briefbot_commands_total\{platform="discord",command="brief",outcome="declined"\} 1/);
    expect(text).toMatch(/briefbot_commands_total\{platform="discord",command="autocomplete:quote",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/briefbot_command_duration_seconds_bucket\{le="0.1",platform="discord",command="brief"\} [1-9]/);
    expect(text).toContain('briefbot_platform_up{platform="discord"} 1');
  });

  it('keeps no users or members cached after answering them', async () => {
    for (let n = 0; n < 20; n++) {
      await answered(ctx.discord!.sendCommand('help', {}, { user: { id: String(300000000000000000n + BigInt(n)), username: `user${n}` } }));
    }
    const client = ctx.running.adapters.discord!.client;
    expect(client.users.cache.size).toBeLessThanOrEqual(1);
    expect(client.guilds.cache.first()!.members.cache.size).toBeLessThanOrEqual(1);
  });
});

describe('Discord: deadlines and faults', () => {
  let ctx: PlatformTestContext | undefined;
  afterEach(async () => {
    if (ctx) {
      expect(ctx.discord!.callbacks.filter((c) => c.late)).toEqual([]);
      await ctx.stop();
    }
    ctx = undefined;
  });

  /** A command that takes `ms` before answering, to make the adapter defer. */
  function slowCommand(ms: number, reply: () => ReturnType<typeof textReply>, ephemeral = false): Command {
    return {
      name: 'slow',
      description: 'Takes its time',
      usage: '/slow',
      ephemeral,
      options: [],
      run: async () => {
        await sleep(ms);
        return reply();
      },
    };
  }

  it('defers work that is not ready quickly, then edits the answer in after the window', async () => {
    ctx = await createPlatformTestContext({
      discord: { interactionWindowMs: 300 },
      commands: [slowCommand(450, () => textReply('done slowly', { ephemeral: false }))],
      adapters: { discord: { deferAfterMs: 100 } },
    });
    const ix = ctx.discord!.sendCommand('slow');
    expect(await ix.waitForCallback()).toMatchObject({ type: 5, status: 204, late: false });
    const edit = await ix.waitForEdit();
    expect(edit.elapsedMs).toBeGreaterThan(300);
    expect(ix.original).toMatchObject({ content: 'done slowly' });
    expect(ix.original!.flags & EPHEMERAL).toBe(0);
  });

  it('turns a public "thinking…" into a private answer when the slow work ends in an error', async () => {
    ctx = await createPlatformTestContext({
      discord: { interactionWindowMs: 300 },
      commands: [slowCommand(350, () => textReply('that went wrong', { error: true }))],
      adapters: { discord: { deferAfterMs: 100 } },
    });
    const ix = ctx.discord!.sendCommand('slow');
    expect(await ix.waitForCallback()).toMatchObject({ type: 5, late: false });
    const followUp = await ix.waitForFollowUp();
    expect(followUp).toMatchObject({ content: 'that went wrong', flags: EPHEMERAL });
    expect(ix.webhooks.map((w) => [w.method, w.messageId, w.status])).toEqual([
      ['DELETE', '@original', 204],
      ['POST', undefined, 200],
    ]);
  });

  it('refuses to start when the HTTP port is taken, saying so', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      await expect(createPlatformTestContext({ discord: true, config: { http: { port } } })).rejects.toThrow(`the HTTP listener could not start on 127.0.0.1:${port}: the port is in use (set PORT)`);
    } finally {
      busy.close();
    }
  });

  it('retries a 429 with retry-after on the reply, and the reply still arrives in time', async () => {
    ctx = await createPlatformTestContext({ discord: true });
    const script = ctx.discord!.register('POST', '/interactions/:id/:token/callback', ({ callCount }) => (callCount === 1 ? discordRateLimited(0.3) : undefined));
    const started = Date.now();
    const ix = ctx.discord!.sendCommand('brief', { article: IDS.rates });
    const cb = await ix.waitForCallback({ accepted: true });
    expect(cb).toMatchObject({ type: 4, status: 204, late: false });
    expect(cb.time - started).toBeGreaterThanOrEqual(300);
    expect(script.callCount).toBe(2);
    expect(ctx.discord!.requests.filter((r) => r.path.endsWith('/callback')).map((r) => r.status)).toEqual([429, 204]);
  });

  it('retries a 500 on the reply and on a deferred edit, and both arrive', async () => {
    ctx = await createPlatformTestContext({
      discord: { interactionWindowMs: 400 },
      commands: [slowCommand(250, () => textReply('edited in', { ephemeral: false })), ...commands],
      adapters: { discord: { deferAfterMs: 50 } },
    });
    ctx.discord!.register('POST', '/interactions/:id/:token/callback', ({ callCount }) => (callCount === 1 ? { status: 500, body: { message: 'oops', code: 0 } } : undefined));
    ctx.discord!.register('PATCH', '/webhooks/:app/:token/messages/:message', ({ callCount }) => (callCount === 1 ? { status: 502, body: 'bad gateway' } : undefined));
    const ix = ctx.discord!.sendCommand('slow');
    expect(await ix.waitForCallback({ accepted: true })).toMatchObject({ type: 5, late: false });
    await ix.waitForEdit();
    expect(ix.original).toMatchObject({ content: 'edited in' });
    const statuses = ctx.discord!.requests.filter((r) => r.path.includes(ix.id) || r.path.includes(ix.token)).map((r) => `${r.method} ${r.status}`);
    expect(statuses).toEqual(['POST 500', 'POST 204', 'PATCH 502', 'PATCH 200']);
  });
});
