import { describe, expect, it } from 'vitest';
import {
  bodyScores,
  bodyTokens,
  formatPageReport,
  inBody,
  isWhole,
  normaliseForMatch,
  pagePrecision,
  pageRecall,
  pageReport,
  scorePage,
  shingleCounts,
  shingles,
  standsAlone,
} from '../../tools/eval/page-metrics.js';

// Every text here was written for these tests.

describe('tokens and shingles', () => {
  it('takes \\w+ runs, Unicode, case kept, underscore included', () => {
    expect(bodyTokens('The café’s “new” menu_2: 3,5 €.')).toEqual(['The', 'café', 's', 'new', 'menu_2', '3', '5']);
    expect(bodyTokens('Привет, мир')).toEqual(['Привет', 'мир']);
    expect(bodyTokens('— … !')).toEqual([]);
  });

  it('counts 4-token shingles', () => {
    expect([...shingles('a b c d e')]).toEqual([
      ['a b c d', 1],
      ['b c d e', 1],
    ]);
    expect(shingles('x y z w x y z w').get('x y z w')).toBe(2);
  });

  it('makes one shingle of a short text and none of an empty one', () => {
    expect([...shingles('only three words')]).toEqual([['only three words', 1]]);
    expect(shingles('  ... ').size).toBe(0);
  });
});

describe('page counts and scores', () => {
  it('divides TP, FP and FN by their sum', () => {
    // truth: 5 shingles (t1..t5 + "a b c d"), prediction adds 2 new shingles and drops 1.
    const truth = 'one two three four five six seven eight';
    const predicted = 'two three four five six seven eight nine ten';
    // truth shingles: 5; predicted: 6; common: 4 (two..five .. five..eight).
    const c = shingleCounts(truth, predicted);
    expect(c.tp).toBeCloseTo(4 / 7, 12);
    expect(c.fp).toBeCloseTo(2 / 7, 12);
    expect(c.fn).toBeCloseTo(1 / 7, 12);
    expect(pagePrecision(c)).toBeCloseTo(4 / 6, 12);
    expect(pageRecall(c)).toBeCloseTo(4 / 5, 12);
  });

  it('counts repeated shingles: a paragraph printed twice is a false positive', () => {
    const truth = 'the quick brown fox';
    const c = shingleCounts(truth, 'the quick brown fox. The quick brown fox');
    // predicted: "the quick brown fox" ×1, "quick brown fox The", "brown fox The quick", "fox The quick brown", "The quick brown fox"
    expect(c.tp).toBeCloseTo(1 / 5, 12);
    expect(c.fp).toBeCloseTo(4 / 5, 12);
    expect(c.fn).toBe(0);
  });

  it('gives 1 and 1 for a perfect page, and skips what is undefined', () => {
    const perfect = shingleCounts('a b c d e f', 'a b c d e f');
    expect([pagePrecision(perfect), pageRecall(perfect)]).toEqual([1, 1]);
    const nothingPredicted = shingleCounts('a b c d e f', '');
    expect(pagePrecision(nothingPredicted)).toBeUndefined();
    expect(pageRecall(nothingPredicted)).toBe(0);
    const nothingTrue = shingleCounts('', 'a b c d e f');
    expect(pageRecall(nothingTrue)).toBeUndefined();
    expect(pagePrecision(nothingTrue)).toBe(0);
    const bothEmpty = shingleCounts('', '');
    expect([pagePrecision(bothEmpty), pageRecall(bothEmpty)]).toEqual([undefined, undefined]);
  });

  it('averages precision and recall over the pages where each is defined, F1 of the means', () => {
    const pages = [
      shingleCounts('a b c d e f', 'a b c d e f'), // P 1, R 1
      shingleCounts('a b c d e f', ''), // P skipped, R 0
      shingleCounts('one two three four five six seven eight', 'two three four five six seven eight nine ten'), // P 2/3, R 4/5
    ];
    const s = bodyScores(pages);
    expect(s).toMatchObject({ pages: 3, precisionPages: 2, recallPages: 3 });
    expect(s.precision).toBeCloseTo((1 + 2 / 3) / 2, 12);
    expect(s.recall).toBeCloseTo((1 + 0 + 0.8) / 3, 12);
    expect(s.f1).toBeCloseTo((2 * s.precision * s.recall) / (s.precision + s.recall), 12);
    expect(bodyScores([])).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});

describe('sentences of a briefing', () => {
  it('normalises: NFKC, quotes and dashes, case, non-alphanumeric runs to one space', () => {
    expect(normaliseForMatch('“Ｗe’re  BACK” — she said…')).toBe('we re back she said');
    expect(normaliseForMatch('Café—2019')).toBe('café 2019');
  });

  it('finds a sentence in the body by normalised substring', () => {
    const body = normaliseForMatch('The mayor spoke on Monday. “We’re ready,” she said — and left.\n\nRain is due.');
    expect(inBody('"We\'re ready," she said - and left.', body)).toBe(true);
    expect(inBody('Rain is due.', body)).toBe(true);
    expect(inBody('The mayor spoke on Monday. "We', body)).toBe(true);
    expect(inBody('Photo: the mayor on Monday.', body)).toBe(false);
    expect(inBody('...', body)).toBe(false);
  });

  it('calls a sentence whole when its quotes pair up and it ends like a sentence', () => {
    expect(isWhole('Rain is due.')).toBe(true);
    expect(isWhole('Is rain due?')).toBe(true);
    expect(isWhole('“It is over,” he said.')).toBe(true);
    expect(isWhole('He said: “It is over.”')).toBe(true);
    expect(isWhole('(Rain is due.)')).toBe(true);
    expect(isWhole('He called it “a farce”')).toBe(true);
    expect(isWhole('“Markets run ahead of the data.')).toBe(false);
    expect(isWhole('Now we expect growth,” said the analyst.')).toBe(false);
    expect(isWhole('Nov. 20, 2019 Updated: 1:35 a.m')).toBe(false);
    expect(isWhole('Photo gallery')).toBe(false);
  });

  it('flags TL;DRs opening with a connective or an outside pronoun', () => {
    expect(standsAlone('But the council voted no.')).toBe('connective');
    expect(standsAlone('However, prices rose.')).toBe('connective');
    expect(standsAlone('He was sentenced on Friday.')).toBe('pronoun');
    expect(standsAlone('Her new campaign is raising eyebrows.')).toBe('pronoun');
    expect(standsAlone("It's the third closure this year.")).toBe('pronoun');
    expect(standsAlone('“But we tried,” the coach said.')).toBe('connective');
    expect(standsAlone('The council voted no.')).toBe('stands alone');
    expect(standsAlone('Helen Park won the race.')).toBe('stands alone');
    expect(standsAlone('Andrews said the plan was late.')).toBe('stands alone');
  });

  it('accepts a demonstrative only when a noun follows', () => {
    expect(standsAlone('This comes after police said the man fled.')).toBe('demonstrative');
    expect(standsAlone('That is why the plan failed.')).toBe('demonstrative');
    expect(standsAlone('Those who voted against it were angry.')).toBe('demonstrative');
    expect(standsAlone('This, however, is not the end.')).toBe('demonstrative');
    expect(standsAlone('This week the council voted to close the pool.')).toBe('stands alone');
    expect(standsAlone('These changes take effect in May.')).toBe('stands alone');
    expect(standsAlone('This new law bans fireworks.')).toBe('stands alone');
  });
});

describe('pages together', () => {
  const body = 'The pool will close in May. “We have no choice,” the mayor said.\n\nRepairs would cost $2 million.';

  it('scores a page: body counts, key points and the TL;DR', () => {
    const r = scorePage('page-1', body, { body }, {
      keyPoints: ['The pool will close in May.', 'Photo: the pool in 1998.', '“We have no choice,'],
      tldr: 'This comes after repairs were costed.',
    });
    expect(r.counts).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(r.keyPoints.map((k) => [k.inBody, k.whole])).toEqual([
      [true, true],
      [false, true],
      [true, false],
    ]);
    expect(r.tldr).toMatchObject({ inBody: false, whole: true, standsAlone: 'demonstrative' });
  });

  it('scores a page the reader threw on as an empty body, with no sentences', () => {
    const r = scorePage('page-2', body, { body: '', error: 'no article found' }, undefined);
    expect(r.extractionError).toBe('no article found');
    expect(pageRecall(r.counts)).toBe(0);
    expect(pagePrecision(r.counts)).toBeUndefined();
    expect(r.keyPoints).toEqual([]);
    expect(r.tldr).toBeUndefined();
  });

  it('sums sentence checks over pages and halves, and formats them', () => {
    const pages = [
      scorePage('page-1', body, { body }, { keyPoints: ['The pool will close in May.', 'Photo: the pool in 1998.'], tldr: 'Repairs would cost $2 million.' }),
      scorePage('page-2', body, { body: '', error: 'no article found' }, undefined),
      scorePage('page-3', body, { body: body + ' Subscribe to our newsletter today for more' }, { keyPoints: ['“We have no choice,'], tldr: 'He said the pool will close.' }),
    ];
    const report = pageReport(pages);
    expect(report.all.sentences).toEqual({ keyPoints: 3, keyPointsInBody: 2, tldrs: 2, tldrsInBody: 1, sentences: 5, whole: 4, tldrsNotStandingAlone: 1 });
    expect(report.all.extractionErrors).toBe(1);
    expect(report.all.body).toMatchObject({ pages: 3, precisionPages: 2, recallPages: 3 });
    expect(report.halves.A.body.pages + report.halves.B.body.pages).toBe(3);
    expect(report.halves.A.sentences.keyPoints + report.halves.B.sentences.keyPoints).toBe(3);
    const text = formatPageReport(report);
    expect(text).toMatch(/^all\s+3\s+1\s+/m);
    expect(text).toMatch(/^all\s+3\s+66\.7\s+2\s+50\.0\s+80\.0\s+1$/m);
    expect(text).toContain('half B');
  });
});
