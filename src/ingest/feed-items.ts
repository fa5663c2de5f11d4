import { parseFeed, type AnyFeed, type AtomFeed } from 'feedsmith';
import { BriefbotError } from '../errors.js';
import { textFromHtml } from './extract-html.js';

/**
 * A feed (RSS 2.0, Atom, JSON Feed, RDF), parsed by feedsmith, as the few things ingestion needs
 * from each item. feedsmith does the format work; this only picks fields and resolves links.
 */

export interface FeedItem {
  /** RSS guid, Atom id, JSON Feed id. */
  guid?: string;
  /** The item's page, absolute http(s). */
  link?: string;
  /** Plain text. */
  title: string;
  published?: string;
  author?: string;
  /** The full text when the feed carries one (content:encoded, Atom content, content_html). */
  contentHtml?: string;
  /** The description or summary (often a snippet). */
  summaryHtml?: string;
  tags: string[];
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json' | 'rdf';
  title?: string;
  items: FeedItem[];
}

export { FEED_ACCEPT_HEADER, FEED_CONTENT_TYPES } from './feed-formats.js';

function absolute(link: string | undefined, base: string): string | undefined {
  if (!link?.trim()) return undefined;
  try {
    const url = new URL(link.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function isoDate(value: string | undefined): string | undefined {
  if (!value?.trim()) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? value.trim() : new Date(time).toISOString();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value : undefined;
}

/** Atom text constructs: `text` is plain (escape it so it reads as HTML the same way), html and xhtml are markup. */
function atomText(text: { value?: string; type?: string } | undefined): string | undefined {
  if (!text?.value?.trim()) return undefined;
  if (!text.type || text.type === 'text') return text.value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return text.value;
}

function atomLink(entry: AtomFeed.Entry<string>, base: string): string | undefined {
  const links = entry.links ?? [];
  const alternate = links.find((l) => !l.rel || l.rel === 'alternate') ?? links[0];
  return absolute(alternate?.href, base);
}

function withOptional<T extends object>(target: T, extra: Record<string, string | undefined>): T {
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  return target;
}

/** `<item` elements (any prefix), not `<items`. */
const RDF_ITEM_TAG = /<(?:[\w.-]+:)?item[\s/>]/g;
/** The channel's table of contents, `<items><rdf:Seq>…</rdf:Seq></items>`, any prefix. */
const RDF_ITEMS_TOC = /<((?:[\w.-]+:)?items)\b[^>]*?(?:\/>|>[\s\S]*?<\/\1\s*>)/;

/**
 * RSS 1.0 lists its items twice: as `<item>` elements and in the channel's `rdf:Seq`. feedsmith
 * keeps only the items the Seq names, so an item a publisher forgot to list there vanished
 * without a word. When there are more `<item>` elements than items read, the feed is read again
 * without the table of contents, which makes feedsmith take every item in document order.
 */
function withUnlistedRdfItems(text: string, parsed: AnyFeed<string>): AnyFeed<string> {
  if (parsed.format !== 'rdf') return parsed;
  const elements = text.match(RDF_ITEM_TAG)?.length ?? 0;
  if (elements <= (parsed.feed.items?.length ?? 0)) return parsed;
  const toc = RDF_ITEMS_TOC.exec(text);
  // Only the channel's own list, which comes before the first item.
  if (!toc || toc.index > text.search(RDF_ITEM_TAG)) return parsed;
  try {
    const again = parseFeed<string>(text.slice(0, toc.index) + text.slice(toc.index + toc[0].length));
    return again.format === 'rdf' && (again.feed.items?.length ?? 0) > (parsed.feed.items?.length ?? 0) ? again : parsed;
  } catch {
    return parsed;
  }
}

/** Parses feed text; anything feedsmith cannot read as a feed is a `bad-record` error naming why. */
export function parseFeedText(text: string, feedUrl: string): ParsedFeed {
  let parsed: AnyFeed<string>;
  try {
    parsed = withUnlistedRdfItems(text, parseFeed<string>(text));
  } catch (error) {
    throw new BriefbotError('bad-record', `not a readable RSS, Atom or JSON feed (${(error as Error).message})`, { cause: error });
  }
  switch (parsed.format) {
    case 'rss':
    case 'rdf': {
      const feed = parsed.feed;
      const items = (feed.items ?? []).map((item) => {
        const rss = item as typeof item & { guid?: { value?: string }; pubDate?: string; authors?: Array<{ name?: string }>; categories?: Array<{ name?: string }>; rdf?: { about?: string } };
        const link = absolute(item.link ?? (rss.guid?.value && /^https?:/i.test(rss.guid.value) ? rss.guid.value : undefined), feedUrl);
        return withOptional<FeedItem>(
          { title: textFromHtml(item.title ?? item.dc?.titles?.[0] ?? ''), tags: (rss.categories ?? []).map((c) => c.name ?? '').filter(Boolean) },
          {
            guid: nonEmpty(rss.guid?.value) ?? nonEmpty(rss.rdf?.about),
            link,
            published: isoDate(rss.pubDate ?? item.dc?.dates?.[0]),
            author: nonEmpty(rss.authors?.[0]?.name) ?? nonEmpty(item.dc?.creators?.[0]),
            contentHtml: nonEmpty(item.content?.encoded),
            summaryHtml: nonEmpty(item.description),
          },
        );
      });
      return withOptional<ParsedFeed>({ format: parsed.format, items }, { title: nonEmpty(feed.title) });
    }
    case 'atom': {
      const feed = parsed.feed;
      const items = (feed.entries ?? []).map((entry) =>
        withOptional<FeedItem>(
          { title: textFromHtml(atomText(entry.title) ?? ''), tags: (entry.categories ?? []).map((c) => c.label ?? c.term ?? '').filter(Boolean) },
          {
            guid: nonEmpty(entry.id),
            link: atomLink(entry, feedUrl),
            published: isoDate(entry.published ?? entry.updated),
            author: nonEmpty(entry.authors?.[0]?.name),
            contentHtml: entry.content?.src ? undefined : atomText(entry.content),
            summaryHtml: atomText(entry.summary),
          },
        ),
      );
      return withOptional<ParsedFeed>({ format: 'atom', items }, { title: feed.title ? textFromHtml(atomText(feed.title) ?? '') : undefined });
    }
    case 'json': {
      const feed = parsed.feed;
      const items = (feed.items ?? []).map((item) =>
        withOptional<FeedItem>(
          { title: textFromHtml(item.title ?? ''), tags: item.tags ?? [] },
          {
            guid: nonEmpty(item.id === undefined ? undefined : String(item.id)),
            link: absolute(item.url ?? item.external_url, feedUrl),
            published: isoDate(item.date_published ?? item.date_modified),
            author: nonEmpty(item.authors?.[0]?.name),
            contentHtml: nonEmpty(item.content_html) ?? (item.content_text?.trim() ? item.content_text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n/g, '<br>') : undefined),
            summaryHtml: nonEmpty(item.summary),
          },
        ),
      );
      return withOptional<ParsedFeed>({ format: 'json', items }, { title: nonEmpty(feed.title) });
    }
  }
}
