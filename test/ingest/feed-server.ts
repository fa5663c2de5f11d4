/**
 * Fixture feeds and pages served from 127.0.0.1, with ETags and 304s like a real feed server,
 * and feeds the test can rewrite between polls. `{{origin}}` in a fixture becomes the server's.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { startLocalServer, type LocalServer, type Route } from '../net/local-server.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export const CONTENT_TYPES: Record<string, string> = {
  xml: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json',
  html: 'text/html; charset=utf-8',
};

export interface FeedServer extends LocalServer {
  /** A fixture file's text with `{{origin}}` filled in. */
  fixture(path: string): string;
  /** Serves text at a path with an ETag and Last-Modified, answering 304 when they match. */
  serve(path: string, body: string, contentType: string): void;
  /** Requests for a path so far. */
  hits(path: string): number;
}

export async function startFeedServer(): Promise<FeedServer> {
  const server = await startLocalServer();
  const fixture = (path: string): string => readFileSync(join(FIXTURES, path), 'utf8').replaceAll('{{origin}}', server.origin);
  const serve = (path: string, body: string, contentType: string): void => {
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    const lastModified = new Date(Date.UTC(2025, 5, 11, 12, 0, 0)).toUTCString();
    server.route(path, (req): Route => {
      if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag, 'last-modified': lastModified } };
      return { headers: { 'content-type': contentType, etag, 'last-modified': lastModified }, body };
    });
  };
  serve('/pages/library-reopens.html', fixture('pages/library-reopens.html'), CONTENT_TYPES.html!);
  serve('/pages/tram-depot.html', fixture('pages/tram-depot.html'), CONTENT_TYPES.html!);
  return Object.assign(server, {
    fixture,
    serve,
    hits: (path: string) => server.requests.filter((r) => r.path === path || r.path.startsWith(path + '?')).length,
  });
}

/** An RSS 2.0 feed around these `<item>` elements. */
export function rssFeed(title: string, items: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${title}</title><link>https://example.test/</link>
${items.join('\n')}
</channel></rss>`;
}

export interface ItemSpec {
  guid?: string;
  link?: string;
  title: string;
  paragraphs: string[];
  published?: string;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function rssItem(spec: ItemSpec): string {
  return `<item><title>${escapeXml(spec.title)}</title>${spec.link ? `<link>${escapeXml(spec.link)}</link>` : ''}${spec.guid ? `<guid isPermaLink="false">${escapeXml(spec.guid)}</guid>` : ''}${
    spec.published ? `<pubDate>${new Date(spec.published).toUTCString()}</pubDate>` : ''
  }<content:encoded><![CDATA[${spec.paragraphs.map((p) => `<p>${p}</p>`).join('')}]]></content:encoded></item>`;
}

/** A few paragraphs of news text long enough to count as an item's full text. */
export function storyParagraphs(topic: string, n: number): string[] {
  return [
    `The regional authority announced on Monday that ${topic} would go ahead next spring after a review found ${n * 3} problems with the original plan.`,
    `"We listened to every objection and changed the plan where it mattered," said Dana Whitfield, the authority's chief planner, at a briefing attended by ${n + 40} people.`,
    `The work is expected to cost about $${n + 2}.5 million and to take ${n + 6} months, according to documents published alongside the announcement.`,
  ];
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
