import { describe, expect, it } from 'vitest';
import { canonicalUrl, identifyItem, sourceIdFor } from '../../src/ingest/item-identity.js';

describe('item identity (unit)', () => {
  it('canonicalises links: scheme, www, fragment, default port, tracking parameters, parameter order', () => {
    expect(canonicalUrl('http://www.News.test:80/story/a?utm_source=x&b=2&a=1&fbclid=z#top')).toBe('https://news.test/story/a?a=1&b=2');
    expect(canonicalUrl('https://news.test/story/a')).toBe('https://news.test/story/a');
    expect(canonicalUrl('https://news.test:8443/story/a')).toBe('https://news.test:8443/story/a');
    expect(canonicalUrl('mailto:someone@example.test')).toBeUndefined();
    expect(canonicalUrl('not a url')).toBeUndefined();
  });

  it('keys an item by GUID, else canonical URL, else content; the content hash ignores layout whitespace', () => {
    const a = identifyItem({ guid: 'g-1', link: 'https://news.test/a', title: 'A', contentHtml: '<p>Body  text</p>', tags: [] });
    expect(a.key).toBe('guid:g-1');
    expect(a.canonicalUrl).toBe('https://news.test/a');
    expect(identifyItem({ link: 'https://news.test/a?utm_medium=rss', title: 'A', tags: [] }).key).toBe('url:https://news.test/a');
    expect(identifyItem({ title: 'A', summaryHtml: 'Only text', tags: [] }).key).toMatch(/^hash:[0-9a-f]{64}$/);
    expect(identifyItem({ guid: 'g-1', title: 'A', contentHtml: '<p>Body text</p>\n', tags: [] }).contentHash).toBe(a.contentHash);
    expect(identifyItem({ guid: 'g-1', title: 'A (updated)', contentHtml: '<p>Body text</p>', tags: [] }).contentHash).not.toBe(a.contentHash);
  });

  it('gives a feed the same short id however its URL is written', () => {
    expect(sourceIdFor('https://news.test/feed.xml?utm_source=x')).toBe(sourceIdFor('http://www.news.test/feed.xml'));
    expect(sourceIdFor('https://news.test/feed.xml')).toMatch(/^feed-[0-9a-f]{8}$/);
  });
});
