/**
 * /story and /quote's versions across outlets through the real adapters against the fake Discord
 * and the fake Slack (HTTP mode): the border story written for the tests (three outlets, a dropped
 * "not", two troop figures at one time) answers as one card with its buttons, the buttons bring
 * the disagreement and the flagged quote, and /quote shows the versions as one item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoryBook } from '../../src/stories/story-book.js';
import type { FakeInteraction } from '../fakes/fake-discord.js';
import type { ResponseUrlPost } from '../fakes/fake-slack.js';
import { BORDER, borderLibrary } from '../commands/border-story.js';
import { createPlatformTestContext, type PlatformTestContext } from './helpers/platform-context.js';

const STORY = BORDER.herald;
const TITLE = 'Kovac keeps troops on northern border as Zagreb talks collapse';

type Embed = { title?: string; description?: string; fields?: Array<{ name: string; value: string }>; footer?: { text: string } };
type Data = { content?: string; embeds?: Embed[]; flags?: number; components?: Array<{ components: Array<{ custom_id: string; label: string }> }> };
type Block = { type: string; text?: { text: string }; elements?: Array<{ type: string; action_id?: string; text?: { text: string } | string }> };
type Body = { response_type?: string; text?: string; blocks?: Block[] };

function discordText(data: Data): string {
  const parts = [data.content ?? ''];
  for (const e of data.embeds ?? []) parts.push(e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? '');
  return parts.join('\n');
}

function slackText(body: Body): string {
  return [body.text ?? '', ...(body.blocks ?? []).map((b) => b.text?.text ?? (b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? ''))).join(' '))].join('\n');
}

async function answered(ix: FakeInteraction): Promise<Data> {
  const cb = await ix.waitForCallback({ accepted: true });
  expect(cb).toMatchObject({ type: 4, late: false });
  return cb.data as Data;
}

describe('/story and /quote across outlets on Discord and Slack', () => {
  let ctx: PlatformTestContext;

  beforeAll(async () => {
    const library = await borderLibrary();
    ctx = await createPlatformTestContext({ discord: true, slack: 'http', library, stories: createStoryBook({ library }) });
  });
  afterAll(async () => {
    await ctx?.stop();
  });

  it('Discord: /story is one embed with three buttons; the buttons bring the disagreement and the flagged quote; /quote groups the versions', async () => {
    const story = await answered(ctx.discord!.sendCommand('story'));
    expect(story.flags ?? 0).toBe(0);
    expect(story.embeds).toHaveLength(1);
    expect(story.embeds![0]!.title).toBe(TITLE);
    expect(discordText(story)).toContain('Carried by 3 outlets: Harbour Times, Valley Post, Daily Courier.');
    expect(story.components![0]!.components.map((b) => b.custom_id)).toEqual([`story:figures:${STORY}`, `story:quotes:${STORY}`, `story:coverage:${STORY}`]);

    const figures = await answered(ctx.discord!.sendButton(`story:figures:${STORY}`));
    expect(figures.flags).toBe(64);
    expect(figures.embeds![0]!.fields![0]).toMatchObject({ name: 'troops: outlets disagree' });
    expect(figures.embeds![0]!.fields![0]!.value).toContain('10,000 (Army officials, Harbour Times) vs 12,000 (Ivan Horvat, Valley Post)');

    const quotes = await answered(ctx.discord!.sendButton(`story:quotes:${STORY}`));
    expect(discordText(quotes)).toContain('Daily Courier differs (negation dropped)');

    const quote = await answered(ctx.discord!.sendCommand('quote', { query: 'withdraw soldiers' }));
    expect(quote.content).toBe('1 quote for "withdraw soldiers"');
    expect(discordText(quote)).toContain('— Maria Kovac, Defence Minister (Harbour Times, Valley Post; Daily Courier differs: negation dropped)');
    expect(ctx.discord!.violations).toEqual([]);
  });

  it('Discord: autocompletes /story with the latest stories, or those whose titles hold the words typed', async () => {
    const all = ctx.discord!.sendAutocomplete('story', { name: 'story', value: '' });
    expect(await all.waitForCallback({ accepted: true })).toMatchObject({ type: 8, late: false });
    // Every story, the latest first: the border story (its last report is the newest), then the orchard festival.
    expect(all.choices).toEqual([
      { name: TITLE, value: STORY },
      { name: 'Orchard festival draws record crowds to Lindenfeld', value: 'orchard-festival-draws-record-crowds-to-lindenfeld' },
    ]);
    const typed = ctx.discord!.sendAutocomplete('story', { name: 'story', value: 'zagr' });
    await typed.waitForCallback({ accepted: true });
    expect(typed.choices).toEqual([{ name: TITLE, value: STORY }]);
    // A last word still being typed ("t" of "talks") does not empty the list.
    const midWord = ctx.discord!.sendAutocomplete('story', { name: 'story', value: 'zagreb t' });
    await midWord.waitForCallback({ accepted: true });
    expect(midWord.choices).toEqual([{ name: TITLE, value: STORY }]);
    const none = ctx.discord!.sendAutocomplete('story', { name: 'story', value: 'volcano' });
    await none.waitForCallback({ accepted: true });
    expect(none.choices).toEqual([]);
    // The choice's value is what /story takes.
    const story = await answered(ctx.discord!.sendCommand('story', { story: STORY }));
    expect(story.embeds![0]!.title).toBe(TITLE);
  });

  it('Slack: /story posts one card with three buttons; the buttons answer privately; /quote groups the versions', async () => {
    const res = await ctx.slash('/story', 'zagreb talks');
    expect(res.status).toBe(200);
    const post: ResponseUrlPost = await res.response.waitForPost();
    const body = post.body as Body;
    expect(body.response_type).toBe('in_channel');
    expect(body.blocks![0]!.text!.text).toBe(`*${TITLE}*`);
    expect(body.blocks!.at(-1)!.elements!.map((e) => e.action_id)).toEqual([`story:figures:${STORY}`, `story:quotes:${STORY}`, `story:coverage:${STORY}`]);

    const figures = await ctx.slackButton(`story:figures:${STORY}`);
    const figuresBody = (await figures.response.waitForPost()).body as Body;
    expect(figuresBody.response_type).toBe('ephemeral');
    expect(slackText(figuresBody)).toContain('*troops: outlets disagree*');
    expect(slackText(figuresBody)).toContain('12,000 — Ivan Horvat in Valley Post');

    const quotes = await ctx.slackButton(`story:quotes:${STORY}`);
    expect(slackText((await quotes.response.waitForPost()).body as Body)).toContain('Daily Courier differs (negation dropped)');

    const quote = await ctx.slash('/quote', 'withdraw soldiers');
    const quoteBody = (await quote.response.waitForPost()).body as Body;
    expect(quoteBody.text).toBe('1 quote for "withdraw soldiers"');
    expect(slackText(quoteBody)).toContain('(Harbour Times, Valley Post; Daily Courier differs: negation dropped)');
    expect(ctx.slack!.violations).toEqual([]);
  });
});
