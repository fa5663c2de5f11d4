import { clean, type DomDocument } from './dom.js';

/**
 * What a page says about itself: headline, authors, date, site name and summary, from its
 * JSON-LD (schema.org NewsArticle and kin) and its meta tags. Every value is checked before it is
 * believed: pages put dates in byline fields, URLs in author fields and taglines in site names.
 */

export interface PageMetadata {
  headline?: string;
  /** Candidate bylines, best first, unchecked. */
  authors: string[];
  /** Candidate publication dates, best first, unchecked. */
  dates: string[];
  /** Candidate site names, best first, unchecked. */
  outlets: string[];
  /** The page's own one-paragraph summaries (meta description, JSON-LD description). */
  descriptions: string[];
  /** The body as the publisher wrote it into JSON-LD, when it did. */
  articleBody?: string;
  /** The sections the page files the article under (JSON-LD articleSection; "Opinion" for an OpinionNewsArticle). */
  sections: string[];
}

type JsonObject = Record<string, unknown>;

const ARTICLE_TYPES = /^(?:\w+)?(?:Article|BlogPosting|NewsArticle|Report|Posting|LiveBlogPosting)$/;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typesOf(node: JsonObject): string[] {
  const type = node['@type'];
  return (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === 'string');
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return clean(value) || undefined;
  return undefined;
}

/** Every object in a JSON-LD value: top-level arrays, `@graph` lists and nested values. */
function collectNodes(value: unknown, into: JsonObject[], depth = 0): void {
  if (depth > 6) return;
  if (Array.isArray(value)) {
    for (const item of value) collectNodes(item, into, depth + 1);
  } else if (isObject(value)) {
    into.push(value);
    if (Array.isArray(value['@graph'])) collectNodes(value['@graph'], into, depth + 1);
  }
}

function namesOf(value: unknown, byId: Map<string, JsonObject>, people: boolean): string[] {
  const out: string[] = [];
  for (let item of Array.isArray(value) ? value : [value]) {
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    if (!isObject(item)) continue;
    const ref = typeof item['@id'] === 'string' ? byId.get(item['@id']) : undefined;
    if (ref && item.name === undefined) item = ref;
    if (people && typesOf(item).some((t) => t === 'Organization' || t === 'NewsMediaOrganization')) continue;
    const name = text(item.name);
    if (name) out.push(name);
  }
  return out;
}

function readJsonLd(scripts: string[]): PageMetadata {
  const nodes: JsonObject[] = [];
  for (const script of scripts) {
    try {
      collectNodes(JSON.parse(script), nodes);
    } catch {
      // A page's broken JSON-LD is the page's problem; its other metadata still counts.
    }
  }
  const byId = new Map<string, JsonObject>();
  for (const node of nodes) if (typeof node['@id'] === 'string') byId.set(node['@id'], node);
  const result: PageMetadata = { authors: [], dates: [], outlets: [], descriptions: [], sections: [] };
  const sites: string[] = [];
  for (const node of nodes) {
    const types = typesOf(node);
    if (types.includes('WebSite')) {
      const name = text(node.name);
      if (name) sites.push(name);
    }
    if (!types.some((t) => ARTICLE_TYPES.test(t))) continue;
    result.headline ??= text(node.headline);
    // One article's authors are one byline: "Dana Ruiz and Otto Berg".
    const authors = namesOf(node.author, byId, true);
    if (authors.length > 0) result.authors.push(authors.join(' and '));
    const date = text(node.datePublished) ?? text(node.dateCreated);
    if (date) result.dates.push(date);
    result.outlets.push(...namesOf(node.publisher, byId, false));
    const description = text(node.description);
    if (description) result.descriptions.push(description);
    if (result.articleBody === undefined && typeof node.articleBody === 'string' && node.articleBody.trim()) result.articleBody = node.articleBody;
    if (types.includes('OpinionNewsArticle')) result.sections.push('Opinion');
    for (const section of Array.isArray(node.articleSection) ? node.articleSection : [node.articleSection]) {
      const name = text(section);
      if (name && name.length <= 60) result.sections.push(name);
    }
  }
  result.outlets.push(...sites);
  return result;
}

/** The page's meta tags by name, property or itemprop (lower case), read in one pass over the page. */
export type MetaTags = Map<string, string[]>;

function readMetaTags(doc: DomDocument): MetaTags {
  const tags: MetaTags = new Map();
  const add = (key: string | null, value: string | null): void => {
    const text = clean(value);
    if (!key || !text) return;
    const k = key.toLowerCase();
    const list = tags.get(k);
    if (list) list.push(text);
    else tags.set(k, [text]);
  };
  for (const meta of doc.querySelectorAll('meta')) {
    const content = meta.getAttribute('content');
    add(meta.getAttribute('property'), content);
    add(meta.getAttribute('name'), content);
    add(meta.getAttribute('itemprop'), content);
  }
  // <time itemprop="datePublished" datetime="...">
  for (const element of doc.querySelectorAll('[itemprop="datePublished"][datetime]')) add('datepublished', element.getAttribute('datetime'));
  return tags;
}

export function metaValues(tags: MetaTags, ...keys: string[]): string[] {
  return keys.flatMap((k) => tags.get(k) ?? []);
}

/** Reads the page's own metadata. Call before scripts are stripped: JSON-LD lives in `<script>` tags. */
export function readPageMetadata(doc: DomDocument): PageMetadata & { tags: MetaTags } {
  const scripts = [...doc.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent ?? '');
  const ld = readJsonLd(scripts);
  const tags = readMetaTags(doc);
  const metadata: PageMetadata & { tags: MetaTags } = {
    tags,
    authors: [...ld.authors, ...metaValues(tags, 'author', 'article:author', 'byl', 'sailthru.author', 'parsely-author')],
    dates: [
      ...ld.dates,
      ...metaValues(tags, 'article:published_time', 'datepublished', 'date', 'pubdate', 'publish-date', 'parsely-pub-date', 'sailthru.date', 'dc.date.issued', 'dcterms.created'),
    ],
    outlets: [...metaValues(tags, 'og:site_name'), ...ld.outlets, ...metaValues(tags, 'application-name', 'apple-mobile-web-app-title')],
    descriptions: [...metaValues(tags, 'og:description', 'description', 'twitter:description'), ...ld.descriptions],
    sections: [...new Set([...ld.sections, ...metaValues(tags, 'article:section', 'parsely-section', 'sailthru.section')].map((v) => clean(v)).filter((v) => v && v.length <= 60))],
  };
  if (ld.headline) metadata.headline = ld.headline;
  if (ld.articleBody) metadata.articleBody = ld.articleBody;
  return metadata;
}

// ---- bylines ----

/** Words that name a role, a desk or an organisation, never a person: "Staff Writer", "CNN Business". */
const NOT_A_PERSON = new Set(
  (
    'staff writer writers reporter reporters editor editors editorial correspondent correspondents contributor contributors ' +
    'columnist columnists press news newsroom desk bureau team agency agencies wire wires service services media digital online ' +
    'sport sports business magazine times post daily weekly journal herald tribune gazette admin administrator webmaster ' +
    'associated international group network networks newswire publishing published updated posted opinion the'
  ).split(' '),
);

/** Lower-case words that may sit inside a name: "Ursula von der Leyen", "Luiz Inácio da Silva". */
const NAME_PARTICLES = new Set('de da das do dos du del della der den di la le van von ter ten bin ibn al el y e'.split(' '));

/** "JamesStaff" → "James Staff": a byline glued to the role after it. Short prefixes stay whole: McDonald, DeShawn, LaToya. */
function unglue(value: string): string {
  return value.replace(/(\p{Ll}{3,})(\p{Lu})/gu, (m: string, a: string, b: string) => (/^(?:mac)$/i.test(a) ? m : `${a} ${b}`)).replace(/(\p{Lu}{3,})(\p{Lu}\p{Ll})/gu, '$1 $2');
}

function titleCase(word: string): string {
  return word.charAt(0) + word.slice(1).toLowerCase();
}

/** One person's name, or undefined: two to five name-like words, no digits, not a role or an organisation. */
function personName(raw: string): string | undefined {
  const words = raw.split(/\s+/).filter(Boolean);
  if (words.length < 2 || words.length > 5) return undefined;
  if (words.some((w) => NOT_A_PERSON.has(w.toLowerCase()))) return undefined;
  for (const word of words) {
    if (NAME_PARTICLES.has(word)) continue;
    if (!/^\p{Lu}[\p{L}\p{M}'’.-]*$/u.test(word)) return undefined;
  }
  if (NAME_PARTICLES.has(words[0]!) || NAME_PARTICLES.has(words[words.length - 1]!)) return undefined;
  const name = words.join(' ');
  if (name.length > 60) return undefined;
  // An all-capitals byline ("JANIE HAR") is shown as a name is written.
  return name === name.toUpperCase() && /\p{Lu}{2}/u.test(name) ? words.map(titleCase).join(' ') : name;
}

/** "Meg JamesStaff Writer" → "Meg James": a role glued to the name before it goes; a role on its own ("HNN Staff") is no name. */
function withoutGluedRole(part: string): string {
  const unglued = unglue(part);
  if (unglued === part) return part;
  const words = unglued.split(/\s+/);
  while (words.length > 0 && NOT_A_PERSON.has(words[words.length - 1]!.toLowerCase())) words.pop();
  return words.join(' ');
}

const squash = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * A byline as people's names ("Kevin Johnson and Kevin McCoy"), or undefined when the value is
 * not one: "Lucas Nolan22 Dec 2016651", "Published Nov 18, 2019 at 4:07 PM", "HNN Staff",
 * "https://example.com/profile/x". A role or an outlet after a comma is dropped
 * ("Tom Krisher, AP Auto Writer" → "Tom Krisher"), and so is the outlet's own name.
 */
export function validByline(raw: string | undefined, outlet?: string): string | undefined {
  let value = clean(raw);
  if (!value || value.length > 200 || /:\/\/|@|\bwww\./i.test(value)) return undefined;
  // "Monday November 18, 2019 7:45 am PST by Joe Rossignol": the names follow the last "by".
  const by = /(?:^|\s)by\s+(?=\p{Lu})/giu;
  let last = -1;
  for (let m = by.exec(value); m; m = by.exec(value)) last = m.index + m[0].length;
  if (last >= 0) value = value.slice(last);
  // A short label before a colon: "Text: Jane Doe", "Words: ...". A date after the names: "Jane Doe on Monday, …".
  value = value.replace(/^[\p{L} ]{1,20}:\s*/u, '').replace(/\s+(?:on|at)\s+(?=\d|(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b).*$/i, '');
  const outletKey = outlet ? squash(outlet) : undefined;
  const names: string[] = [];
  for (const part of value.split(/\s*(?:,|;|\||&|\/|·|•|\s[-–—]\s|\band\b|\bund\b)\s*/u)) {
    const name = personName(withoutGluedRole(part.trim()));
    if (name && !names.includes(name) && squash(name) !== outletKey) names.push(name);
  }
  if (names.length === 0 || names.length > 5) return undefined;
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

// ---- dates ----

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const HAS_ZONE = /(?:\b(?:GMT|UTC|Z)\b|[+-]\d{2}:?\d{2}\s*$|\b[ECMP][SD]T\b)/;

const pad = (n: number): string => String(n).padStart(2, '0');

function plausibleYear(year: number): boolean {
  return year >= 1900 && year <= new Date().getUTCFullYear() + 1;
}

/**
 * A publication date as ISO 8601, or undefined when the value is not a date. ISO values keep
 * their precision and zone; other dates that JavaScript reads ("November 20, 2019 13:42",
 * "Wed Nov 20 2019 08:00:58 GMT+0000") become ISO, in UTC when they name a zone and as the
 * page's local time when they do not.
 */
export function validDate(raw: string | undefined): string | undefined {
  const value = clean(raw);
  if (!value || value.length > 60) return undefined;
  const iso = ISO_DATE.exec(value);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    if (!plausibleYear(Number(y)) || Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
    if (h === undefined) return `${y}-${mo}-${d}`;
    if (Number(h) > 23 || Number(mi) > 59) return undefined;
    const z = zone === undefined ? '' : zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    return `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${frac ?? ''}${z}`;
  }
  // Digits alone (an epoch, an id) are not a date anyone wrote.
  if (!/\p{L}/u.test(value)) return undefined;
  const time = Date.parse(value.replace(/\b([A-Za-z]{3,4})\./g, '$1').replace(/(\d)(st|nd|rd|th)\b/g, '$1').replace(/\bat\b/i, ''));
  if (Number.isNaN(time)) return undefined;
  const date = new Date(time);
  if (HAS_ZONE.test(value)) {
    return plausibleYear(date.getUTCFullYear()) ? date.toISOString().replace('.000Z', 'Z') : undefined;
  }
  if (!plausibleYear(date.getFullYear())) return undefined;
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return /\d:\d\d/.test(value) ? `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` : day;
}

// ---- outlet ----

/**
 * The site's name as the page gives it, or undefined. A tagline after a separator goes
 * ("LinkNaija | Nigeria's popular news platform" → "LinkNaija"); a URL is not a name.
 */
export function validOutlet(raw: string | undefined): string | undefined {
  let value = clean(raw).replace(/^@/, '');
  if (!value || /:\/\//.test(value)) return undefined;
  value = value.split(/\s+[|–—-]\s+|\s*\|\s*/)[0]!.trim();
  if (value.length < 2 || value.length > 60 || !/\p{L}/u.test(value)) return undefined;
  return value;
}
