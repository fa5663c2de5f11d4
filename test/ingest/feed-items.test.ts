import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeedText } from '../../src/ingest/feed-items.js';
import { isBriefbotError } from '../../src/errors.js';

const FEEDS = join(import.meta.dirname, '..', 'fixtures', 'feeds');
const read = (name: string): string => readFileSync(join(FEEDS, name), 'utf8').replaceAll('{{origin}}', 'http://127.0.0.1:9');

describe('parseFeedText (unit, feedsmith underneath)', () => {
  it('reads RSS 2.0 items: guid, link, author, date, full content and description', () => {
    const feed = parseFeedText(read('rss.xml'), 'https://harbour.example/feed.xml');
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('Harbour Gazette');
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({
      guid: 'harbour-2025-0611-wall',
      link: 'https://harbour.example/news/harbour-wall?utm_source=rss',
      title: 'Council approves $4.2 million harbour wall repair',
      author: 'Mara Quinn',
      published: '2025-06-11T09:00:00.000Z',
      tags: ['Council'],
      summaryHtml: 'The council approved the repair after months of debate.',
    });
    expect(feed.items[0]!.contentHtml).toMatch(/^<p>The town council approved/);
  });

  it('reads Atom entries, resolving relative links and keeping plain-text summaries as text', () => {
    const feed = parseFeedText(read('atom.xml'), 'https://valley.example/feeds/science.atom');
    expect(feed.format).toBe('atom');
    expect(feed.title).toBe('Valley Science Desk');
    expect(feed.items[0]).toMatchObject({
      guid: 'tag:valley.example,2025:glacier-loss',
      link: 'https://valley.example/science/glacier-loss',
      title: 'Glacier lost 12 metres of ice in a single summer',
      author: 'Dr. Helen Park',
      published: '2025-06-11T08:00:00.000Z',
    });
    expect(feed.items[0]!.contentHtml).toMatch(/<p>The Morrow glacier/);
    expect(feed.items[1]).toMatchObject({ link: 'https://valley.example/science/orchid', published: '2025-06-10T08:00:00.000Z' });
    expect(feed.items[1]!.contentHtml).toBeUndefined();
    expect(feed.items[1]!.summaryHtml).toMatch(/^Botanists found a rare orchid/);
  });

  it('reads JSON Feed items: content_text becomes paragraphs, summary-only items keep their summary', () => {
    const feed = parseFeedText(read('feed.json'), 'https://metro.example/feed.json');
    expect(feed.format).toBe('json');
    expect(feed.items[0]).toMatchObject({ guid: 'metro-417', link: 'https://metro.example/notes/417', author: 'Sam Okafor', tags: ['transit'] });
    expect(feed.items[0]!.contentHtml).toMatch(/pandemic\.<br><br>The authority/);
    expect(feed.items[1]).toMatchObject({ guid: 'metro-416', link: 'http://127.0.0.1:9/pages/tram-depot.html', summaryHtml: 'The old tram depot will be rebuilt. Read more on our site.' });
    expect(feed.items[1]!.contentHtml).toBeUndefined();
  });

  it('refuses a malformed feed, and a page that is not a feed, with a bad-record error', () => {
    for (const text of [read('malformed.xml'), '<!doctype html><html><body>Hello</body></html>', '{"not":"a feed"}', '']) {
      try {
        parseFeedText(text, 'https://example.test/feed');
        expect.fail('expected a failure');
      } catch (error) {
        expect(isBriefbotError(error) && error.code).toBe('bad-record');
        expect((error as Error).message).toMatch(/not a readable RSS, Atom or JSON feed/);
      }
    }
  });

  it('expands no DTD entities: a billion-laughs feed stays small and an external entity is never read', () => {
    const levels = Array.from({ length: 8 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "lol">${levels}]><rss version="2.0"><channel><title>&l8;</title><item><title>&l8;</title><guid>1</guid><description>x</description></item></channel></rss>`;
    const started = performance.now();
    const feed = parseFeedText(bomb, 'https://example.test/');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(feed.items[0]!.title.length).toBeLessThan(100);
    const xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>t</title><item><title>&xxe;</title><guid>1</guid></item></channel></rss>';
    let text = '';
    try {
      text = JSON.stringify(parseFeedText(xxe, 'https://example.test/'));
    } catch {
      // refusing the feed is fine too
    }
    expect(text).not.toMatch(/root:/);
  });

  it('drops links that are not http(s)', () => {
    const feed = parseFeedText('<rss version="2.0"><channel><title>x</title><item><title>A</title><link>javascript:alert(1)</link><guid>1</guid></item></channel></rss>', 'https://example.test/');
    expect(feed.items[0]!.link).toBeUndefined();
  });
});
