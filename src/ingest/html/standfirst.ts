import { clean, nameWords, tagOf, type DomElement } from './dom.js';
import { furnitureName, isHidden, type ProseMap } from './furniture.js';

/**
 * The standfirst (dek): the sentence or two between the headline and the article that sells the
 * story. It is the publisher's summary, like its highlights, so it is kept apart from the body.
 *
 * Found by the page's structure, before the body: an element named for it (dek, standfirst,
 * subtitle, description), the heading or paragraph right under the h1, or a block that repeats
 * the page's meta description. The body starts with the first run of prose paragraphs; a
 * paragraph inside that run is the lede, never the standfirst, even when the meta description
 * repeats it.
 */

const DEK_NAME = /\b(?:dek|deck|standfirst|sub ?title|sub ?headline|subhead|strapline|summary|description|excerpt|teaser|alternative headline)\b|\bsub(?:title|headline|head)/;
const MAYBE_DEK = /dek|deck|standfirst|sub|strap|summ|descr|excerpt|teaser|alternative/i;
const DEK_ITEMPROPS = new Set(['description', 'alternativeheadline', 'abstract']);

const FOLLOWING = 4;

function before(a: DomElement, b: DomElement): boolean {
  return ((a as unknown as { compareDocumentPosition(o: unknown): number }).compareDocumentPosition(b) & FOLLOWING) !== 0;
}

function words(text: string): number {
  return text.split(' ').filter(Boolean).length;
}

function normalise(text: string): string {
  return clean(text)
    .toLowerCase()
    .replace(/(?:\.\.\.|…)$/, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The first paragraph of the body: the first prose paragraph followed by another one under the same parent. */
function bodyStart(prose: ProseMap): DomElement | undefined {
  const inRun = new Set(prose.paragraphs.map((p) => p.element));
  for (const { element } of prose.paragraphs) {
    let next = element.nextElementSibling;
    while (next && !inRun.has(next) && !clean(next.textContent)) next = next.nextElementSibling;
    if (next && inRun.has(next)) return element;
  }
  return prose.paragraphs[0]?.element;
}

function looksLikeStandfirst(element: DomElement): string | undefined {
  const text = clean(element.textContent);
  if (text.length < 30 || text.length > 600 || words(text) < 5) return undefined;
  // A container of several paragraphs is part of the page, not a standfirst.
  if ([...element.querySelectorAll('p')].length > 1 || element.querySelector('h1') !== null) return undefined;
  let linked = 0;
  for (const a of element.querySelectorAll('a')) linked += clean(a.textContent).length;
  return linked > text.length / 2 ? undefined : text;
}

export interface Standfirst {
  text: string;
  element: DomElement;
}

/** Finds the page's standfirst; the caller removes `element` from the page. */
export function findStandfirst(body: DomElement, prose: ProseMap, descriptions: string[]): Standfirst | undefined {
  const start = bodyStart(prose);
  // The article's headline is the h1 nearest before the body; a site may have others in its header.
  let headline: DomElement | null = null;
  for (const h1 of body.querySelectorAll('h1')) {
    if (start && !before(h1, start)) break;
    headline = h1;
  }
  const inHeaderZone = (element: DomElement): boolean => {
    if (start && (element === start || element.contains(start) || start.contains(element) || !before(element, start))) return false;
    if (headline && !before(headline, element)) return false;
    // A promotion under the masthead ("Support us: available for everyone") is not the article's.
    for (let e: DomElement | null = element; e && e !== body; e = e.parentElement) if (isHidden(e) || furnitureName(e)) return false;
    return true;
  };

  for (const element of body.querySelectorAll('[class], [id], [itemprop]')) {
    const itemprop = element.getAttribute('itemprop');
    const named = MAYBE_DEK.test(`${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`) && DEK_NAME.test(nameWords(element));
    if (!named && !(itemprop && DEK_ITEMPROPS.has(itemprop.toLowerCase()))) continue;
    if (tagOf(element) === 'meta' || !inHeaderZone(element)) continue;
    const text = looksLikeStandfirst(element);
    if (text) return { text, element };
  }

  const wanted = descriptions.map(normalise).filter((d) => d.length >= 30);
  if (wanted.length > 0) {
    for (const element of body.querySelectorAll('h2, h3, h4, p, div, span')) {
      if (start && !before(element, start)) break;
      if (!inHeaderZone(element)) continue;
      const text = normalise(element.textContent ?? '');
      if (text.length < 30 || !wanted.some((d) => text === d || (text.startsWith(d) && text.length < d.length + 80))) continue;
      const found = looksLikeStandfirst(element);
      if (found) return { text: found, element };
    }
  }

  if (headline) {
    // The block right under the headline (or under the wrapper that holds only the headline).
    let anchor: DomElement = headline;
    while (!anchor.nextElementSibling && anchor.parentElement && anchor.parentElement !== body) anchor = anchor.parentElement;
    const next = anchor.nextElementSibling;
    if (next && ['h2', 'h3', 'p'].includes(tagOf(next)) && inHeaderZone(next)) {
      const text = looksLikeStandfirst(next);
      if (text) return { text, element: next };
    }
  }
  return undefined;
}
