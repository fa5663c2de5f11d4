import type { Reply, ReplyCard } from '../../reply/reply.js';
import { cutAtSentence, fitLines } from '../../render/cut.js';

/**
 * Replies as Discord messages: cards become embeds, sections become fields, buttons an action
 * row; everything cut to Discord's limits at sentence boundaries with a pointer to the full
 * briefing, and every piece of text escaped so it can neither format nor mention.
 */

export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  total: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
} as const;

export interface DiscordEmbed {
  title?: string;
  url?: string;
  description?: string;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  footer?: { text: string };
  color?: number;
}

export interface DiscordButtonRow {
  type: 1;
  components: Array<{ type: 2; style: 2; label: string; custom_id: string }>;
}

export interface DiscordMessage {
  content?: string;
  embeds: DiscordEmbed[];
  components: DiscordButtonRow[];
  /** Nobody is ever pinged by what briefbot posts. */
  allowed_mentions: { parse: [] };
}

const BRAND_COLOR = 0x2b6cb0;
const ZWSP = '\u200b';

/** Neutralises mentions and markdown in text from articles or users. */
export function escapeDiscord(text: string): string {
  return text
    .replace(/[\\*_~`|]/g, (c) => `\\${c}`)
    .replace(/^(\s*)(>|#{1,3}\s|-#\s)/gm, (_m, space: string, mark: string) => `${space}\\${mark}`)
    .replace(/@(everyone|here)/gi, `@${ZWSP}$1`)
    .replace(/<(@[!&]?|#|\/|a?:)/g, `<${ZWSP}$1`)
    .replace(/\]\(/g, `]${ZWSP}(`);
}

/**
 * An embed URL Discord accepts: http(s) and well formed (a space or a stray character makes it
 * refuse the whole reply with 50035), so anything else is left out rather than sent.
 */
function linkUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw.trim());
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.href.length <= 2048 ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function embedLength(e: DiscordEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

function sectionFields(card: ReplyCard): Array<{ name: string; value: string }> {
  const fields: Array<{ name: string; value: string }> = [];
  for (const section of card.sections) {
    const name = cutAtSentence(escapeDiscord(section.heading ?? ZWSP), DISCORD_LIMITS.fieldName);
    const lines: string[] = [];
    if (section.text) lines.push(escapeDiscord(section.text));
    for (const item of section.items ?? []) lines.push(`• ${escapeDiscord(item)}`);
    // Long sections continue in further fields rather than being cut.
    let rest = lines;
    let first = true;
    while (rest.length > 0) {
      const { text, dropped } = fitLines(rest, DISCORD_LIMITS.fieldValue, () => '');
      const kept = dropped > 0 ? text.replace(/\n$/, '') : text;
      fields.push({ name: first ? name : cutAtSentence(`${name} (cont.)`, DISCORD_LIMITS.fieldName), value: kept || ZWSP });
      rest = dropped > 0 ? rest.slice(rest.length - dropped) : [];
      first = false;
    }
  }
  return fields;
}

export function cardToEmbed(card: ReplyCard): DiscordEmbed {
  const embed: DiscordEmbed = { color: BRAND_COLOR };
  if (card.title) embed.title = cutAtSentence(escapeDiscord(card.title), DISCORD_LIMITS.title);
  const url = linkUrl(card.url);
  if (url) embed.url = url;
  if (card.description) embed.description = cutAtSentence(escapeDiscord(card.description), DISCORD_LIMITS.description);
  const fields = sectionFields(card);
  if (fields.length > 0) embed.fields = fields;
  if (card.footer) embed.footer = { text: cutAtSentence(card.footer, DISCORD_LIMITS.footer) };
  return shrinkEmbed(embed, DISCORD_LIMITS.total, card.more);
}

/** Drops trailing fields (and then cuts the description) until the embed fits `budget`. */
function shrinkEmbed(embed: DiscordEmbed, budget: number, more?: string): DiscordEmbed {
  const pointer = more ? { name: 'More', value: `Full briefing: ${escapeDiscord(more)}` } : undefined;
  let fields = embed.fields ?? [];
  let overflow = fields.length > DISCORD_LIMITS.fields;
  if (overflow) fields = fields.slice(0, DISCORD_LIMITS.fields - 1);
  const build = (): DiscordEmbed => {
    const e: DiscordEmbed = { ...embed };
    const all = overflow && pointer ? [...fields, pointer] : fields;
    if (all.length > 0) e.fields = all;
    else delete e.fields;
    return e;
  };
  let result = build();
  while (embedLength(result) > budget && fields.length > 0) {
    fields = fields.slice(0, -1);
    overflow = true;
    result = build();
  }
  if (embedLength(result) > budget && result.description) {
    const room = Math.max(1, result.description.length - (embedLength(result) - budget));
    result.description = cutAtSentence(result.description, room);
  }
  return result;
}

function buttonRows(reply: Reply): DiscordButtonRow[] {
  if (reply.buttons.length === 0) return [];
  const rows: DiscordButtonRow[] = [];
  for (let i = 0; i < reply.buttons.length && rows.length < 5; i += DISCORD_LIMITS.buttonsPerRow) {
    rows.push({
      type: 1,
      components: reply.buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow).map((b) => ({
        type: 2,
        style: 2,
        label: b.label.slice(0, DISCORD_LIMITS.buttonLabel),
        custom_id: b.id.slice(0, DISCORD_LIMITS.customId),
      })),
    });
  }
  return rows;
}

/** One reply as one Discord message (interaction replies cannot be split). */
export function renderDiscord(reply: Reply): DiscordMessage {
  const message: DiscordMessage = { embeds: [], components: buttonRows(reply), allowed_mentions: { parse: [] } };
  if (reply.text) message.content = cutAtSentence(escapeDiscord(reply.text), DISCORD_LIMITS.content);
  let budget: number = DISCORD_LIMITS.total;
  for (const card of reply.cards.slice(0, DISCORD_LIMITS.embeds)) {
    if (budget <= 50) break;
    const embed = shrinkEmbed(cardToEmbed(card), budget, card.more);
    budget -= embedLength(embed);
    message.embeds.push(embed);
  }
  if (!message.content && message.embeds.length === 0) message.content = ZWSP;
  return message;
}

/**
 * Cards spread over as many messages as the limits need, splitting between cards and never
 * inside one (digests).
 */
export function renderDiscordMessages(cards: ReplyCard[], text?: string): DiscordMessage[] {
  const messages: DiscordMessage[] = [];
  let current: DiscordMessage = { embeds: [], components: [], allowed_mentions: { parse: [] } };
  if (text) current.content = cutAtSentence(escapeDiscord(text), DISCORD_LIMITS.content);
  let used = 0;
  for (const card of cards) {
    const embed = cardToEmbed(card);
    const size = embedLength(embed);
    if (current.embeds.length > 0 && (current.embeds.length >= DISCORD_LIMITS.embeds || used + size > DISCORD_LIMITS.total)) {
      messages.push(current);
      current = { embeds: [], components: [], allowed_mentions: { parse: [] } };
      used = 0;
    }
    current.embeds.push(embed);
    used += size;
  }
  if (current.embeds.length > 0 || current.content) messages.push(current);
  return messages;
}

export { embedLength };
