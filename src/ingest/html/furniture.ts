import { clean, nameWords, normaliseText, pageBlocksOf, tagOf, TEXT_NODE, type DomElement, type DomNode } from './dom.js';

/**
 * Page furniture found by the page's own structure: what a site calls its share bars, captions,
 * bylines, related-story boxes and hover cards (class and id words, roles, itemprops), what it
 * hides, and what sits inside a sentence without being part of it. Run on the page before
 * Readability scores it, and again on Readability's output (which keeps the class names).
 *
 * Nothing that holds a large share of the page's prose is ever removed, however it is named: an
 * article wrapped in `<div class="post tag-sharing">` is still the article.
 */

/** Whole words of a class or id that name furniture, not prose. */
const FURNITURE_WORDS = new RegExp(
  '\\b(?:' +
    [
      // sharing, following, subscribing
      'shares?', 'sharing', 'social', 'socials', 'follow', 'newsletters?', 'subscribe', 'subscriptions?', 'signup', 'sign up', 'paywall', 'cta', 'donate',
      // comments
      'comments?', 'commenting', 'disqus', 'replies',
      // navigation
      'breadcrumbs?', 'crumbs', 'nav', 'navbar', 'navigation', 'menu', 'pagination', 'pager', 'footer', 'masthead', 'toolbar', 'tools', 'skip',
      // other stories
      'related', 'recommended', 'recommendations?', 'recirc', 'recirculation', 'trending', 'popular', 'most read', 'mostread', 'more stories',
      'read more', 'readmore', 'read next', 'also read', 'see also', 'outbrain', 'taboola', 'zergnet',
      // advertising
      'ad', 'ads', 'adslot', 'adunit', 'advert', 'adverts', 'advertisement', 'advertising', 'dfp', 'sponsor', 'sponsored', 'promo', 'promos', 'promotion', 'affiliate',
      // people and dates
      'byline', 'bylines', 'authors?', 'bio', 'contributors?', 'dateline', 'timestamp', 'date', 'dates', 'published', 'updated', 'pubdate', 'meta data',
      // pictures
      'captions?', 'figcaption', 'credits?', 'copyright',
      // labels
      'tags', 'tag list', 'taglist', 'topics', 'kicker', 'eyebrow', 'print', 'reprints?',
      // cards and hidden things
      'tooltip', 'popover', 'popup', 'hovercard', 'rollover', 'modal', 'sr only', 'visually hidden', 'screen reader text', 'offscreen', 'invisible',
      'hidden(?! (?:xs|sm|md|lg|xl|mobile|phone|tablet|desktop|print)\\b)',
    ].join('|') +
    ')\\b',
);

/** Parts of a run-together class word that name furniture: `socialshare`, `relatedposts`, `imagecaption`, `postbyline`. */
const FURNITURE_PARTS = /share|social|newsletter|subscri|breadcrumb|related|promo|advert|sponsor|affiliate|outbrain|taboola|byline|caption|tooltip|popover|hovercard|rollover|dialog/;

/**
 * A quick test that lets most elements skip the word split: every furniture word contains one of
 * these stems ("ad" only as a word of its own, so that "header" and "shadow" do not pass).
 */
const MAYBE_FURNITURE = /share|social|follow|newsletter|subscri|sign|paywall|cta|donate|comment|disqus|replies|crumb|nav|menu|pag|footer|masthead|tool|skip|related|recommend|recirc|trending|popular|most|more|read|also|see|outbrain|taboola|zergnet|advert|sponsor|promo|affiliate|byline|author|bio|contributor|date|timestamp|published|updated|meta|caption|credit|copyright|tag|topic|kicker|eyebrow|print|reprint|tooltip|popover|popup|hovercard|rollover|modal|sr.only|visually|screen.reader|offscreen|invisible|hidden|dialog|dfp|(?:^|[^a-zA-Z])[aA]ds?(?:[^a-z]|$)|(?:^|[^a-zA-Z])[aA]d(?:slot|unit)/i;

const FURNITURE_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'menu', 'menubar', 'dialog', 'alertdialog', 'search', 'tooltip']);
const FURNITURE_ITEMPROPS = new Set(['author', 'caption', 'copyrightholder', 'credittext', 'datepublished', 'datemodified', 'breadcrumb']);

/** Elements never removed by their names: the page itself, and what Readability must judge. */
const NEVER = new Set(['html', 'body', 'main', 'article', 'h1']);

/** The word, role or itemprop that names an element as furniture, if one does. */
export function furnitureName(element: DomElement): string | undefined {
  const words = MAYBE_FURNITURE.test(`${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`) ? nameWords(element) : '';
  if (words) {
    const m = FURNITURE_WORDS.exec(words) ?? FURNITURE_PARTS.exec(words);
    if (m) return m[0];
  }
  const role = element.getAttribute('role')?.toLowerCase();
  if (role && FURNITURE_ROLES.has(role)) return `role=${role}`;
  const itemprop = element.getAttribute('itemprop')?.toLowerCase();
  return itemprop && FURNITURE_ITEMPROPS.has(itemprop) ? `itemprop=${itemprop}` : undefined;
}

const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i;

/** Hidden from readers by the page itself: the `hidden` attribute, `aria-hidden`, or an inline style. */
export function isHidden(element: DomElement): boolean {
  if (element.hasAttribute('hidden')) return true;
  if (element.getAttribute('aria-hidden') === 'true') return true;
  const style = element.getAttribute('style');
  return style !== null && HIDDEN_STYLE.test(style);
}

/**
 * The prose of a page: paragraphs of some length that are not mostly link text. The guard that
 * keeps furniture rules off the article measures shares of this.
 */
export class ProseMap {
  readonly paragraphs: { element: DomElement; length: number }[] = [];
  readonly total: number;
  private readonly bodyLength: number;

  constructor(root: DomElement) {
    let total = 0;
    for (const p of root.querySelectorAll('p')) {
      const length = clean(p.textContent).length;
      if (length < 80) continue;
      let linked = 0;
      for (const a of p.querySelectorAll('a')) linked += clean(a.textContent).length;
      if (linked > length / 2) continue;
      this.paragraphs.push({ element: p, length });
      total += length;
    }
    this.total = total;
    this.bodyLength = this.total > 0 ? 0 : clean(root.textContent).length;
  }

  /** The share of the page's prose inside an element, 0 to 1. */
  shareIn(element: DomElement): number {
    if (this.total === 0) return this.bodyLength > 0 ? clean(element.textContent).length / this.bodyLength : 0;
    let inside = 0;
    for (const p of this.paragraphs) if (element === p.element || element.contains(p.element)) inside += p.length;
    return inside / this.total;
  }
}

function isBylineElement(element: DomElement): boolean {
  return /\b(?:byline|bylines|authors?)\b/.test(nameWords(element)) || element.getAttribute('rel') === 'author' || element.getAttribute('itemprop') === 'author';
}

/** Removing an element that holds this share of the prose or more is never right, whatever it is called. */
const PROSE_GUARD = 0.3;

function isConnected(element: DomElement, root: DomElement): boolean {
  return root.contains(element);
}

function firstWords(text: string, n: number): string[] {
  return clean(text).toLowerCase().split(' ').slice(0, n);
}

function nextNonBlank(node: DomNode & { nextSibling?: DomNode | null }): DomNode | null {
  let next = node.nextSibling ?? null;
  while (next && next.nodeType === TEXT_NODE && !(next.textContent ?? '').trim()) next = (next as DomNode & { nextSibling?: DomNode | null }).nextSibling ?? null;
  return next;
}

/**
 * A link's hover card: an element glued right after a link that repeats the linked name in full
 * ("Kristi Noem" then "Kristi Lynn Noem · South Dakota governor doubles down …"), or that carries
 * a picture and more links. On screen it pops up on hover; in the text it would be glued into
 * the sentence.
 */
function hoverCardAfter(anchor: DomElement): DomElement | undefined {
  const next = nextNonBlank(anchor as DomElement & { nextSibling?: DomNode | null });
  if (!next || next.nodeType !== 1) return undefined;
  const card = next as DomElement;
  const tag = tagOf(card);
  if (tag === 'a' || tag === 'br' || tag === 'img') return undefined;
  const linkWords = firstWords(anchor.textContent ?? '', 6);
  const cardText = clean(card.textContent);
  if (linkWords.length === 0 || !cardText || cardText.length > 1500) return undefined;
  const head = firstWords(cardText, 8);
  const first = linkWords[0]!;
  const last = linkWords[linkWords.length - 1]!;
  const repeatsName = linkWords.length >= 2 && head[0] === first && head.includes(last) && /^\p{Lu}/u.test(cardText);
  const isCard = card.querySelector('img') !== null && card.querySelector('a') !== null;
  return repeatsName || isCard ? card : undefined;
}

/**
 * A list whose every item is a link with a few words around it: related stories, a menu, tags.
 * Inside an article's text, a list that only points elsewhere is not the article.
 */
function isLinkList(list: DomElement): boolean {
  const items = [...list.children].filter((c) => tagOf(c) === 'li');
  if (items.length < 2) return false;
  let total = 0;
  let linked = 0;
  for (const item of items) {
    const text = clean(item.textContent);
    if (text.split(' ').length > 40) return false;
    let inLinks = 0;
    for (const a of item.querySelectorAll('a')) inLinks += clean(a.textContent).length;
    if (inLinks === 0) return false;
    total += text.length;
    linked += inLinks;
  }
  return linked >= total * 0.4;
}

const INLINE_TAGS = new Set(['a', 'span', 'em', 'strong', 'b', 'i', 'u', 'small', 'sup', 'sub', 'abbr', 'cite', 'time', 'mark', 'q', 'font']);

/**
 * An inline element in the middle of a paragraph's text is part of its sentence, whatever its
 * class says ("Gov. <span class="rollover-people">Kristi Noem</span> said"): taking it out would
 * leave a hole in the sentence. Its hover card, if it has one, goes by structure instead.
 */
function insideSentence(element: DomElement): boolean {
  if (!INLINE_TAGS.has(tagOf(element))) return false;
  let block = element.parentElement;
  while (block && INLINE_TAGS.has(tagOf(block))) block = block.parentElement;
  return block !== null && clean(block.textContent).length > clean(element.textContent).length + 40;
}

export interface FurnitureFound {
  /** Texts of elements named as bylines, for reading the byline from. */
  bylines: string[];
  /**
   * The lines of elements named as furniture but left in place (on the whole page), normalised.
   * Readability rewraps text and drops the class names on the way, so these lines are how its
   * output is matched back to what the page called them.
   */
  lines: Set<string>;
}

/**
 * Takes furniture out from under `root`. On the whole page (`page`) only what readers never see
 * goes (hidden elements, hover cards, figure captions) and the rest is noted: Readability weighs
 * the page as it is, and its choice of container is steadier with the page's furniture in place.
 * On Readability's output (`article`) every named piece of furniture goes.
 */
export function removeFurniture(
  root: DomElement,
  scope: 'page' | 'article',
  trace?: (element: DomElement, why: string) => void,
  scanned: { prose?: ProseMap; elements?: DomElement[] } = {},
): FurnitureFound {
  const prose = scanned.prose ?? new ProseMap(root);
  const found: FurnitureFound = { bylines: [], lines: new Set() };
  const guarded = (element: DomElement): boolean => prose.shareIn(element) >= PROSE_GUARD;
  const remove = (element: DomElement, why: string): void => {
    trace?.(element, why);
    element.remove();
  };

  for (const anchor of [...root.querySelectorAll('a')]) {
    const card = hoverCardAfter(anchor);
    if (card && isConnected(card, root) && !guarded(card)) remove(card, 'hover card');
  }
  for (const element of [...root.querySelectorAll('figcaption')]) {
    if (isConnected(element, root) && !guarded(element)) remove(element, 'figcaption');
  }
  if (scope === 'article') {
    for (const list of [...root.querySelectorAll('ul, ol')]) {
      if (isConnected(list, root) && isLinkList(list)) remove(list, 'link list');
    }
    // Beside the article that holds most of the text, other short articles that link away are teasers for other stories.
    const articles = [...root.querySelectorAll('article')].map((element) => ({ element, share: prose.shareIn(element) }));
    const isTeaser = (element: DomElement): boolean => element.querySelector('a[href]') !== null && clean(element.textContent).length <= 800;
    const main = articles.reduce<(typeof articles)[number] | undefined>((best, a) => (!best || a.share > best.share ? a : best), undefined);
    if (main && main.share >= 0.5) {
      for (const { element, share } of articles) {
        if (share < PROSE_GUARD && isTeaser(element) && !element.contains(main.element) && !main.element.contains(element) && isConnected(element, root)) remove(element, 'teaser');
      }
    }
  }
  let noted: DomElement | undefined;
  for (const element of scanned.elements ?? [...root.querySelectorAll('*')]) {
    if (NEVER.has(tagOf(element))) continue;
    const why = isHidden(element) ? 'hidden' : furnitureName(element);
    if (!why || !isConnected(element, root)) continue;
    if (why !== 'hidden' && isBylineElement(element)) {
      const text = clean(element.textContent);
      if (text && text.length <= 150) found.bylines.push(text);
    }
    if (guarded(element) || (why !== 'hidden' && insideSentence(element))) continue;
    if (scope === 'article' || why === 'hidden') {
      remove(element, why);
    } else if (!noted?.contains(element)) {
      noted = element;
      for (const block of pageBlocksOf(element)) found.lines.add(normaliseText(block.text));
    }
  }
  return found;
}
