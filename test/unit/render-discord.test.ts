/** The Discord renderer: replies within Discord's limits, cut at sentences, unable to mention or format. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadArticleFile } from '../../src/articles/index.js';
import { createBriefing } from '../../src/briefing/index.js';
import { briefingButtons, briefingCard } from '../../src/commands/present.js';
import type { Reply, ReplyCard } from '../../src/reply/reply.js';
import { DISCORD_LIMITS, embedLength, escapeDiscord, renderDiscord, renderDiscordMessages } from '../../src/platforms/discord/render.js';
import { validateMessage } from '../fakes/discord-limits.js';
import { FIXTURES } from '../e2e/helpers/platform-context.js';

const LIVE = /@(everyone|here)|<@[!&]?\d+>|<#\d+>/;

async function briefing(name: string) {
  return createBriefing(await loadArticleFile(join(FIXTURES, name)));
}

function reply(cards: ReplyCard[], extra: Partial<Reply> = {}): Reply {
  return { ephemeral: false, cards, buttons: [], ...extra };
}

describe('renderDiscord', () => {
  it('fits a long full briefing into one embed within every limit, with a pointer to the rest', async () => {
    const b = await briefing('city-rebuilds-140-bridges.md');
    const message = renderDiscord(reply([briefingCard(b, 'full')], { buttons: briefingButtons(b) }));
    expect(validateMessage(message)).toEqual([]);
    const embed = message.embeds[0]!;
    expect(embedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.total);
    expect(embed.fields!.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    expect(embed.fields!.at(-1)).toEqual({ name: 'More', value: `Full briefing: /brief ${b.id} length:full` });
    // Long sections continue in further fields instead of being cut off mid-list.
    expect(embed.fields!.map((f) => f.name)).toContain('Key figures (cont.)');
    expect(message.components[0]!.components.map((c) => c.custom_id)).toEqual([`brief:figures:${b.id}`, `brief:quotes:${b.id}`, `brief:full:${b.id}`]);
  });

  it('cuts an over-long description at a sentence end, with an ellipsis', () => {
    const sentence = 'The council met again on Monday to discuss the bridges. ';
    const message = renderDiscord(reply([{ title: 'Long', description: sentence.repeat(100), sections: [] }]));
    const description = message.embeds[0]!.description!;
    expect(description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(description).toMatch(/bridges\. …$/);
  });

  it('keeps a many-card reply to 10 embeds and 6,000 characters in all', () => {
    const cards = Array.from({ length: 14 }, (_, i) => ({ title: `Story ${i}`, description: 'A sentence that is long enough to matter here. '.repeat(20), sections: [] }));
    const message = renderDiscord(reply(cards));
    expect(validateMessage(message)).toEqual([]);
    expect(message.embeds.length).toBeLessThanOrEqual(10);
    expect(message.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.total);
    // Digests spread the same cards over several messages instead, never splitting a card.
    const messages = renderDiscordMessages(cards, 'Morning digest');
    expect(messages.flatMap((m) => m.embeds.map((e) => e.title))).toEqual(cards.map((c) => c.title));
    for (const m of messages) expect(validateMessage(m)).toEqual([]);
  });

  it('neutralises every mention and markdown in article text and echoed input', async () => {
    const b = await briefing('mentions-in-the-text.md');
    const message = renderDiscord(reply([briefingCard(b, 'full')], { text: 'You asked for "@everyone <@123> <@!456> <@&789> <#101>"' }));
    const json = JSON.stringify(message);
    expect(json).not.toMatch(LIVE);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(message.content).toBe('You asked for "@\u200beveryone <\u200b@123> <\u200b@!456> <\u200b@&789> <\u200b#101>"');
    expect(escapeDiscord('**bold** [link](https://evil.example) ||spoiler|| # heading')).toBe('\\*\\*bold\\*\\* [link]\u200b(https://evil.example) \\|\\|spoiler\\|\\| # heading');
    expect(escapeDiscord('# heading\n> quote\n-# small')).toBe('\\# heading\n\\> quote\n\\-# small');
  });

  it('sends only well-formed http(s) links', () => {
    const url = (u: string) => renderDiscord(reply([{ title: 't', url: u, sections: [] }])).embeds[0]!.url;
    expect(url('https://news.example.com/a story?x=1&y=2')).toBe('https://news.example.com/a%20story?x=1&y=2');
    expect(url('javascript:alert(1)')).toBeUndefined();
    expect(url('not a url')).toBeUndefined();
  });

  it('never sends an empty message', () => {
    expect(renderDiscord(reply([]))).toMatchObject({ content: '\u200b', embeds: [] });
  });
});
