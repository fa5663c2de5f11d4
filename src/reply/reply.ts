/**
 * The reply model every command returns: plain text in cards and sections, never platform
 * markup. Renderers turn it into terminal text, Discord embeds or Slack blocks, escaping and
 * cutting to each platform's limits there. It is its own module, not part of commands/, because
 * commands and digests both produce it and the renderers consume it: none of them need the others.
 */

export interface ReplySection {
  heading?: string;
  /** A paragraph of plain text. */
  text?: string;
  /** A bullet list of plain-text items. */
  items?: string[];
}

export interface ReplyCard {
  title?: string;
  url?: string;
  /** The card's lead text (a briefing's TL;DR). */
  description?: string;
  sections: ReplySection[];
  footer?: string;
  /** Where to read the whole thing when a platform makes the renderer cut it short. */
  more?: string;
}

export interface ReplyButton {
  /** `<command>:<action>:<argument>`, routed to an ActionHandler. */
  id: string;
  label: string;
  /**
   * The command, without its prefix, that shows the same where there are no buttons (a terminal):
   * "story kovac-keeps figures". Without it, the terminal points at the full briefing.
   */
  typed?: string;
}

export interface Reply {
  ephemeral: boolean;
  /** A short message shown above any cards. */
  text?: string;
  cards: ReplyCard[];
  buttons: ReplyButton[];
  /** The reply reports a problem (usage, not found, not allowed). */
  error?: boolean;
}

export function textReply(text: string, options: { ephemeral?: boolean; error?: boolean } = {}): Reply {
  return { ephemeral: options.ephemeral ?? true, text, cards: [], buttons: [], error: options.error ?? false };
}

export function errorReply(text: string): Reply {
  return textReply(text, { ephemeral: true, error: true });
}

/** Said first on the card of an article the outlet files as opinion (a briefing's `genre`), at every length and in digests. */
export const OPINION_NOTE = "Opinion: the outlet files this as opinion, so the TL;DR and key points are the writer's argument, not reported fact.";
