import { parseHTML } from 'linkedom';
import type { Block } from '../../articles/index.js';

/**
 * The DOM surface the HTML reader relies on. linkedom's DOM is typed loosely and the project does
 * not load the browser's DOM typings, so this names the few members used.
 */
export interface DomNode {
  nodeType: number;
  textContent: string | null;
  childNodes: Iterable<DomNode>;
  parentNode: DomNode | null;
}
export interface DomElement extends DomNode {
  tagName: string;
  parentElement: DomElement | null;
  nextElementSibling: DomElement | null;
  previousElementSibling: DomElement | null;
  children: Iterable<DomElement>;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
  contains(other: DomNode): boolean;
  remove(): void;
}
export interface DomDocument {
  body: DomElement | null;
  documentElement: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
}

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

export function parseDocument(html: string): DomDocument {
  return parseHTML(html).document as unknown as DomDocument;
}

/** Collapses white space; trims. */
export function clean(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** Text as compared across the page: Unicode-normalised, lower case, letters and digits only. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function tagOf(element: DomElement): string {
  return element.tagName.toLowerCase();
}

/**
 * The words of an element's class and id, lower case: `articleBody share-tools` gives
 * `article body share tools`. Sites name their furniture (share bars, captions, bylines) in these
 * words far more reliably than in anything a reader sees.
 */
export function nameWords(element: DomElement): string {
  const raw = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`;
  if (raw.length < 2) return '';
  return raw
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Elements that start a new block of text; everything else is inline and joins the current one. */
export const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'nav', 'address',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre',
  'figure', 'figcaption', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'caption', 'hr', 'details', 'summary',
]);

/** Table cells: a row of a table reads as one line, its cells apart. */
const CELL_TAGS = new Set(['td', 'th']);

/** A block with what the page said about it: how much of its text is link text, and whether it was a list item or a table row. */
export interface PageBlock extends Block {
  linkChars: number;
  listItem: boolean;
  tableRow?: boolean;
}

/**
 * The text blocks under an element, in reading order: each block element's text becomes a
 * paragraph (a heading for h1-h6); `<br><br>` and blank lines split paragraphs. Walked with an
 * explicit stack, so a page nested ten thousand deep cannot overflow the call stack.
 */
export function pageBlocksOf(root: DomNode): PageBlock[] {
  const blocks: PageBlock[] = [];
  let buffer = '';
  let linkChars = 0;
  let linkDepth = 0;
  let listDepth = 0;
  let rowDepth = 0;
  let kind: Block['kind'] = 'paragraph';
  const flush = (): void => {
    const parts = buffer.split(/\n\s*\n/);
    const share = buffer.length > 0 ? linkChars / buffer.length : 0;
    for (const part of parts) {
      const text = clean(part);
      if (!text) continue;
      const block: PageBlock = { kind, text, linkChars: Math.round(share * text.length), listItem: listDepth > 0 };
      if (rowDepth > 0) block.tableRow = true;
      blocks.push(block);
    }
    buffer = '';
    linkChars = 0;
  };
  type Step = { node: DomNode } | { restore: Block['kind'] } | { leave: 'a' | 'li' | 'tr' };
  const stack: Step[] = [...root.childNodes].reverse().map((node) => ({ node }));
  while (stack.length > 0) {
    const step = stack.pop()!;
    if ('restore' in step) {
      flush();
      kind = step.restore;
      continue;
    }
    if ('leave' in step) {
      if (step.leave === 'a') linkDepth--;
      else if (step.leave === 'li') listDepth--;
      else rowDepth--;
      continue;
    }
    const { node } = step;
    if (node.nodeType === TEXT_NODE) {
      const text = node.textContent ?? '';
      buffer += text;
      if (linkDepth > 0) linkChars += text.length;
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE) continue;
    const tag = tagOf(node as DomElement);
    if (tag === 'br') {
      buffer += '\n';
      continue;
    }
    if (CELL_TAGS.has(tag)) buffer += ' ';
    const children = [...node.childNodes].reverse().map((child) => ({ node: child }));
    // Leaving a list item is pushed first, so its text is flushed while still inside the item.
    if (tag === 'a') {
      linkDepth++;
      stack.push({ leave: 'a' });
    } else if (tag === 'li' || tag === 'tr') {
      flush();
      if (tag === 'li') listDepth++;
      else rowDepth++;
      stack.push({ leave: tag });
    }
    if (BLOCK_TAGS.has(tag)) {
      flush();
      stack.push({ restore: kind });
      kind = /^h[1-6]$/.test(tag) ? 'heading' : 'paragraph';
    }
    stack.push(...children);
  }
  flush();
  return blocks;
}

export function blocksOf(root: DomNode): Block[] {
  return pageBlocksOf(root).map(({ kind, text }) => ({ kind, text }));
}

/** Removes every element of a list, skipping any already taken out with an ancestor. */
export function removeAll(elements: Iterable<DomElement>): void {
  for (const element of [...elements]) element.remove();
}
