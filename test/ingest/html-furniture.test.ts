import { describe, expect, it } from 'vitest';
import { articleText } from '../../src/articles/index.js';
import { articleFromHtml } from '../../src/ingest/extract-html.js';

/**
 * Page furniture on short pages written for these tests: each page is a small news story with one
 * kind of furniture around or inside it, and the test checks that the story's sentences stay and
 * the furniture goes.
 */

const STORY = [
  'The harbour ferry will run every thirty minutes from May, the transport office said on Tuesday, after a year of complaints about crowded boats.',
  'Two new boats, each carrying 300 passengers, will join the fleet in April, and the night service will run until one in the morning on weekends.',
  '"We heard the riders, and we are doubling the service," said the director of the transport office, Lena Kraus, at a briefing on the pier.',
  'Fares will stay at two euros a trip for the rest of the year, although the office warned that a review of ticket prices is due in the autumn.',
];

function page(inside: string, options: { head?: string; before?: string; after?: string } = {}): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Ferry service doubles</title>${options.head ?? ''}</head><body>
<header class="site-header"><a href="/">Harbour News</a></header>
${options.before ?? ''}
<main><article><h1>Ferry service doubles from May</h1>
${inside}
</article></main>
${options.after ?? ''}
</body></html>`;
}

const paragraphs = (from = 0, to = STORY.length): string => STORY.slice(from, to).map((p) => `<p>${p}</p>`).join('\n');

function read(html: string): { text: string; article: ReturnType<typeof articleFromHtml>['article'] } {
  const { article } = articleFromHtml(html, 'https://news.example/ferry');
  return { text: articleText(article), article };
}

function expectStory(text: string): void {
  for (const sentence of STORY) expect(text).toContain(sentence);
}

describe('furniture the page marks by its structure (articleFromHtml, pages written for the test)', () => {
  it('figure captions and photo credits', () => {
    const { text } = read(
      page(`${paragraphs(0, 2)}
<figure><img src="/boat.jpg" alt=""><figcaption>The new boats at the shipyard in March.</figcaption></figure>
<div class="photo-box"><img src="/pier.jpg" alt=""><div class="caption-text">Riders wait on the pier at rush hour.</div><div class="credit">(Image: © Harbour Press)</div></div>
${paragraphs(2)}`),
    );
    expectStory(text);
    expect(text).not.toMatch(/shipyard in March|rush hour|Harbour Press/);
  });

  it('bylines, dates and an author box', () => {
    const { text } = read(
      page(`<div class="byline-wrap"><span class="author-name">Dana Ruiz</span><time class="timestamp">March 3, 2020 08:38 AM</time></div>
${paragraphs()}
<div class="author-bio"><p>Dana Ruiz covers transport and the harbour for Harbour News. She has reported from the port for ten years and lives on the island.</p></div>`),
    );
    expectStory(text);
    expect(text).not.toMatch(/Dana Ruiz|March 3, 2020|ten years/);
  });

  it('breadcrumbs, share bars and newsletter boxes', () => {
    const { text } = read(
      page(`<nav class="breadcrumbs"><a href="/">Home</a> › <a href="/city">City</a> › <a href="/city/transport">Transport</a></nav>
<div class="share-tools"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Email</a></div>
${paragraphs(0, 2)}
<div class="newsletter-signup"><p>The morning briefing: the news that matters to the island, before your coffee is cold.</p><button>Sign me up</button></div>
${paragraphs(2)}`),
    );
    expectStory(text);
    expect(text).not.toMatch(/Home|Transport\b|Facebook|morning briefing/);
  });

  it('related-story lists and teasers, even when the list has no telling name', () => {
    const { text } = read(
      page(`${paragraphs()}
<div class="heading">More from the harbour</div>
<ul><li>Pier repairs <a href="/a">start next week</a></li><li>The lighthouse <a href="/b">opens to visitors</a></li><li><a href="/c">Fish market moves indoors</a></li></ul>
<div class="related-stories"><h3>Related</h3><p><a href="/d">Island bus routes change in June</a></p></div>`),
    );
    expectStory(text);
    expect(text).not.toMatch(/Pier repairs|lighthouse|Fish market|bus routes|More from the harbour/);
  });

  it('text glued in from a link hover card, while the linked name stays in its sentence', () => {
    const html = page(`<p>The plan was announced by Mayor <span class="rollover-people"><a href="/people/ann-smith">Ann Smith</a><span class="rollover-block"><img src="/ann.jpg" alt=""><a href="/people/ann-smith">Ann Marie Smith</a> <a href="/x">Mayor opens the new library</a> <a href="/y">Mayor backs the tram plan</a></span></span> at the pier on Tuesday, with the transport office.</p>
<p>Her deputy, <a href="/people/otto-berg">Otto Berg</a><span class="card">Otto Berg · Deputy mayor since 2019 · Otto Berg on the budget vote</span> said the boats were paid for by the regional fund.</p>
${paragraphs()}`);
    const { text } = read(html);
    expectStory(text);
    expect(text).toContain('The plan was announced by Mayor Ann Smith at the pier on Tuesday, with the transport office.');
    expect(text).toContain('Her deputy, Otto Berg said the boats were paid for by the regional fund.');
    expect(text).not.toMatch(/Ann Marie Smith|Mayor opens|Deputy mayor since/);
  });

  it('hidden elements: the hidden attribute, aria-hidden, display:none', () => {
    const { text } = read(
      page(`${paragraphs(0, 2)}
<div hidden><p>Subscribers get unlimited access to every story on the island and beyond.</p></div>
<p aria-hidden="true">Share this story with a friend who takes the ferry every single morning.</p>
<div style="display: none"><p>Your browser is out of date and some features of this page may not work.</p></div>
${paragraphs(2)}`),
    );
    expectStory(text);
    expect(text).not.toMatch(/unlimited access|Share this story|out of date/);
  });

  it('never takes out the article, whatever its container is called', () => {
    const { text } = read(page(`<div class="post-content share-enabled hidden-print">${paragraphs()}</div>`));
    expectStory(text);
  });

  it('an inline element in a sentence stays, whatever its class', () => {
    const { text } = read(page(`<p>The office said on <time class="date">Tuesday</time> that the <span class="tooltip-term">night service</span> would start in May and run until one in the morning.</p>${paragraphs()}`));
    expect(text).toContain('The office said on Tuesday that the night service would start in May and run until one in the morning.');
  });

  it('a table reads row by row', () => {
    const { text } = read(page(`${paragraphs()}<table><tr><th>Route</th><th>Boats</th></tr><tr><td>North pier</td><td>4</td></tr><tr><td>South pier</td><td>3</td></tr></table>`));
    expect(text).toContain('North pier 4');
    expect(text).toContain('South pier 3');
  });

  it('a site that wraps its whole page in a form (as ASP.NET does) keeps its article; a search form goes', () => {
    const html = `<!doctype html><html><body><form id="aspnetForm"><form class="search"><input name="q"><p>Search the archive</p></form><article><h1>Ferry service doubles from May</h1>${paragraphs()}</article></form></body></html>`;
    const { text } = read(html);
    expectStory(text);
    expect(text).not.toContain('Search the archive');
  });
});

describe('furniture recognised by its words and place (articleFromHtml, pages written for the test)', () => {
  it('credits, gallery counters, date lines and notices written as paragraphs', () => {
    const { text } = read(
      page(`<p>Updated: March 4, 2020 10:07 AM</p>
${paragraphs(0, 2)}
<p>1of4Riders board the evening ferry at the north pier. (AP Photo/Lena Kraus)</p>
<p>© Otto Berg</p>
<p>This post may contain affiliate links. Please read our disclosure policy.</p>
${paragraphs(2)}
<p>Follow Harbour News on Twitter @harbournews and on Facebook.</p>
<p>Read more: <a href="/fares">Why ferry fares have not changed since 2015</a></p>`),
    );
    expectStory(text);
    expect(text).not.toMatch(/Updated|evening ferry|Otto Berg|affiliate|Follow Harbour|fares have not changed/);
  });

  it('the same caption under every picture of a gallery goes; a repeated table row stays', () => {
    const gallery = (i: number): string => `<p>${STORY[i]}</p><img src="/g${i}.jpg" alt=""><p>Harbour ferry gallery, spring 2020</p>`;
    const { text } = read(page([0, 1, 2, 3].map(gallery).join('\n')));
    expectStory(text);
    expect(text).not.toContain('Harbour ferry gallery');
  });

  it('labels and menus before the first sentence and after the last', () => {
    const { text } = read(page(`<p>Transport</p><p>Island news</p>${paragraphs()}<p>Comments</p><h3>Most read</h3>`));
    expect(text.startsWith(STORY[0]!)).toBe(true);
    expect(text.endsWith(STORY[3]!)).toBe(true);
  });
});
