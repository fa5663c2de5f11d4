/**
 * What a feed request accepts. Kept apart from feed-items.ts so that the poller can name them
 * without loading the feed parser and the HTML reader, which load on the first poll (see
 * feed-poller.ts: a bot without feeds never pays for them).
 */
export const FEED_CONTENT_TYPES = [
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
  'application/json',
  'application/xml',
  'text/xml',
  'text/plain',
  'application/x-rss+xml',
  'application/octet-stream',
] as const;

export const FEED_ACCEPT_HEADER = 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, application/json;q=0.9, text/xml;q=0.9, */*;q=0.1';
