import type { Reply, ReplyCard } from '../reply/reply.js';

/**
 * Replies as terminal text, for the console chat and the command line. No length limits apply
 * here, so nothing is cut.
 */

function renderCard(card: ReplyCard): string[] {
  const lines: string[] = [];
  if (card.title) lines.push(card.title.toUpperCase() === card.title ? card.title : `# ${card.title}`);
  if (card.url) lines.push(card.url);
  if (card.description) lines.push('', `TL;DR: ${card.description}`);
  for (const section of card.sections) {
    lines.push('');
    if (section.heading) lines.push(/[.:!?]$/.test(section.heading) ? section.heading : `${section.heading}:`);
    if (section.text) lines.push(section.text);
    for (const item of section.items ?? []) lines.push(`  • ${item}`);
  }
  if (card.footer) lines.push('', `(${card.footer})`);
  return lines;
}

export interface TextOptions {
  /** How a reader here types a command: `/` in the console chat (the default), `briefbot ` in a shell. */
  commandPrefix?: string;
}

export function renderText(reply: Reply, options: TextOptions = {}): string {
  const blocks: string[] = [];
  if (reply.text) blocks.push(reply.error ? `! ${reply.text}` : reply.text);
  for (const card of reply.cards) blocks.push(renderCard(card).join('\n').replace(/^\n+/, ''));
  if (reply.buttons.length > 0) {
    // No buttons in a terminal: say what they would show and how to ask for it.
    const prefix = options.commandPrefix ?? '/';
    if (reply.buttons.every((b) => b.typed)) {
      blocks.push(`More: ${reply.buttons.map((b) => `${b.label}: ${prefix}${b.typed}`).join(' · ')}`);
    } else {
      const id = reply.buttons[0]!.id.split(':').slice(2).join(':');
      blocks.push(`More: ${reply.buttons.map((b) => b.label).join(', ')}: ${prefix}brief ${id} full`);
    }
  }
  return blocks.join('\n\n');
}
