import type { Reply, ReplyCard } from '../../reply/reply.js';
import { cutAtSentence, fitLines } from '../../render/cut.js';

/**
 * Replies as Slack Block Kit: a card's title, lead and sections become mrkdwn section blocks,
 * the footer a context block, buttons an actions block. Every piece of text is escaped (`&`,
 * `<`, `>`) so article text or user input can never form `<!channel>` or `<@U…>`; messages stay
 * within 50 blocks and 3,000 characters per section.
 */

export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  contextText: 2000,
  fallbackText: 3000,
  buttonText: 75,
  actionId: 255,
  buttons: 25,
} as const;

export type SlackBlock =
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> }
  | { type: 'divider' }
  | {
      type: 'actions';
      elements: Array<{ type: 'button'; text: { type: 'plain_text'; text: string }; action_id: string; value: string }>;
    };

export interface SlackMessage {
  /** Notification and accessibility fallback. */
  text: string;
  blocks: SlackBlock[];
}

/**
 * Slack's three control characters, escaped as its docs require, so nothing can form
 * `<!channel>` or `<@U…>`. A bare `@channel`, `@here` or `@everyone` only notifies when a message
 * is sent with `link_names`/`parse: full`, which briefbot never does; a zero-width space keeps
 * it inert even then.
 */
export function escapeSlack(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(channel|here|everyone)\b/gi, '@\u200b$1');
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function cardBlocks(card: ReplyCard, room: number): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  if (card.title) {
    const title = escapeSlack(cutAtSentence(card.title, 300));
    const url = card.url && /^https?:\/\/[^\s|<>]+$/.test(card.url) ? card.url : undefined;
    // `&` is a control character inside a link's URL too.
    blocks.push(section(url ? `*<${url.replace(/&/g, '&amp;')}|${title.replace(/\|/g, '¦')}>*` : `*${title}*`));
  }
  if (card.description) blocks.push(section(cutAtSentence(escapeSlack(card.description), SLACK_LIMITS.sectionText)));
  for (const s of card.sections) {
    const lines: string[] = [];
    if (s.heading) lines.push(`*${escapeSlack(s.heading)}*`);
    if (s.text) lines.push(escapeSlack(s.text));
    for (const item of s.items ?? []) lines.push(`• ${escapeSlack(item)}`);
    let rest = lines;
    while (rest.length > 0) {
      const { text, dropped } = fitLines(rest, SLACK_LIMITS.sectionText, () => '');
      blocks.push(section((dropped > 0 ? text.replace(/\n$/, '') : text) || ' '));
      rest = dropped > 0 ? rest.slice(rest.length - dropped) : [];
    }
  }
  if (card.footer) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: cutAtSentence(escapeSlack(card.footer), SLACK_LIMITS.contextText) }] });
  if (blocks.length > room) {
    const kept = blocks.slice(0, Math.max(0, room - 1));
    kept.push(section(`… more: ${escapeSlack(card.more ?? 'ask for the full briefing')}`));
    return kept;
  }
  return blocks;
}

function actions(reply: Reply): SlackBlock | undefined {
  if (reply.buttons.length === 0) return undefined;
  return {
    type: 'actions',
    elements: reply.buttons.slice(0, SLACK_LIMITS.buttons).map((b) => ({
      type: 'button',
      text: { type: 'plain_text', text: b.label.slice(0, SLACK_LIMITS.buttonText) },
      action_id: b.id.slice(0, SLACK_LIMITS.actionId),
      value: b.id.slice(0, 2000),
    })),
  };
}

function fallbackText(reply: Reply): string {
  const first = reply.cards[0];
  const raw = reply.text ?? [first?.title, first?.description].filter(Boolean).join(': ');
  return cutAtSentence(escapeSlack(raw || 'briefbot'), SLACK_LIMITS.fallbackText);
}

/** One reply as one Slack message. */
export function renderSlack(reply: Reply): SlackMessage {
  const blocks: SlackBlock[] = [];
  const buttons = actions(reply);
  const reserve = buttons ? 1 : 0;
  if (reply.text) blocks.push(section(cutAtSentence(escapeSlack(reply.text), SLACK_LIMITS.sectionText)));
  for (const card of reply.cards) {
    const room = SLACK_LIMITS.blocks - reserve - blocks.length - (blocks.length > 0 ? 1 : 0);
    if (room <= 1) break;
    if (blocks.length > 0) blocks.push({ type: 'divider' });
    blocks.push(...cardBlocks(card, room));
  }
  if (buttons) blocks.push(buttons);
  return { text: fallbackText(reply), blocks };
}

/** Cards spread over as many messages as needed, split between cards, never inside one (digests). */
export function renderSlackMessages(cards: ReplyCard[], text?: string): SlackMessage[] {
  const messages: SlackMessage[] = [];
  let blocks: SlackBlock[] = text ? [section(cutAtSentence(escapeSlack(text), SLACK_LIMITS.sectionText))] : [];
  let first = cards[0];
  const flush = (): void => {
    if (blocks.length === 0) return;
    const fallback = text && messages.length === 0 ? text : [first?.title, first?.description].filter(Boolean).join(': ');
    messages.push({ text: cutAtSentence(escapeSlack(fallback || 'briefbot digest'), SLACK_LIMITS.fallbackText), blocks });
    blocks = [];
  };
  for (const card of cards) {
    const own = cardBlocks(card, SLACK_LIMITS.blocks);
    const needed = own.length + (blocks.length > 0 ? 1 : 0);
    if (blocks.length > 0 && blocks.length + needed > SLACK_LIMITS.blocks) {
      flush();
      first = card;
    }
    if (blocks.length > 0) blocks.push({ type: 'divider' });
    blocks.push(...own);
  }
  flush();
  return messages;
}
