import { keyPointsBesideTldr } from '../briefing/index.js';
import type { Library, LibraryEntry } from '../library/library.js';
import { sortNewestFirst } from '../library/library.js';
import { OPINION_NOTE, type ReplyCard } from '../reply/reply.js';
import { formatLocal } from './zoned-time.js';

/**
 * A digest: for each new briefing its title (linked when there is a URL), its TL;DR and its
 * top two key points. One card per briefing, so renderers split messages between items, never
 * inside one.
 */

export const DIGEST_KEY_POINTS = 2;

export function digestCard(entry: LibraryEntry): ReplyCard {
  const b = entry.briefing;
  // The top key points by rank are the first ones not repeating the TL;DR.
  const points = keyPointsBesideTldr(b).map((k) => k.text).slice(0, DIGEST_KEY_POINTS);
  const card: ReplyCard = {
    title: b.title,
    description: b.tldr,
    sections: [...(b.genre === 'opinion' ? [{ text: OPINION_NOTE }] : []), ...(points.length > 0 ? [{ items: points }] : [])],
    footer: `id: ${b.id}`,
    more: `/brief ${b.id}`,
  };
  if (b.byline.url) card.url = b.byline.url;
  return card;
}

export function digestCards(entries: LibraryEntry[]): ReplyCard[] {
  return entries.map(digestCard);
}

/** What goes into one subscription's digest, chosen from the library. */
export interface DigestSelection {
  /** Newest first, at most `maxItems`. */
  entries: LibraryEntry[];
  /** New briefings left out by the cap (the digest says how many). */
  left: number;
  /** The library position this digest covers up to; the next one starts after it. */
  throughPosition: number;
  /** No digest has gone out before: the back catalogue is limited to the backfill. */
  first: boolean;
}

export interface SelectOptions {
  /** Where the previous digest stopped; undefined for a subscription's first digest. */
  cursor: number | undefined;
  /** The library position when the subscription began. */
  startPosition: number;
  /** How many of the most recent briefings from before the subscription the first digest carries. */
  backfill: number;
  maxItems: number;
}

/**
 * The briefings ingested since the last digest; for a first digest, those ingested since the
 * subscription began plus the `backfill` most recent ones from before, so a new subscription
 * never floods the channel with the back catalogue.
 */
export async function selectDigest(library: Library, options: SelectOptions): Promise<DigestSelection> {
  const first = options.cursor === undefined;
  const since = await library.addedSince(first ? options.startPosition : options.cursor!);
  const chosen = new Map(since.items.map((e) => [e.briefing.id, e]));
  if (first && options.backfill > 0) {
    for (const e of (await library.list({ limit: options.backfill })).items) if (!chosen.has(e.briefing.id)) chosen.set(e.briefing.id, e);
  }
  const all = [...chosen.values()].sort(sortNewestFirst);
  const max = Math.max(1, options.maxItems);
  return { entries: all.slice(0, max), left: Math.max(0, all.length - max), throughPosition: since.position, first };
}

/** A digest ready to render: a line of text and the cards. */
export interface DigestContent {
  text: string;
  cards: ReplyCard[];
  /** Briefings, or stories (and one-line quiet stories) for a story digest. */
  items: number;
  /** A story digest: its items are stories. */
  stories?: true;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface ComposeOptions {
  /** The previous digest's slot, for "since …". */
  since?: string;
  timezone: string;
}

export function composeDigest(selection: DigestSelection, options: ComposeOptions): DigestContent {
  const n = selection.entries.length;
  let text = selection.first
    ? `Your first briefbot digest: ${n === 1 ? 'the latest briefing' : `the latest ${n} briefings`}.`
    : `briefbot digest: ${plural(n, 'new briefing')}${options.since ? ` since ${formatLocal(options.since, options.timezone)}` : ''}.`;
  if (selection.left > 0) text += ` ${selection.left} more in /articles.`;
  return { text, cards: digestCards(selection.entries), items: n };
}

/** The one-line digest of the "note" policy when nothing is new. */
export function nothingNewNote(options: ComposeOptions): DigestContent {
  const since = options.since ? ` since the last digest (${formatLocal(options.since, options.timezone)})` : '';
  return { text: `briefbot digest: nothing new${since}.`, cards: [], items: 0 };
}

/**
 * What a subscription's first digest would carry if it began now: the backfill, no more than
 * `maxItems`. `/digest now` shows it where no digest is set up, and where none can be (the
 * console, which has no store): one preview, whether or not a scheduler runs.
 */
export async function firstDigest(library: Library, settings: { backfill: number; maxItems: number }): Promise<DigestContent | undefined> {
  const selection = await firstSelection(library, settings);
  return selection.entries.length > 0 ? composeDigest(selection, { timezone: 'UTC' }) : undefined;
}

/** What a subscription starting now would get first: the latest briefings, up to the backfill. */
export async function firstSelection(library: Library, settings: { backfill: number; maxItems: number }): Promise<DigestSelection> {
  return selectDigest(library, { cursor: undefined, startPosition: await library.position, backfill: settings.backfill, maxItems: settings.maxItems });
}
