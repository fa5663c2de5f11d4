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
const DESCRIPTION_TAGS = new Set(['h2', 'h3', 'h4', 'p', 'div', 'span']);
const DEK_ITEMPROPS = new Set(['description', 'alternativeheadline', 'abstract']);

/** How many elements may stand between the headline and its standfirst (bylines, dates, share bars, a picture). */
const NEAR = 60;

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
  // Written as prose: a line of names and dates in capitals ("JANIE HARNov. 20, 2019Updated: …") is not.
  if ((text.match(/(?:^|\s)\p{Ll}/gu) ?? []).length < 3 && !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u.test(text)) return undefined;
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
export function findStandfirst(body: DomElement, prose: ProseMap, descriptions: string[], elements: DomElement[] = [...body.querySelectorAll('*')]): Standfirst | undefined {
  // Document order by hand: linkedom's compareDocumentPosition is wrong across subtrees.
  const order = new Map<DomElement, number>();
  elements.forEach((element, i) => order.set(element, i));
  const at = (element: DomElement): number => order.get(element) ?? -1;
  const start = bodyStart(prose);
  const startAt = start ? at(start) : Infinity;
  // The article's headline is the h1 nearest before the body; a site may have others in its header.
  let headline: DomElement | null = null;
  for (const h1 of body.querySelectorAll('h1')) if (at(h1) < startAt) headline = h1;
  const headlineText = headline ? normalise(headline.textContent ?? '') : '';
  // Before the body and near the headline: a page may set the standfirst above the headline in
  // its markup, but never far from it.
  const inHeaderZone = (element: DomElement): boolean => {
    const i = at(element);
    if (i < 0 || i >= startAt || element.contains(start ?? element)) return false;
    if (headline && Math.abs(i - at(headline)) > NEAR) return false;
    // A promotion under the masthead ("Support us: available for everyone") is not the article's.
    for (let e: DomElement | null = element; e && e !== body; e = e.parentElement) if (isHidden(e) || furnitureName(e)) return false;
    return true;
  };
  const accept = (element: DomElement): Standfirst | undefined => {
    const text = looksLikeStandfirst(element);
    return text && normalise(text) !== headlineText ? { text, element } : undefined;
  };

  const beforeBody = elements.slice(0, Number.isFinite(startAt) ? startAt : elements.length);
  for (const element of beforeBody) {
    const itemprop = element.getAttribute('itemprop');
    const named = MAYBE_DEK.test(`${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`) && DEK_NAME.test(nameWords(element));
    if (!named && !(itemprop && DEK_ITEMPROPS.has(itemprop.toLowerCase()))) continue;
    if (tagOf(element) === 'meta' || !inHeaderZone(element)) continue;
    const found = accept(element);
    if (found) return found;
  }

  const wanted = descriptions.map(normalise).filter((d) => d.length >= 30);
  if (wanted.length > 0) {
    for (const element of beforeBody) {
      if (!DESCRIPTION_TAGS.has(tagOf(element)) || !inHeaderZone(element)) continue;
      const text = normalise(element.textContent ?? '');
      if (text.length < 30 || !wanted.some((d) => text === d || (text.startsWith(d) && text.length < d.length + 80))) continue;
      const found = accept(element);
      if (found) return found;
    }
  }

  if (headline) {
    // The block right under the headline (or under the wrapper that holds only the headline).
    let anchor: DomElement = headline;
    while (!anchor.nextElementSibling && anchor.parentElement && anchor.parentElement !== body) anchor = anchor.parentElement;
    const next = anchor.nextElementSibling;
    if (next && ['h2', 'h3', 'p'].includes(tagOf(next)) && inHeaderZone(next)) return accept(next);
  }
  return undefined;
}
