import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ArticleSchema,
  articleFromRecord,
  idOfLine,
  parseJsonlLine,
  readMarkdown,
  readPlainText,
  type Article,
} from '../../src/articles/index.js';
import { BriefbotError } from '../../src/errors.js';
import { FIXTURES, SEED } from '../helpers/run-cli.js';

const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const paragraphs = (article: Article): string[] => article.blocks.filter((b) => b.kind === 'paragraph').map((b) => b.text);
const headings = (article: Article): string[] => article.blocks.filter((b) => b.kind === 'heading').map((b) => b.text);

/** The error a reader throws, checked to be ours and one line. */
function failureOf(read: () => unknown): BriefbotError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(BriefbotError);
    expect((error as Error).message).not.toContain('\n');
    return error as BriefbotError;
  }
  throw new Error('expected the reader to refuse the input');
}

describe('plain-text layout', () => {
  const article = readPlainText(fixture('plain-layout.txt'));

  it('takes the headline line as the title and the byline as author and date', () => {
    expect(article.title).toBe('Harbour authority approves 2.4 billion euro expansion of Port Vell');
    expect(article.author).toBe('Marta Puig');
    expect(article.published).toBe('2024-03-05');
    expect(article.id).toBe('harbour-authority-approves-2-4-billion-euro-expansion-of');
  });

  it('keeps the bullet lines before the body (•, - and *) as the publisher’s highlights, apart from the body', () => {
    expect(article.highlights).toEqual([
      'The port will add 1,200 metres of quay by 2029.',
      'Dockworkers back the plan after a 14-month dispute.',
      'Environmental groups say dredging threatens seagrass beds.',
    ]);
    expect(article.blocks.map((b) => b.text).join(' ')).not.toContain('1,200 metres of quay by 2029');
  });

  it('reads short unpunctuated lines between paragraphs as subheadings, in reading order', () => {
    expect(headings(article)).toEqual(['Unions and the schedule', 'Environmental concerns']);
    expect(article.blocks.map((b) => b.kind)).toEqual(['paragraph', 'paragraph', 'heading', 'paragraph', 'heading', 'paragraph', 'paragraph']);
    expect(paragraphs(article)[1]).toBe(
      '"This is the largest investment in the port since 1992," said Jordi Vidal, the authority\'s president. He added that construction would begin in the autumn.',
    );
  });

  it('leaves the trailing "Sources include:" line in the body as its own paragraph, never a subheading', () => {
    expect(article.blocks.at(-1)).toEqual({ kind: 'paragraph', text: 'Sources include: Reuters.com LaVanguardia.com ElPais.com' });
  });

  it('produces a valid Article', () => {
    expect(ArticleSchema.safeParse(article).success).toBe(true);
  });

  it.each([
    ['By Jane Roe // 2024-03-05', 'Jane Roe', '2024-03-05'],
    ['By Jane Roe | 2024-03-05', 'Jane Roe', '2024-03-05'],
    ['by Jane Roe on 2024-03-05T10:00:00Z', 'Jane Roe', '2024-03-05T10:00:00Z'],
    ['By Jane Roe', 'Jane Roe', undefined],
    ['Published: 2024-03-05', undefined, '2024-03-05'],
  ])('reads the byline %j', (byline, author, published) => {
    const read = readPlainText(`Harbour expansion approved\n${byline}\n\nThe harbour authority approved the plan on Tuesday. Work starts in May.\n`);
    expect(read.title).toBe('Harbour expansion approved');
    expect(read.author).toBe(author);
    expect(read.published).toBe(published);
    expect(paragraphs(read)).toEqual(['The harbour authority approved the plan on Tuesday. Work starts in May.']);
  });

  it('reads a written-out byline date as the same calendar day in any time zone', () => {
    // The date in the byline is a calendar day; the machine's time zone must not move it.
    const saved = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo']) {
        process.env.TZ = tz;
        const read = readPlainText('Harbour expansion approved\nBy Jane Roe | March 5, 2024\n\nThe harbour authority approved the plan on Tuesday. Work starts in May.\n');
        expect({ tz, published: read.published }).toEqual({ tz, published: '2024-03-05' });
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('joins a line that stops mid-sentence with the line that carries it on, and keeps blank-line paragraphs apart', () => {
    const read = readPlainText(
      'Council votes on the budget\n\nAfter a debate that ran past midnight on Monday, the council approved the budget,\nwhich raises spending on buses by a fifth.\n\nThe mayor welcomed the result.\n',
    );
    expect(paragraphs(read)).toEqual([
      'After a debate that ran past midnight on Monday, the council approved the budget, which raises spending on buses by a fifth.',
      'The mayor welcomed the result.',
    ]);
  });

  it('reads the seed article with its layout: headline, byline, five highlights, one subheading', () => {
    const seed = readPlainText(readFileSync(SEED, 'utf8'));
    expect(seed.title).toBe('North Korea deploys 6,000 engineers to Kursk as military alliance with Russia escalates');
    expect(seed.author).toBe('kevinhughes');
    expect(seed.published).toBe('2025-11-17');
    expect(seed.highlights).toHaveLength(5);
    expect(headings(seed)).toEqual(['Russia-North Korea arms trade threatens global security']);
    expect(paragraphs(seed).at(-1)).toMatch(/Sources include: FoxNews\.com .* Brighteon\.com$/);
  });
});

describe('plain text with no metadata', () => {
  const article = readPlainText(fixture('no-metadata.txt'));

  it('has no author, date or highlights, and is titled by its first sentence', () => {
    expect(article.title).toBe('The city council voted on Monday to extend the night bus network to three new districts.');
    expect(article.author).toBeUndefined();
    expect(article.published).toBeUndefined();
    expect(article.highlights).toEqual([]);
    expect(article.id).toMatch(/^the-city-council-voted/);
  });

  it('keeps every line of the body, the first sentence included', () => {
    expect(paragraphs(article)).toEqual([
      'The city council voted on Monday to extend the night bus network to three new districts. The change takes effect in June.',
      'Officials said the extension would cost about 3 million euros a year. Residents of the outer districts had campaigned for the service since 2019.',
    ]);
    expect(ArticleSchema.safeParse(article).success).toBe(true);
  });

  it('cuts a long first sentence at a word for the title', () => {
    const long = 'The regional transport authority announced on Monday that it would extend the night bus network to three new districts in the north of the city from June. More follows.';
    const read = readPlainText(long);
    expect(read.title.length).toBeLessThanOrEqual(101);
    expect(read.title.endsWith('…')).toBe(true);
    expect(long.startsWith(read.title.slice(0, -1))).toBe(true);
  });

  it('uses the metadata it is given (a JSON Lines record) and drops a first line that repeats the title', () => {
    const read = readPlainText('Rail strike called off\n\nTrain drivers called off the strike. Services run as normal.', {
      title: 'Rail strike called off',
      author: 'Ann Lee',
      published: '2024-05-01',
      url: 'https://example.org/rail',
      outlet: 'Example Wire',
    });
    expect(read).toMatchObject({ title: 'Rail strike called off', author: 'Ann Lee', published: '2024-05-01', url: 'https://example.org/rail', outlet: 'Example Wire' });
    expect(paragraphs(read)).toEqual(['Train drivers called off the strike. Services run as normal.']);
  });

  it('drops a headline repeated over two lines at its semicolon, and keeps a first line that only begins like the title', () => {
    const split = readPlainText("Ferry fares rise 8%; \nCouncil blames fuel costs.\n\nFerry fares will rise by 8% in April, the council said on Monday.", {
      title: 'Ferry fares rise 8%; Council blames fuel costs',
    });
    expect(paragraphs(split)).toEqual(['Ferry fares will rise by 8% in April, the council said on Monday.']);
    const lede = readPlainText('Ferry fares rise 8% in April, the council said.\nIt blamed fuel costs.', { title: 'Ferry fares rise 8%' });
    expect(paragraphs(lede)).toEqual(['Ferry fares rise 8% in April, the council said.', 'It blamed fuel costs.']);
  });
});

describe('Markdown with YAML front matter', () => {
  const article = readMarkdown(fixture('front-matter.md'));

  it('reads every front matter field: title, authors, date, url, outlet, tags', () => {
    expect(article).toMatchObject({
      id: 'wind-farm-off-galway-cleared-for-construction',
      title: 'Wind farm off Galway cleared for construction',
      author: 'Aoife Byrne, Sean Murphy',
      published: '2024-06-12',
      url: 'https://example.org/news/galway-wind-farm',
      outlet: 'The Example Times',
      tags: ['energy', 'ireland', 'wind'],
    });
    expect(ArticleSchema.safeParse(article).success).toBe(true);
  });

  it('keeps a list before the first paragraph as highlights, ## lines as subheadings, and strips inline markup', () => {
    expect(article.highlights).toEqual(['The farm will have 35 turbines.', 'Construction starts in 2025.']);
    expect(headings(article)).toEqual(['Objections from fishermen']);
    expect(paragraphs(article)[0]).toBe(
      "Ireland's planning board cleared a 35-turbine wind farm off the coast of Galway on Wednesday. The project is expected to power 400,000 homes.",
    );
    expect(paragraphs(article)).toHaveLength(3);
  });

  it.each([
    ['published: 2024-06-12', '2024-06-12'],
    ['published: "2024-06-12"', '2024-06-12'],
    ['published: 2024-06-12T08:30:00Z', '2024-06-12T08:30:00Z'],
    ['date: 2024-06-12', '2024-06-12'],
  ])('reads the date from %j', (line, published) => {
    expect(readMarkdown(`---\ntitle: T\n${line}\n---\nThe board met. It decided.\n`).published).toBe(published);
  });

  it('accepts tags as a comma-separated string and a single author as a string', () => {
    const read = readMarkdown('---\ntitle: T\nauthor: Solo Writer\ntags: "energy, wind ,  "\n---\nThe board met. It decided.\n');
    expect(read.tags).toEqual(['energy', 'wind']);
    expect(read.author).toBe('Solo Writer');
  });

  it('takes the title from a leading # heading when the front matter has none, and has no metadata without front matter', () => {
    const read = readMarkdown('# The board decides\n\nThe board met on Monday. It decided.\n');
    expect(read.title).toBe('The board decides');
    expect(read.author).toBeUndefined();
    expect(paragraphs(read)).toEqual(['The board met on Monday. It decided.']);
  });

  it('refuses front matter that is not valid YAML with one line naming the problem', () => {
    const error = failureOf(() => readMarkdown(fixture('bad-yaml.md')));
    expect(error.code).toBe('bad-front-matter');
    expect(error.message).toMatch(/^front matter is not valid YAML: .*line 2/);
  });

  it('refuses a front matter field of the wrong type, naming the field', () => {
    const error = failureOf(() => readMarkdown('---\ntitle: [1, 2]\n---\nThe board met. It decided.\n'));
    expect(error.code).toBe('bad-front-matter');
    expect(error.message).toMatch(/^front matter field title: /);
  });
});

describe('JSON Lines records', () => {
  const lines = fixture('records.jsonl').trimEnd().split('\n');

  it('reads a full record: id, title, text, url, date, author, outlet, tags', () => {
    const article = parseJsonlLine(lines[0]!, 1);
    expect(article).toMatchObject({
      id: 'bridge-reopens',
      title: 'Old Mill bridge reopens after two years of repairs',
      url: 'https://example.org/local/old-mill-bridge',
      published: '2024-04-02',
      author: 'Tom Hale',
      outlet: 'Riverside Gazette',
      tags: ['transport', 'riverside'],
      source: { format: 'jsonl' },
    });
    expect(paragraphs(article)[0]).toMatch(/^The Old Mill bridge reopened to traffic on Tuesday/);
    expect(ArticleSchema.safeParse(article).success).toBe(true);
  });

  it('makes an id from a numeric id, or from the title when there is none', () => {
    expect(parseJsonlLine(lines[5]!, 6).id).toBe('7');
    expect(parseJsonlLine(lines[8]!, 9).id).toBe('rail-strike-called-off');
    expect(articleFromRecord({ text: 'Rain fell all day. Rivers rose.' }).id).toMatch(/^[a-z0-9-]+$/);
  });

  it.each([
    [2, 'bad-json', 'line 2: not valid JSON'],
    [3, 'bad-record', 'line 3: missing "text"'],
    [4, 'bad-record', 'line 4: expected a JSON object with "text"'],
    [5, 'bad-record', 'line 5: expected a JSON object with "text"'],
    [7, 'bad-record', 'line 7: "text" must be a string'],
    [8, 'empty', 'line 8: record has an empty "text"'],
  ])('refuses line %i (%s) with one line that names the line and the problem', (lineNumber, code, message) => {
    const error = failureOf(() => parseJsonlLine(lines[lineNumber - 1]!, lineNumber));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('finds the id a bad line would have had, or names the line', () => {
    expect(idOfLine(lines[2]!, 3)).toBe('no-text');
    expect(idOfLine(lines[1]!, 2)).toBe('line-2');
    expect(idOfLine(lines[4]!, 5)).toBe('line-5');
    expect(idOfLine('{"id": 99}', 10)).toBe('99');
    expect(idOfLine('null', 11)).toBe('line-11');
  });
});
