import type { SafeFetcher } from '../net/safe-fetch.js';
import { decodeBody } from '../net/safe-fetch.js';
import { articleFromHtml, type ExtractedPage } from './extract-html.js';

export const PAGE_CONTENT_TYPES = ['text/html', 'application/xhtml+xml'] as const;

/** Fetches a web page through the safe fetcher and finds the article in it. */
export async function fetchPageArticle(fetcher: SafeFetcher, url: string, signal?: AbortSignal): Promise<ExtractedPage & { finalUrl: string }> {
  const result = await fetcher.fetch(url, {
    accept: PAGE_CONTENT_TYPES,
    acceptHeader: 'text/html, application/xhtml+xml;q=0.9',
    ...(signal ? { signal } : {}),
  });
  const page = articleFromHtml(decodeBody(result.body, result.charset), result.url);
  return { ...page, finalUrl: result.url };
}
