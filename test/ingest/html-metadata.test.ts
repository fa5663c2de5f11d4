import { describe, expect, it } from 'vitest';
import { articleText } from '../../src/articles/index.js';
import { articleFromHtml } from '../../src/ingest/extract-html.js';
import { validByline, validDate, validOutlet } from '../../src/ingest/html/metadata.js';

/** The page's own metadata and its standfirst, on short pages written for these tests. */

const BODY = [
  'The harbour ferry will run every thirty minutes from May, the transport office said on Tuesday, after a year of complaints about crowded boats.',
  'Two new boats, each carrying 300 passengers, will join the fleet in April, and the night service will run until one in the morning on weekends.',
  'Fares will stay at two euros a trip for the rest of the year, although the office warned that a review of ticket prices is due in the autumn.',
];

function page(head: string, header = '', body = BODY.map((p) => `<p>${p}</p>`).join('\n')): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Ferry service doubles from May | Harbour News</title>${head}</head>
<body><main><article><h1>Ferry service doubles from May</h1>${header}${body}</article></main></body></html>`;
}

const read = (html: string, url?: string): ReturnType<typeof articleFromHtml>['article'] => articleFromHtml(html, url).article;

describe('the section the page files the article under', () => {
  it('is read from JSON-LD articleSection, an OpinionNewsArticle and article:section, into the tags', () => {
    const ld = { '@context': 'https://schema.org', '@type': 'OpinionNewsArticle', headline: 'Ferry service doubles from May', articleSection: ['Transport'] };
    const fromLd = read(page(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`), 'https://www.harbour.example/ferry');
    expect(fromLd.tags).toEqual(expect.arrayContaining(['Opinion', 'Transport']));
    const fromMeta = read(page('<meta property="article:section" content="Editorials">'), 'https://www.harbour.example/ferry');
    expect(fromMeta.tags).toEqual(['Editorials']);
    expect(read(page(''), 'https://www.harbour.example/ferry').tags).toEqual([]);
  });
});

describe('metadata from the page (articleFromHtml)', () => {
  it('reads headline, authors, date and publisher from JSON-LD, with @graph and @id references', () => {
    const ld = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'Organization', '@id': '#org', name: 'Harbour News' },
        {
          '@type': 'NewsArticle',
          headline: 'Ferry service doubles from May',
          author: [{ '@type': 'Person', name: 'Dana Ruiz' }, { '@type': 'Person', name: 'Otto Berg' }],
          datePublished: '2020-03-03T08:38:00+01:00',
          publisher: { '@id': '#org' },
        },
      ],
    };
    const article = read(page(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`), 'https://www.harbour.example/ferry');
    expect(article.title).toBe('Ferry service doubles from May');
    expect(article.author).toBe('Dana Ruiz and Otto Berg');
    expect(article.published).toBe('2020-03-03T08:38:00+01:00');
    expect(article.outlet).toBe('Harbour News');
  });

  it('survives broken JSON-LD and falls back to the meta tags', () => {
    const article = read(
      page(`<script type="application/ld+json">{ not json</script>
<meta name="author" content="Dana Ruiz"><meta property="article:published_time" content="2020-03-03"><meta property="og:site_name" content="Harbour News">`),
    );
    expect(article).toMatchObject({ author: 'Dana Ruiz', published: '2020-03-03', outlet: 'Harbour News' });
  });

  it('a byline is names: a date glued into it, an organisation or a URL is not', () => {
    const article = read(page('<meta name="author" content="Dana Ruiz22 Dec 2016651"><meta property="article:author" content="https://www.harbour.example/staff/dana">'));
    expect(article.author).toBeUndefined();
    const fromPage = read(page('', '<p class="byline">By Dana Ruiz, Harbour News Staff Writer</p>'));
    expect(fromPage.author).toBe('Dana Ruiz');
    expect(articleText(fromPage)).not.toContain('Staff Writer');
  });

  it('the outlet is the name the page gives itself, never the host it came from', () => {
    expect(read(page(''), 'https://www.harbour.example/ferry').outlet).toBeUndefined();
    expect(read(page('<meta property="og:site_name" content="Harbour News | The island\'s daily since 1902">'), 'https://www.harbour.example/ferry').outlet).toBe('Harbour News');
    expect(read(page('<meta property="og:site_name" content="https://www.harbour.example">'), 'https://www.harbour.example/ferry').outlet).toBeUndefined();
  });

  it('a date that is not a date is dropped', () => {
    expect(read(page('<meta property="article:published_time" content="sometime last week">')).published).toBeUndefined();
    expect(read(page('<meta name="date" content="1583221080">')).published).toBeUndefined();
  });
});

describe('the standfirst is kept apart from the body (articleFromHtml)', () => {
  const DEK = 'Riders asked for more boats for years; now the island gets them, and the fares stay put.';

  it('from an element named for it', () => {
    const article = read(page('', `<p class="article-dek">${DEK}</p><p class="byline">By Dana Ruiz</p>`));
    expect(article.standfirst).toBe(DEK);
    expect(articleText(article)).not.toContain('Riders asked for more boats');
    expect(articleText(article).startsWith(BODY[0]!)).toBe(true);
  });

  it('from the heading right under the headline', () => {
    const article = read(page('', `<h2>${DEK}</h2>`));
    expect(article.standfirst).toBe(DEK);
    expect(articleText(article)).not.toContain('Riders asked');
  });

  it('from the block that repeats the meta description before the body', () => {
    const article = read(page(`<meta name="description" content="${DEK}">`, `<div class="intro-block"><span>${DEK}</span></div><figure><img src="/boat.jpg" alt=""></figure>`));
    expect(article.standfirst).toBe(DEK);
    expect(articleText(article)).not.toContain('Riders asked');
  });

  it('never the lede: a meta description that repeats the first paragraph leaves it in the body', () => {
    const article = read(page(`<meta name="description" content="${BODY[0]}">`));
    expect(article.standfirst).toBeUndefined();
    expect(articleText(article).startsWith(BODY[0]!)).toBe(true);
  });

  it('never a line of names and dates under the headline', () => {
    const article = read(page('', '<p class="subhead">DANA RUIZ Mar. 3, 2020 Updated: Mar. 3, 2020 8:38 a.m.</p>'));
    expect(article.standfirst).toBeUndefined();
  });
});

describe('metadata checks (unit)', () => {
  it('validByline', () => {
    expect(validByline('By Dana Ruiz')).toBe('Dana Ruiz');
    expect(validByline('Dana RuizStaff Writer')).toBe('Dana Ruiz');
    expect(validByline('Tom Reyes, AP Transport Writer')).toBe('Tom Reyes');
    expect(validByline('LENA KRAUS and OTTO BERGAssociated Press')).toBe('Lena Kraus and Otto Berg');
    expect(validByline('Monday March 2, 2020 7:45 am PST by Mia Korhonen')).toBe('Mia Korhonen');
    expect(validByline('By Ana Lopes , Rui Duarte on Monday, March 2nd, 2020 at 11:08 a.m.')).toBe('Ana Lopes and Rui Duarte');
    expect(validByline('Ursula van der Berg')).toBe('Ursula van der Berg');
    expect(validByline('Conor O’Brien')).toBe('Conor O’Brien');
    expect(validByline('Harbour News Staff')).toBeUndefined();
    expect(validByline('Dana Ruiz22 Dec 2016651')).toBeUndefined();
    expect(validByline('Published Mar 2, 2020 at 4:07 PM | Updated at 5:36 PM')).toBeUndefined();
    expect(validByline('Editorial')).toBeUndefined();
    expect(validByline('Harbour News', 'HarbourNews')).toBeUndefined();
  });

  it('validDate', () => {
    expect(validDate('2020-03-03T08:38:00Z')).toBe('2020-03-03T08:38:00Z');
    expect(validDate('2020-03-03T08:38+0100')).toBe('2020-03-03T08:38:00+01:00');
    expect(validDate('2020-03-03 08:38:00')).toBe('2020-03-03T08:38:00');
    expect(validDate('March 3, 2020 13:42')).toBe('2020-03-03T13:42:00');
    expect(validDate('Tue Mar 03 2020 08:00:58 GMT+0000')).toBe('2020-03-03T08:00:58Z');
    expect(validDate('Mar. 3, 2020')).toBe('2020-03-03');
    expect(validDate('2020-13-45')).toBeUndefined();
    expect(validDate('yesterday')).toBeUndefined();
  });

  it('validOutlet', () => {
    expect(validOutlet('Harbour News – News from the island')).toBe('Harbour News');
    expect(validOutlet('@harbournews')).toBe('harbournews');
    expect(validOutlet('https://www.harbour.example')).toBeUndefined();
  });
});
