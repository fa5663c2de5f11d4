import { Readability } from '@mozilla/readability';
import type { Article, Block } from '../articles/index.js';
import { slugify } from '../articles/index.js';
import { BriefbotError } from '../errors.js';
import { decodeBody, DEFAULT_MAX_BYTES } from '../net/safe-fetch.js';
import { isBylineLine, isCredit, isDateLine } from './html/block-rules.js';
import { cleanBlocks } from './html/clean-blocks.js';
import { blocksOf, clean, normaliseText, pageBlocksOf, parseDocument, removeAll, type DomDocument, type DomElement } from './html/dom.js';
import { ProseMap, removeFurniture } from './html/furniture.js';
import { metaValues, readPageMetadata, validByline, validDate, validOutlet } from './html/metadata.js';
import { findStandfirst } from './html/standfirst.js';

/**
 * HTML to an Article: Mozilla Readability finds the article in a page, over linkedom's DOM, and
 * briefbot cleans around it. Before Readability, the page's furniture is taken out by its own
 * structure (hidden elements, hover cards, captions, share bars, bylines, related links: see
 * html/furniture.ts) and the standfirst is set apart; after it, what is left is checked block by
 * block (credits, gallery counters, date lines, notices: html/block-rules.ts). Metadata comes from
 * the page's JSON-LD and meta tags and is checked before it is believed (html/metadata.ts).
 *
 * linkedom has no script engine and loads no resources, so a page's scripts never run and its
 * images, frames and styles are never fetched; scripts, styles and frames are removed before
 * Readability sees the page anyway, which also keeps it fast.
 */

const STRIP = 'script, style, noscript, template, iframe, frame, frameset, object, embed, svg, canvas, link[rel="import"]';

/** Blocks from an HTML fragment such as a feed item's content. */
export function blocksFromHtml(fragment: string): Block[] {
  const doc = parseDocument(`<!doctype html><html><head></head><body>${fragment}</body></html>`);
  removeAll(doc.querySelectorAll(STRIP + ', form'));
  return doc.body ? blocksOf(doc.body) : [];
}

/** Plain text of an HTML fragment (a feed title or summary with markup or entities in it). */
export function textFromHtml(fragment: string): string {
  if (!/[<&]/.test(fragment)) return clean(fragment);
  return blocksFromHtml(fragment)
    .map((b) => b.text)
    .join(' ');
}

function httpUrl(value: string | null | undefined, base: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = base ? new URL(value, base) : new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A page is worth briefing when its paragraphs hold some sentences, not just a menu word or two. */
export const MIN_PAGE_WORDS = 15;

/** Words of a text; in scripts written without spaces (Chinese, Japanese, Thai) each character counts as one. */
function countWords(text: string): number {
  return (text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]|[\p{L}\p{N}]+/gu) ?? []).length;
}

function hasSentences(blocks: Block[]): boolean {
  const words = blocks.reduce((n, b) => n + (b.kind === 'paragraph' ? countWords(b.text) : 0), 0);
  return words >= MIN_PAGE_WORDS && blocks.some((b) => b.kind === 'paragraph' && /\p{L}{2,}/u.test(b.text));
}

/** Forms are furniture (search boxes, sign-ups, comments) unless a site wraps its whole page in one, as ASP.NET sites do. */
function removeForms(doc: DomDocument): void {
  for (const form of [...doc.querySelectorAll('form')]) {
    let prose = 0;
    for (const p of form.querySelectorAll('p')) if (clean(p.textContent).length >= 80 && ++prose >= 2) break;
    if (prose < 2) form.remove();
  }
}

/** "Headline | Site" or "Headline - Site": the site's name goes. */
function withoutSiteName(title: string, outlet: string | undefined, h1: string): string {
  if (h1 && title.toLowerCase().startsWith(h1.toLowerCase()) && title.length > h1.length) return h1;
  if (!outlet) return title;
  const m = /^(.*\S)\s+[|–—:-]\s+(.+)$/.exec(title);
  return m && m[2]!.toLowerCase().includes(outlet.toLowerCase()) ? m[1]! : title;
}

function first<T>(values: (string | null | undefined)[], check: (value: string) => T | undefined): T | undefined {
  for (const value of values) {
    if (!value) continue;
    const valid = check(value);
    if (valid !== undefined) return valid;
  }
  return undefined;
}

export interface ExtractedPage {
  article: Article;
  /** The page's own `<link rel="canonical">`, when it names an http(s) URL. */
  canonicalUrl?: string;
}

type Parsed = ReturnType<Readability<DomElement>['parse']>;

/**
 * Real pages nest a few dozen elements deep. Far deeper markup is broken or hostile, and
 * Readability's recursion would overflow on it, or take seconds per page before it does.
 */
const MAX_DEPTH = 400;

function deeperThan(elements: DomElement[], limit: number): boolean {
  const depth = new Map<DomElement, number>();
  for (const element of elements) {
    const d = (element.parentElement ? (depth.get(element.parentElement) ?? 0) : 0) + 1;
    if (d > limit) return true;
    depth.set(element, d);
  }
  return false;
}

/** Readability's result, or `too-deep` for a page nested deeper than its recursion can go. */
function readabilityParse(doc: DomDocument): Parsed | 'too-deep' {
  try {
    return new Readability<DomElement>(doc as never, { charThreshold: 200, keepClasses: true, serializer: (node) => node as unknown as DomElement }).parse();
  } catch (error) {
    if (error instanceof RangeError) return 'too-deep';
    throw error;
  }
}

/** The body the publisher wrote into its JSON-LD: a last resort when the page's markup holds no article Readability can find. */
function blocksFromArticleBody(body: string | undefined): Block[] {
  if (!body) return [];
  return body
    .split(/\n\s*\n|\r?\n/)
    .map((p) => clean(p))
    .filter(Boolean)
    .map((text) => ({ kind: 'paragraph' as const, text }));
}

export interface ReadPageOptions {
  /** Names a page read from a file in error messages. */
  name?: string;
  /** Told of every piece of the page left out of the body and why, for diagnostics. */
  trace?: (text: string, why: string) => void;
}

/**
 * Finds the article in a web page and reads it as an Article (source format `html`). `pageUrl` is
 * where the page came from, when it came from the web.
 */
export function articleFromHtml(html: string, pageUrl?: string, options: ReadPageOptions = {}): ExtractedPage {
  const { name, trace } = options;
  const traceElement = trace && ((element: DomElement, why: string): void => trace(clean(element.textContent), why));
  const traceBlock = trace && ((block: { text: string }, why: string): void => trace(block.text, why));
  const where = pageUrl ? `at ${pageUrl.slice(0, 200)}` : `in ${name ?? 'the page'}`;
  const doc = parseDocument(html);
  if (!doc.documentElement) throw new BriefbotError('empty', `the page ${where} is empty`);
  const metadata = readPageMetadata(doc);
  removeAll(doc.querySelectorAll(STRIP));
  removeForms(doc);
  if ((!doc.body || !clean(doc.body.textContent)) && !metadata.articleBody) throw new BriefbotError('empty', `the page ${where} is empty`);
  const canonicalUrl = httpUrl(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'), pageUrl);
  const ogUrl = httpUrl(metaValues(metadata.tags, 'og:url')[0], pageUrl);
  const ogTitle = metaValues(metadata.tags, 'og:title', 'twitter:title')[0];
  const h1 = clean(doc.querySelector('h1')?.textContent);

  let standfirst: string | undefined;
  const bylineTexts: string[] = [];
  let furniture: Set<string> | undefined;
  // One walk of the page serves the depth check, the standfirst and the furniture.
  const elements = doc.body ? [...doc.body.querySelectorAll('*')] : [];
  const tooDeep = deeperThan(elements, MAX_DEPTH);
  if (doc.body && !tooDeep) {
    const prose = new ProseMap(doc.body);
    const dek = findStandfirst(doc.body, prose, metadata.descriptions, elements);
    // A date, a byline or a credit under the headline is furniture, not the standfirst.
    if (dek && !isDateLine(dek.text) && !isBylineLine(dek.text) && !isCredit(dek.text)) {
      standfirst = dek.text;
      trace?.(dek.text, 'standfirst');
      dek.element.remove();
    }
    const found = removeFurniture(doc.body, 'page', traceElement, { prose, elements });
    bylineTexts.push(...found.bylines);
    furniture = found.lines;
  }

  const result = tooDeep ? 'too-deep' : readabilityParse(doc);
  const parsed = result === 'too-deep' ? null : result;
  const outlet = first([...metadata.outlets, parsed?.siteName], validOutlet);
  const author = first([...metadata.authors, ...bylineTexts, parsed?.byline], (v) => validByline(v, outlet));
  const published = first([...metadata.dates, parsed?.publishedTime], validDate);
  // The page title often carries the site's name ("Headline — Site"); the h1 it contains is the headline alone.
  const pageTitle = clean(parsed?.title);
  const title = withoutSiteName(ogTitle || metadata.headline || (h1 && pageTitle.toLowerCase().includes(h1.toLowerCase()) ? h1 : pageTitle) || h1, outlet, h1) || 'Untitled page';

  let blocks: Block[] = [];
  if (parsed?.content) {
    const content = parsed.content;
    removeFurniture(content, 'article', traceElement);
    blocks = cleanBlocks(pageBlocksOf(content), { title, ...(standfirst ? { standfirst } : {}), ...(author ? { author } : {}), ...(furniture ? { furniture } : {}), ...(traceBlock ? { trace: traceBlock } : {}) });
  }
  if (!hasSentences(blocks)) blocks = blocksFromArticleBody(metadata.articleBody);
  if (result === 'too-deep' && blocks.length === 0) throw new BriefbotError('no-sentences', `the page ${where} is nested too deeply to read`);
  if (!parsed?.content && blocks.length === 0) throw new BriefbotError('no-sentences', `no article found ${where}`);
  if (!hasSentences(blocks)) throw new BriefbotError('no-sentences', `the page ${where} has no article text to brief`);

  const url = canonicalUrl ?? pageUrl ?? ogUrl;
  const article: Article = { id: slugify(title, url ?? name ?? title), title, tags: [...metadata.sections], highlights: [], blocks, source: { format: 'html', ...(url ? { path: url } : name ? { path: name } : {}) } };
  if (url) article.url = url;
  if (author) article.author = author;
  if (published) article.published = published;
  if (outlet) article.outlet = outlet;
  if (standfirst && normaliseText(standfirst) !== normaliseText(title)) article.standfirst = standfirst;
  return canonicalUrl ? { article, canonicalUrl } : { article };
}

/** Whether text is an HTML page (a doctype or an html, head or body tag first) rather than an article in text or Markdown. */
export function looksLikeHtml(text: string): boolean {
  return /^\uFEFF?\s*(?:<!--[^]*?-->\s*|<\?xml[^>]*>\s*)*<(?:!doctype\s+html|html|head|body)\b/i.test(text.slice(0, 4096));
}

/** Whether bytes hold an HTML page, judged on their start before they are decoded. */
export function bytesLookLikeHtml(bytes: Uint8Array): boolean {
  return looksLikeHtml(Buffer.from(bytes.subarray(0, 4096)).toString('latin1'));
}

/**
 * A saved page (a file, or standard input) as an Article, with the limits a fetched page has:
 * not empty, not binary, no larger than a fetch may be, decoded by its own `<meta charset>`.
 */
export function articleFromHtmlBytes(bytes: Uint8Array, name: string): ExtractedPage {
  if (bytes.length === 0) throw new BriefbotError('empty', `${name} is empty`);
  if (bytes.length > DEFAULT_MAX_BYTES) throw new BriefbotError('too-large', `${name} is larger than the limit of ${DEFAULT_MAX_BYTES} bytes for a page`);
  if (bytes.subarray(0, 8192).includes(0)) throw new BriefbotError('binary', `${name} looks like a binary file, not a page`);
  const html = decodeBody(Buffer.from(bytes));
  if (!html.trim()) throw new BriefbotError('empty', `${name} has no text`);
  return articleFromHtml(html, undefined, { name });
}
