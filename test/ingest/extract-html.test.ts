import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { articleFromHtml, blocksFromHtml, textFromHtml } from '../../src/ingest/extract-html.js';

const PAGES = join(import.meta.dirname, '..', 'fixtures', 'pages');

describe('articleFromHtml (unit: Readability over linkedom)', () => {
  it('finds the article in a page full of navigation, cookie banners and asides', () => {
    const html = readFileSync(join(PAGES, 'library-reopens.html'), 'utf8');
    const { article, canonicalUrl } = articleFromHtml(html, 'https://teaser.example/pages/library-reopens.html?ref=home');
    expect(article.title).toBe('Library reopens after two-year renovation');
    expect(article.author).toBe('Nadia Flores');
    expect(article.outlet).toBe('Teaser Times');
    expect(article.published).toBe('2025-06-09T07:00:00Z');
    expect(canonicalUrl).toBe('https://teaser.example/pages/library-reopens.html');
    expect(article.url).toBe(canonicalUrl);
    expect(article.source).toEqual({ format: 'html', path: canonicalUrl });
    const text = article.blocks.map((b) => b.text).join('\n');
    expect(text).toMatch(/^The central library reopens on Saturday/);
    expect(article.blocks).toContainEqual({ kind: 'heading', text: 'Longer hours' });
    expect(text).not.toMatch(/cookies|Most read|All rights reserved|Home · News|By Nadia Flores/);
  });

  it('never runs the page scripts', () => {
    const html = '<html><body><script>globalThis.__extractRan = 1</script><article><p>' + 'The council met on Tuesday and voted to repair the wall. '.repeat(10) + '</p><img src="x" onerror="globalThis.__extractRan = 2"></article></body></html>';
    articleFromHtml(html, 'https://example.test/a');
    expect((globalThis as Record<string, unknown>).__extractRan).toBeUndefined();
  });

  it('refuses a page with no article text', () => {
    expect(() => articleFromHtml('<html><body><nav>Home</nav></body></html>', 'https://example.test/')).toThrow(/no article/)
    expect(() => articleFromHtml('<html><body><nav>Home</nav><p>Menu</p></body></html>', 'https://example.test/')).toThrow(/no article/);
  });
});

describe('blocksFromHtml (unit)', () => {
  it('splits feed content into paragraphs and headings, with <br><br> as a paragraph break', () => {
    expect(blocksFromHtml('Intro line<br><br>Second <b>bold</b> &amp; more<h2>Next</h2><ul><li>one</li><li>two</li></ul><script>x()</script>')).toEqual([
      { kind: 'paragraph', text: 'Intro line' },
      { kind: 'paragraph', text: 'Second bold & more' },
      { kind: 'heading', text: 'Next' },
      { kind: 'paragraph', text: 'one' },
      { kind: 'paragraph', text: 'two' },
    ]);
  });

  it('survives markup nested far deeper than any call stack', () => {
    expect(blocksFromHtml('<div>'.repeat(20_000) + 'deep text')).toEqual([{ kind: 'paragraph', text: 'deep text' }]);
  });

  it('turns titles with entities and markup into plain text', () => {
    expect(textFromHtml('Tom &amp; Jerry <b>win</b>')).toBe('Tom & Jerry win');
    expect(textFromHtml('Plain title')).toBe('Plain title');
  });
});
