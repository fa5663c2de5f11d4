import type { Block } from '../../articles/index.js';
import { isFragment, isSentenceLike, junkOf } from './block-rules.js';
import { normaliseText, type PageBlock } from './dom.js';

/**
 * The last pass over Readability's blocks: furniture that the markup did not name is recognised
 * by its words (block-rules.ts), by repetition (a gallery's captions, a share bar under every
 * picture) and by where it sits (labels and names before the first sentence or after the last).
 */

export interface BlockContext {
  title?: string;
  standfirst?: string;
  author?: string;
  /** Lines the page itself marked as furniture (see furniture.ts), normalised. */
  furniture?: ReadonlySet<string>;
  /** Told of every block dropped and why, for diagnostics. */
  trace?: (block: PageBlock, why: string) => void;
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * Lines that come back again and again between different text: a share bar under every post, the
 * same caption under every picture of a gallery. A table or a list repeated whole is content, so
 * a line repeated after the same line each time is kept.
 */
function repeatedFurniture(blocks: PageBlock[], keys: string[]): Set<string> {
  const before = new Map<string, string[]>();
  blocks.forEach((b, i) => {
    if (isSentenceLike(b.text) || words(b.text) > 15) return;
    const list = before.get(keys[i]!) ?? [];
    list.push(i > 0 ? keys[i - 1]! : '');
    before.set(keys[i]!, list);
  });
  const furniture = new Set<string>();
  for (const [key, previous] of before) {
    if (previous.length >= 3 && new Set(previous).size === previous.length) furniture.add(key);
  }
  return furniture;
}

/** What a label stands over: a list of links, a promotion, furniture the page named. */
const LABELLED = new Set(['links', 'notice', 'marked', 'credit', 'gallery', 'label']);

export function cleanBlocks(blocks: PageBlock[], context: BlockContext): Block[] {
  const title = context.title ? normaliseText(context.title) : '';
  const standfirst = context.standfirst ? normaliseText(context.standfirst) : '';
  const keys = blocks.map((b) => normaliseText(b.text));
  const repeated = repeatedFurniture(blocks, keys);
  const why = (block: PageBlock, key: string): string | undefined => {
    if (!key) return 'empty';
    if (key === title) return 'title';
    if (standfirst && (key === standfirst || (key.startsWith(standfirst) && key.length < standfirst.length + 80))) return 'standfirst';
    if (context.furniture?.has(key)) return 'marked';
    if (repeated.has(key)) return 'repeated';
    return junkOf(block, context.author);
  };
  const reasons = blocks.map((b, i) => why(b, keys[i]!));
  // A label whose content was dropped ("DON'T MISS", "Related news") goes with it.
  for (let i = blocks.length - 2; i >= 0; i--) {
    const block = blocks[i]!;
    if (reasons[i] || !LABELLED.has(reasons[i + 1] ?? '') || block.kind !== 'paragraph' || block.listItem) continue;
    if (isFragment(block) && words(block.text) <= 4 && !block.text.endsWith(':')) reasons[i] = 'label';
  }
  let kept = blocks.filter((block, i) => {
    const reason = reasons[i];
    if (reason && reason !== 'empty') context.trace?.(block, reason);
    return !reason;
  });
  // Before the first sentence and after the last, short lines are labels, names and menus; the
  // items of a list or a table that ends the article are its content.
  const edge = (b: PageBlock): boolean => !b.listItem && !b.tableRow && (b.kind === 'heading' || isFragment(b));
  let start = 0;
  while (start < kept.length && edge(kept[start]!)) start++;
  let end = kept.length;
  while (end > start && edge(kept[end - 1]!)) end--;
  if (context.trace) for (const block of [...kept.slice(0, start), ...kept.slice(end)]) context.trace(block, 'edge');
  kept = kept.slice(start, end);
  return kept.map(({ kind, text }) => ({ kind, text }));
}
