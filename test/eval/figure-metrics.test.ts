import { describe, expect, it } from 'vitest';
import {
  currenciesIn,
  figureReport,
  formatFigureReport,
  goldNumbers,
  goldUnitKind,
  maximumMatching,
  sameNumber,
  scoreSentenceFigures,
  unitAgrees,
  unitWords,
  type GoldQuantity,
  type ShownFigure,
} from '../../tools/eval/figure-metrics.js';
import { fnv1a32, halfOf } from '../../tools/eval/halves.js';
import { lemma } from '../../tools/eval/lemma.js';

// Quantities and figures written for these tests, in the shapes of figures-dev.jsonl and Figure.
const q = (value: string, unit: string, normalized_unit: string): GoldQuantity => ({ value, unit, normalized_unit, change: '=', referred_concepts: '-' });
const f = (value: string, quantity: number, what: string, unit?: string): ShownFigure => ({ value, quantity, what, ...(unit !== undefined ? { unit } : {}) });

describe('lemma', () => {
  it('turns plural nouns into the singular', () => {
    expect(['miles', 'dollars', 'inches', 'boxes', 'bosses', 'batteries', 'degrees', 'euros', 'yards'].map(lemma)).toEqual([
      'mile', 'dollar', 'inch', 'box', 'boss', 'battery', 'degree', 'euro', 'yard',
    ]);
  });

  it('knows irregular plurals, also at the end of a compound', () => {
    expect(['feet', 'men', 'children', 'spokesmen', 'businesswomen', 'pence', 'kroner'].map(lemma)).toEqual([
      'foot', 'man', 'child', 'spokesman', 'businesswoman', 'penny', 'krone',
    ]);
  });

  it('leaves words that only look plural, and short words, alone', () => {
    expect(['series', 'news', 'gas', 'bus', 'analysis', 'bonus', 'boss', 'physics', 'mph', 'GB'].map(lemma)).toEqual([
      'series', 'news', 'gas', 'bus', 'analysis', 'bonus', 'boss', 'physics', 'mph', 'gb',
    ]);
  });
});

describe('halves', () => {
  it('hashes with FNV-1a (32-bit) over UTF-8', () => {
    // Reference values of FNV-1a 32: "" -> 0x811c9dc5, "a" -> 0xe40c292c, "foobar" -> 0xbf9cf968.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('puts a record in a half by its id alone, and splits ids roughly evenly', () => {
    expect(halfOf('a')).toBe('A'); // 0xe40c292c is even
    expect(halfOf('foobar')).toBe('A'); // 0xbf9cf968 is even
    expect(halfOf('b')).toBe(fnv1a32('b') % 2 === 0 ? 'A' : 'B');
    const ids = Array.from({ length: 400 }, (_, i) => `record-${i}`);
    const a = ids.filter((id) => halfOf(id) === 'A').length;
    expect(a).toBeGreaterThan(160);
    expect(a).toBeLessThan(240);
    expect(ids.map(halfOf)).toEqual(ids.map(halfOf));
  });
});

describe('values', () => {
  it('reads a gold value or both ends of a range', () => {
    expect(goldNumbers('35.0')).toEqual([35]);
    expect(goldNumbers('252.0-287.0')).toEqual([252, 287]);
    expect(goldNumbers('-1.3')).toEqual([-1.3]);
    expect(goldNumbers('2.998E-08')).toEqual([2.998e-8]);
    expect(goldNumbers('-')).toEqual([]);
  });

  it('compares exactly, except a quantity rounded to its own decimals', () => {
    expect(sameNumber(800_000_000, 800000000.0)).toBe(true);
    expect(sameNumber(0.1 + 0.2, 0.3)).toBe(true);
    expect(sameNumber(0.667, 2 / 3)).toBe(true);
    expect(sameNumber(2019, 2020)).toBe(false);
    expect(sameNumber(58, 58.24)).toBe(false);
    expect(sameNumber(0.67, 0.6)).toBe(false);
  });
});

describe('units', () => {
  it('classifies gold units', () => {
    expect(goldUnitKind(q('40', '%', 'percentage'))).toBe('percent');
    expect(goldUnitKind(q('2', 'percent a year', 'percentage per year'))).toBe('percent');
    expect(goldUnitKind(q('5', '$', 'dollar'))).toBe('money');
    expect(goldUnitKind(q('5', 'US$ per barrel', 'dollar per barrel'))).toBe('money');
    expect(goldUnitKind(q('5', 'PS', 'pound sterling'))).toBe('money');
    expect(goldUnitKind(q('5', 'cents', 'cent'))).toBe('money');
    expect(goldUnitKind(q('5', 'pounds', 'pound'))).toBe('other');
    expect(goldUnitKind(q('0.25', '% town residents', '% town resident'))).toBe('other');
    expect(goldUnitKind(q('12', 'miles', 'mile'))).toBe('other');
  });

  it('finds currencies by symbol, word and code', () => {
    expect([...currenciesIn('US$ 4')]).toEqual(['dollar']);
    expect([...currenciesIn('€3 billion')]).toEqual(['euro']);
    expect([...currenciesIn('¥9')].sort()).toEqual(['yen', 'yuan']);
    expect([...currenciesIn('40 cents')]).toEqual(['cent']);
    expect([...currenciesIn('2 million Danish crowns')]).toEqual(['krone']);
    expect([...currenciesIn('the team won 3 games')]).toEqual([]);
  });

  it('wants the percent in the figure itself for a percentage', () => {
    const gold = q('12.5', 'percent', 'percentage');
    expect(unitAgrees(f('12.5%', 12.5, 'rise'), gold)).toBe(true);
    expect(unitAgrees(f('12.5 per cent', 12.5, 'growth'), gold)).toBe(true);
    expect(unitAgrees(f('12.5', 12.5, 'sales', '%'), gold)).toBe(true);
    expect(unitAgrees(f('12.5', 12.5, 'percent'), gold)).toBe(false);
  });

  it('wants the gold currency in the figure itself for money', () => {
    const dollars = q('4000000', '$', 'dollar');
    expect(unitAgrees(f('$4 million', 4e6, 'cost'), dollars)).toBe(true);
    expect(unitAgrees(f('4 million', 4e6, 'cost', '$'), dollars)).toBe(true);
    expect(unitAgrees(f('4 million dollars', 4e6, ''), dollars)).toBe(true);
    expect(unitAgrees(f('€4 million', 4e6, 'cost'), dollars)).toBe(false);
    expect(unitAgrees(f('4 million', 4e6, 'dollars'), dollars)).toBe(false);
    expect(unitAgrees(f('7 cents', 7, 'rise'), q('7', 'cents', 'cent'))).toBe(true);
    expect(unitAgrees(f('900 yuan', 900, 'fine'), q('900', 'yuan', 'chinese yuan'))).toBe(true);
  });

  it('compares lemmas of what and unit with gold unit words otherwise', () => {
    const miles = q('12', 'miles', 'mile');
    expect(unitAgrees(f('12', 12, 'miles'), miles)).toBe(true);
    expect(unitAgrees(f('12', 12, 'miles of new track'), miles)).toBe(true);
    expect(unitAgrees(f('12', 12, 'track', 'mi'), miles)).toBe(false);
    expect(unitAgrees(f('12', 12, 'track', 'miles'), miles)).toBe(true);
    expect(unitAgrees(f('12', 12, 'workers'), miles)).toBe(false);
    expect(unitAgrees(f('40', 40, 'year-old teacher'), q('40', 'year-old', 'year of age'))).toBe(true);
    expect(unitAgrees(f('6', 6, 'inches of snow'), q('6', 'inch', 'inch'))).toBe(true);
    expect(unitAgrees(f('30', 30, 'feet'), q('30', 'ft', 'foot'))).toBe(true);
  });

  it('ignores function words in units', () => {
    expect([...unitWords('barrels of oil per day')]).toEqual(['barrel', 'oil', 'day']);
    expect(unitAgrees(f('9', 9, 'of'), q('9', 'pound-feet of torque', 'pound-foot'))).toBe(false);
  });

  it('lets a figure that names no unit agree with a gold quantity that has none', () => {
    const bare = q('1000', '-', '-');
    expect(unitAgrees(f('1000', 1000, ''), bare)).toBe(true);
    expect(unitAgrees(f('1000', 1000, 'come'), bare)).toBe(false);
  });
});

describe('matching', () => {
  it('finds a maximum one-to-one matching', () => {
    // left 0 can take right 0 or 1, left 1 only right 0: both must be matched.
    const edges = new Set(['0-0', '0-1', '1-0']);
    expect(maximumMatching(2, 2, (l, r) => edges.has(`${l}-${r}`))).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(maximumMatching(0, 3, () => true)).toEqual([]);
  });

  it('matches a value once, and either end of a range', () => {
    const gold = [q('3', 'bridges', 'bridge'), q('40-55', 'miles', 'mile')];
    const shown = [f('3', 3, 'bridges'), f('3', 3, 'bridges'), f('55', 55, 'miles')];
    const r = scoreSentenceFigures('made-up-1', shown, gold);
    expect(r.valuePairs).toEqual([
      [0, 0],
      [2, 1],
    ]);
    expect(r.valueUnitPairs).toHaveLength(2);
    expect(r).toMatchObject({ shown: 3, gold: 2 });
  });

  it('keeps value and value+unit apart', () => {
    const gold = [q('12', '%', 'percentage'), q('300', '$', 'dollar')];
    const shown = [f('12%', 12, 'stake'), f('300', 300, 'workers'), f('8', 8, 'days')];
    const r = scoreSentenceFigures('made-up-2', shown, gold);
    expect(r.valuePairs).toHaveLength(2);
    expect(r.valueUnitPairs).toEqual([[0, 0]]);
  });

  it('sums over sentences: precision over figures shown, recall over all gold, per half', () => {
    const results = [
      scoreSentenceFigures('a', [f('12%', 12, 'stake'), f('300', 300, 'workers'), f('8', 8, 'days')], [q('12', '%', 'percentage'), q('300', '$', 'dollar')]),
      scoreSentenceFigures('b', [], [q('4', 'games', 'game'), q('2', 'goals', 'goal')]),
      scoreSentenceFigures('c', [f('4', 4, 'games')], [q('4', 'games', 'game')]),
    ];
    const report = figureReport(results);
    expect(report.all).toMatchObject({ sentences: 3, shown: 4, gold: 5 });
    expect(report.all.value).toMatchObject({ matched: 3, precision: 3 / 4, recall: 3 / 5 });
    expect(report.all.value.f1).toBeCloseTo((2 * 0.75 * 0.6) / 1.35, 12);
    expect(report.all.valueUnit).toMatchObject({ matched: 2, precision: 2 / 4, recall: 2 / 5 });
    const halves = results.map((r) => r.half);
    expect(report.halves.A.sentences + report.halves.B.sentences).toBe(3);
    expect(report.halves.A.sentences).toBe(halves.filter((h) => h === 'A').length);
    expect(report.halves.A.gold + report.halves.B.gold).toBe(5);
    const text = formatFigureReport(report);
    expect(text).toMatch(/^all\s+3\s+5\s+4\s+75\.0\s+60\.0\s+66\.7\s+50\.0\s+40\.0\s+44\.4$/m);
    expect(text).toContain('half A');
    expect(text).toContain('half B');
  });

  it('scores an empty set as zero, not as an error', () => {
    expect(figureReport([]).all).toMatchObject({ shown: 0, gold: 0, value: { precision: 0, recall: 0, f1: 0 } });
  });
});
