import { describe, expect, it } from 'vitest';
import { articleText } from '../../src/articles/index.js';
import { isBriefbotError } from '../../src/errors.js';
import { articleFromHtml, articleFromHtmlBytes, bytesLookLikeHtml, looksLikeHtml } from '../../src/ingest/extract-html.js';

/** Pages that are hard to read, written for these tests: each ends in an article or in one clear BriefbotError. */

const PARAGRAPH = '<p>The council met on Tuesday and voted to repair the old wall near the river before the winter storms arrive.</p>';

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (!isBriefbotError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error('expected a BriefbotError');
}

describe('articleFromHtml on hard input', () => {
  it('an empty page, or one with only scripts, is empty', () => {
    expect(failure(() => articleFromHtml('', 'https://news.example/a'))).toEqual({ code: 'empty', message: 'the page at https://news.example/a is empty' });
    expect(failure(() => articleFromHtml('<html><body><script>render()</script><div id="app"></div></body></html>', undefined, { name: 'app.html' }))).toEqual({ code: 'empty', message: 'the page in app.html is empty' });
  });

  it('a page nested deeper than Readability can go is refused in one line', () => {
    const html = '<html><body>' + '<div>'.repeat(20_000) + PARAGRAPH.repeat(3) + '</body></html>';
    expect(failure(() => articleFromHtml(html, 'https://news.example/deep'))).toEqual({ code: 'no-sentences', message: 'the page at https://news.example/deep is nested too deeply to read' });
  });

  it('a page whose markup holds no article still has the body its publisher put in JSON-LD', () => {
    const ld = { '@type': 'NewsArticle', headline: 'Wall to be repaired', articleBody: 'The council met on Tuesday and voted to repair the old wall.\nWork starts in May and ends before the winter storms.' };
    const { article } = articleFromHtml(`<html><head><script type="application/ld+json">${JSON.stringify(ld)}</script></head><body><div id="app"></div></body></html>`);
    expect(article.title).toBe('Wall to be repaired');
    expect(articleText(article)).toBe('The council met on Tuesday and voted to repair the old wall.\n\nWork starts in May and ends before the winter storms.');
  });

  it('reads pages in scripts without spaces between words, and written right to left', () => {
    const japanese = '<html><body><article><h1>港のフェリー</h1><p>港のフェリーは五月から三十分ごとに運航すると、交通局が火曜日に発表した。</p><p>新しい船二隻が四月に加わり、運賃は年内据え置かれる。</p></article></body></html>';
    expect(articleFromHtml(japanese).article.blocks).toHaveLength(2);
    const arabic = '<html dir="rtl"><body><article><h1>العبارة</h1><p>ستعمل عبارة الميناء كل ثلاثين دقيقة اعتبارا من مايو، كما قال مكتب النقل يوم الثلاثاء.</p><p>سينضم قاربان جديدان إلى الأسطول في أبريل، وستستمر الخدمة الليلية حتى الواحدة صباحا.</p></article></body></html>';
    expect(articleFromHtml(arabic).article.blocks).toHaveLength(2);
  });
});

describe('saved pages (bytes)', () => {
  it('knows a page by its first tag, not by its name', () => {
    expect(looksLikeHtml('<!DOCTYPE html><html>')).toBe(true);
    expect(looksLikeHtml('\uFEFF  <!-- saved --> <html lang="en">')).toBe(true);
    expect(looksLikeHtml('<p>a paragraph in a text file</p>')).toBe(false);
    expect(looksLikeHtml('# A markdown article\n\n<html> mentioned in prose')).toBe(false);
    expect(bytesLookLikeHtml(Buffer.from('<html><body>'))).toBe(true);
  });

  it('decodes by the page\'s own charset, and refuses empty and binary files', () => {
    const latin1 = Buffer.from(`<html><head><meta charset="iso-8859-1"></head><body><article><h1>Caf\xe9 reopens</h1>${PARAGRAPH.repeat(2)}</article></body></html>`, 'latin1');
    expect(articleFromHtmlBytes(latin1, 'cafe.html').article.title).toBe('Café reopens');
    expect(failure(() => articleFromHtmlBytes(Buffer.alloc(0), 'empty.html'))).toEqual({ code: 'empty', message: 'empty.html is empty' });
    expect(failure(() => articleFromHtmlBytes(Buffer.from([0x3c, 0x68, 0, 1, 2]), 'image.html')).code).toBe('binary');
  });
});
