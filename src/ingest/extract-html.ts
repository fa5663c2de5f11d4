import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { Article, Block } from '../articles/index.js';
import { slugify } from '../articles/index.js';
import { BriefbotError } from '../errors.js';

/**
 * HTML to an Article: Mozilla Readability finds the article in a page, over linkedom's DOM.
 * linkedom has no script engine and loads no resources, so a page's scripts never run and its
 * images, frames and styles are never fetched; scripts, styles and frames are removed before
 * Readability sees the page anyway, which also keeps it fast.
 */

/**
 * The DOM surface used here. linkedom's DOM is typed loosely and the project does not load the
 * browser's DOM typings, so this names the few members relied on.
 */
interface DomNode {
  nodeType: number;
  textContent: string | null;
  childNodes: Iterable<DomNode>;
}
interface DomElement extends DomNode {
  tagName: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
  remove(): void;
}
interface DomDocument {
  body: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const STRIP = 'script, style, noscript, template, iframe, frame, frameset, object, embed, svg, canvas, form, link[rel="import"]';

function parseDocument(html: string): DomDocument {
  return parseHTML(html).document as unknown as DomDocument;
}

function clean(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** Elements that start a new block of text; everything else is inline and joins the current one. */
const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'nav', 'address',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre',
  'figure', 'figcaption', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'caption', 'hr', 'details', 'summary',
]);

/**
 * The text blocks under an element, in reading order: each block element's text becomes a
 * paragraph (a heading for h1-h6); `<br><br>` and blank lines split paragraphs. Walked with an
 * explicit stack, so a page nested ten thousand deep cannot overflow the call stack.
 */
function blocksOf(root: DomNode): Block[] {
  const blocks: Block[] = [];
  let buffer = '';
  let kind: Block['kind'] = 'paragraph';
  const flush = (): void => {
    for (const part of buffer.split(/\n\s*\n/)) {
      const text = clean(part);
      if (text) blocks.push({ kind, text });
    }
    buffer = '';
  };
  type Step = { node: DomNode } | { restore: Block['kind'] };
  const stack: Step[] = [...root.childNodes].reverse().map((node) => ({ node }));
  while (stack.length > 0) {
    const step = stack.pop()!;
    if ('restore' in step) {
      flush();
      kind = step.restore;
      continue;
    }
    const { node } = step;
    if (node.nodeType === TEXT_NODE) {
      buffer += node.textContent ?? '';
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE) continue;
    const tag = (node as DomElement).tagName.toLowerCase();
    if (tag === 'br') {
      buffer += '\n';
      continue;
    }
    const children = [...node.childNodes].reverse().map((child) => ({ node: child }));
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

/** Blocks from an HTML fragment such as a feed item's content. */
export function blocksFromHtml(fragment: string): Block[] {
  const doc = parseDocument(`<!doctype html><html><head></head><body>${fragment}</body></html>`);
  for (const element of [...doc.querySelectorAll(STRIP)]) element.remove();
  return doc.body ? blocksOf(doc.body) : [];
}

/** Plain text of an HTML fragment (a feed title or summary with markup or entities in it). */
export function textFromHtml(fragment: string): string {
  if (!/[<&]/.test(fragment)) return clean(fragment);
  return blocksFromHtml(fragment)
    .map((b) => b.text)
    .join(' ');
}

function meta(doc: DomDocument, ...selectors: string[]): string | undefined {
  for (const selector of selectors) {
    const value = clean(doc.querySelector(selector)?.getAttribute('content'));
    if (value) return value;
  }
  return undefined;
}

function httpUrl(value: string | null | undefined, base: string): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A page is worth briefing when its paragraphs hold some sentences, not just a menu word or two. */
export const MIN_PAGE_WORDS = 15;

function hasSentences(blocks: Block[]): boolean {
  const words = blocks.reduce((n, b) => n + (b.kind === 'paragraph' ? (b.text.match(/[\p{L}\p{N}]+/gu) ?? []).length : 0), 0);
  return words >= MIN_PAGE_WORDS && blocks.some((b) => b.kind === 'paragraph' && /[\p{L}]{2,}/u.test(b.text));
}

export interface ExtractedPage {
  article: Article;
  /** The page's own `<link rel="canonical">`, when it names an http(s) URL. */
  canonicalUrl?: string;
}

/** Finds the article in a web page and reads it as an Article (source format `html`). */
export function articleFromHtml(html: string, pageUrl: string): ExtractedPage {
  const doc = parseDocument(html);
  for (const element of [...doc.querySelectorAll(STRIP)]) element.remove();
  const canonicalUrl = httpUrl(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'), pageUrl);
  const ogTitle = meta(doc, 'meta[property="og:title"]', 'meta[name="twitter:title"]');
  const metaPublished = meta(doc, 'meta[property="article:published_time"]', 'meta[name="date"]', 'meta[itemprop="datePublished"]');
  const siteName = meta(doc, 'meta[property="og:site_name"]');
  const h1 = clean(doc.querySelector('h1')?.textContent);
  const parsed = new Readability(doc as never, { charThreshold: 200 }).parse();
  if (!parsed?.content) throw new BriefbotError('no-sentences', `no article found at ${pageUrl.slice(0, 200)}`);
  const contentDoc = parseDocument(`<!doctype html><html><body>${parsed.content}</body></html>`);
  const byline = clean(parsed.byline).replace(/^by\s+/i, '');
  // The page title often carries the site's name ("Headline — Site"); the h1 it contains is the headline alone.
  const pageTitle = clean(parsed.title);
  const title = ogTitle || (h1 && pageTitle.toLowerCase().includes(h1.toLowerCase()) ? h1 : pageTitle) || h1 || 'Untitled page';
  const blocks = (contentDoc.body ? blocksOf(contentDoc.body) : []).filter((b, i) => {
    if (i > 2) return true;
    // The byline and the headline often sit at the top of the extracted content: they are metadata, not body.
    const text = b.text.replace(/^by\s+/i, '').toLowerCase();
    return !(byline && text === byline.toLowerCase()) && !(b.kind === 'heading' && b.text.toLowerCase() === title.toLowerCase());
  });
  if (!hasSentences(blocks)) throw new BriefbotError('no-sentences', `the page at ${pageUrl.slice(0, 200)} has no article text to brief`);
  const url = canonicalUrl ?? pageUrl;
  const article: Article = { id: slugify(title, url), title, tags: [], highlights: [], blocks, url, source: { format: 'html', path: url } };
  if (byline) article.author = byline;
  const published = clean(parsed.publishedTime) || metaPublished;
  if (published) article.published = published;
  const outlet = clean(parsed.siteName) || siteName || new URL(pageUrl).hostname.replace(/^www\./, '');
  if (outlet) article.outlet = outlet;
  return canonicalUrl ? { article, canonicalUrl } : { article };
}
