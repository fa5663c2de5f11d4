import type { LibraryEntry } from '../library/library.js';
import type { ReplyCard } from '../commands/reply.js';

/**
 * A digest: for each new briefing its title (linked when there is a URL), its TL;DR and its
 * top two key points. One card per briefing, so renderers split messages between items, never
 * inside one.
 */

export const DIGEST_KEY_POINTS = 2;

export function digestCard(entry: LibraryEntry): ReplyCard {
  const b = entry.briefing;
  // The top key points by rank are the first ones not repeating the TL;DR.
  const points = b.keyPoints.map((k) => k.text).filter((t) => t !== b.tldr).slice(0, DIGEST_KEY_POINTS);
  const card: ReplyCard = {
    title: b.title,
    description: b.tldr,
    sections: points.length > 0 ? [{ items: points }] : [],
    footer: `id: ${b.id}`,
    more: `/brief ${b.id}`,
  };
  if (b.byline.url) card.url = b.byline.url;
  return card;
}

export function digestCards(entries: LibraryEntry[]): ReplyCard[] {
  return entries.map(digestCard);
}
