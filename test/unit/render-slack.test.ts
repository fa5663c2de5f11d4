/** The Slack renderer: Block Kit within Slack's limits, every piece of text escaped. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadArticleFile } from '../../src/articles/index.js';
import { createBriefing } from '../../src/briefing/index.js';
import { briefingButtons, briefingCard } from '../../src/commands/present.js';
import type { Reply, ReplyCard } from '../../src/reply/reply.js';
import { escapeSlack, renderSlack, renderSlackMessages, SLACK_LIMITS } from '../../src/platforms/slack/render.js';
import { validateSlackMessage } from '../fakes/slack-limits.js';
import { FIXTURES } from '../e2e/helpers/platform-context.js';

const LIVE = /<[!@#]|@(channel|here|everyone)\b/i;

function reply(cards: ReplyCard[], extra: Partial<Reply> = {}): Reply {
  return { ephemeral: false, cards, buttons: [], ...extra };
}

function texts(message: ReturnType<typeof renderSlack>): string[] {
  return [message.text, ...message.blocks.flatMap((b) => ('text' in b ? [b.text.text] : 'elements' in b ? b.elements.map((e) => ('action_id' in e ? e.text.text : e.text)) : []))];
}

describe('renderSlack', () => {
  it('fits a long full briefing within 50 blocks of at most 3,000 characters, buttons last', async () => {
    const b = createBriefing(await loadArticleFile(join(FIXTURES, 'city-rebuilds-140-bridges.md')));
    const message = renderSlack(reply([briefingCard(b, 'full')], { buttons: briefingButtons(b) }));
    expect(validateSlackMessage(message as never)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ action_id: `brief:figures:${b.id}` }, {}, {}] });
  });

  it('stops at 50 blocks with a pointer to the rest', () => {
    const sections = Array.from({ length: 80 }, (_, i) => ({ heading: `Part ${i}`, text: 'Something happened.' }));
    const message = renderSlack(reply([{ title: 'Huge', sections, more: '/brief huge length:full' }], { buttons: [{ id: 'brief:full:huge', label: 'Full briefing' }] }));
    expect(validateSlackMessage(message as never)).toEqual([]);
    expect(message.blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(message.blocks.at(-2)).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '… more: /brief huge length:full' } });
    expect(message.blocks.at(-1)!.type).toBe('actions');
  });

  it('splits long sections at line ends, each within 3,000 characters', () => {
    const items = Array.from({ length: 60 }, (_, i) => `Point ${i}: ${'detail '.repeat(12)}`);
    const message = renderSlack(reply([{ sections: [{ heading: 'Points', items }] }]));
    const sections = message.blocks.filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) expect('text' in s && s.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(texts(message).join('\n').match(/Point \d+:/g)).toHaveLength(60);
  });

  it('escapes &, < and > everywhere, so nothing forms a mention', () => {
    const card: ReplyCard = {
      title: 'Spam: <!channel> & <@U123>',
      description: 'They wrote <!here>, <!everyone> and <@&123>; @channel too.',
      sections: [{ heading: '<#C123|general>', items: ['<!subteam^S123>', 'a & b > c'] }],
      footer: '<@U999>',
    };
    const message = renderSlack(reply([card], { text: 'You asked for "<@U0TESTER|tester>"' }));
    for (const t of texts(message)) expect(t).not.toMatch(LIVE);
    expect(texts(message)).toContain('They wrote &lt;!here&gt;, &lt;!everyone&gt; and &lt;@&amp;123&gt;; @\u200bchannel too.');
    expect(escapeSlack('@here @Everyone @channels')).toBe('@\u200bhere @\u200bEveryone @channels');
  });

  it('links titles only to clean http(s) URLs, escaping & and keeping | out of the text', () => {
    const title = (url: string, t = 'A | B') => renderSlack(reply([{ title: t, url, sections: [] }])).blocks[0];
    expect(title('https://news.example.com/a?x=1&y=2')).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*<https://news.example.com/a?x=1&amp;y=2|A ¦ B>*' } });
    expect(title('https://news.example.com/a b')).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*A | B*' } });
    expect(title('javascript:alert(1)')).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*A | B*' } });
  });

  it('spreads digests over messages of at most 50 blocks, never splitting a card', () => {
    const cards = Array.from({ length: 30 }, (_, i) => ({ title: `Story ${i}`, description: 'What happened.', sections: [{ items: ['one', 'two'] }], footer: `id: s${i}` }));
    const messages = renderSlackMessages(cards, 'Morning digest');
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      expect(validateSlackMessage(m as never)).toEqual([]);
      // Every message starts a card (or the digest's heading) and ends one.
      expect(m.blocks.at(-1)!.type).toBe('context');
    }
    expect(messages.flatMap((m) => texts(m).filter((t) => /^\*Story \d+\*$/.test(t)))).toHaveLength(30);
  });
});
