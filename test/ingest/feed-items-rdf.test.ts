/**
 * Issue 11, point 11: RSS 1.0 items missing from the channel's `rdf:Seq` were silently dropped
 * (feedsmith reads only the items the Seq names). They are now kept. Feeds written for the test.
 */
import { describe, expect, it } from 'vitest';
import { parseFeedText } from '../../src/ingest/feed-items.js';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

function rdfFeed(listed: string[], items: string[], prefix = ''): string {
  const p = prefix ? `${prefix}:` : '';
  const ns = prefix ? `xmlns:${prefix}="http://purl.org/rss/1.0/"` : 'xmlns="http://purl.org/rss/1.0/"';
  const seq = listed.map((id) => `<rdf:li rdf:resource="https://news.example/${id}"/>`).join('');
  const body = items
    .map((id) => `<${p}item rdf:about="https://news.example/${id}"><${p}title>Story ${id}</${p}title><${p}link>https://news.example/${id}</${p}link></${p}item>`)
    .join('\n');
  return `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="${RDF}" ${ns}>
<${p}channel rdf:about="https://news.example/"><${p}title>News</${p}title><${p}link>https://news.example/</${p}link><${p}description>d</${p}description>
<${p}items><rdf:Seq>${seq}</rdf:Seq></${p}items>
</${p}channel>
${body}
</rdf:RDF>`;
}

const links = (text: string): Array<string | undefined> => parseFeedText(text, 'https://news.example/index.rdf').items.map((i) => i.link);

describe('RSS 1.0 items and the rdf:Seq', () => {
  it('keeps an item the Seq does not list', () => {
    const feed = parseFeedText(rdfFeed(['a'], ['a', 'b']), 'https://news.example/index.rdf');
    expect(feed.format).toBe('rdf');
    expect(feed.items.map((i) => [i.guid, i.title])).toEqual([
      ['https://news.example/a', 'Story a'],
      ['https://news.example/b', 'Story b'],
    ]);
  });

  it('keeps items when the Seq is empty or lists only items that do not exist', () => {
    expect(links(rdfFeed([], ['a', 'b', 'c']))).toEqual(['https://news.example/a', 'https://news.example/b', 'https://news.example/c']);
    expect(links(rdfFeed(['x'], ['a', 'b']))).toEqual(['https://news.example/a', 'https://news.example/b']);
  });

  it('keeps the Seq order when the Seq lists every item', () => {
    expect(links(rdfFeed(['b', 'a'], ['a', 'b']))).toEqual(['https://news.example/b', 'https://news.example/a']);
  });

  it('works with a prefixed RSS namespace too', () => {
    expect(links(rdfFeed(['a'], ['a', 'b'], 'rss'))).toEqual(['https://news.example/a', 'https://news.example/b']);
  });

  it('leaves text that mentions <items> inside an item alone', () => {
    const text = rdfFeed(['a'], ['a']).replace('<title>Story a</title>', '<title>Story a</title><description><![CDATA[<items>kept</items>]]></description>');
    const feed = parseFeedText(text, 'https://news.example/index.rdf');
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]!.summaryHtml).toBe('<items>kept</items>');
  });
});
