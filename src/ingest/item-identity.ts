import { shortHash } from '../articles/index.js';
import type { FeedItem } from './feed-items.js';
import { hashText } from './record-article.js';

/**
 * How an item is recognised when it comes round again: by its GUID within its feed, or by its
 * canonical URL anywhere (the same story in two feeds arrives once); its content hash tells an
 * edit from a repeat.
 */

/** Query parameters that only track the reader, never choose the page. */
const TRACKING = /^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|_gl|ref_src|cmpid|ocid|smid|sr_share|at_medium|at_campaign|taid)$/i;

/**
 * A URL reduced to what identifies the page: https, no `www.`, no fragment, no tracking
 * parameters, the rest sorted. For recognising a page, not for fetching it.
 */
export function canonicalUrl(link: string | undefined): string | undefined {
  if (!link) return undefined;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const params = [...url.searchParams.entries()].filter(([name]) => !TRACKING.test(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const search = new URLSearchParams(params).toString();
  const port = url.port && !((url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443')) ? `:${url.port}` : '';
  return `https://${url.hostname.replace(/^www\./, '')}${port}${url.pathname}${search ? `?${search}` : ''}`;
}

export interface ItemIdentity {
  /** Unique within the feed: `guid:<guid>`, else `url:<canonical url>`, else `hash:<content hash>`. */
  key: string;
  canonicalUrl?: string;
  contentHash: string;
}

/** The hash of what a reader sees of the item: its title and text (dates and links may churn without an edit). */
export function itemContentHash(item: Pick<FeedItem, 'title' | 'contentHtml' | 'summaryHtml'>): string {
  const normalise = (s: string | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
  return hashText([normalise(item.title), normalise(item.contentHtml), normalise(item.summaryHtml)].join('\n'));
}

export function identifyItem(item: FeedItem): ItemIdentity {
  const contentHash = itemContentHash(item);
  const url = canonicalUrl(item.link);
  const key = item.guid ? `guid:${item.guid.trim().slice(0, 500)}` : url ? `url:${url}` : `hash:${contentHash}`;
  return url ? { key, canonicalUrl: url, contentHash } : { key, contentHash };
}

/** A source's id: short, stable, derived from its canonical URL. */
export function sourceIdFor(feedUrl: string): string {
  return `feed-${shortHash(canonicalUrl(feedUrl) ?? feedUrl).slice(0, 8)}`;
}
