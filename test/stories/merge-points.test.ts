import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../src/articles/index.js';
import { contentStems, contradictsNumbers, mergeKeyPoints, pointSimilarity } from '../../src/stories/merge-points.js';
import { reportOf, type OutletReport } from '../../src/stories/outlet-report.js';

/**
 * A story's TL;DR and key points merged across outlets, on short articles written for these tests
 * and briefed by the real engine: a fact every outlet leads with is stated once and credited to the
 * others, a fact only one outlet has is kept, and the result does not depend on the order the
 * reports are given in.
 */

const report = (id: string, outlet: string, published: string, body: string): OutletReport =>
  reportOf(readPlainText(body, { id, outlet, published, title: `Dam bursts in Valencia (${outlet})` }));

const REUTERS = report(
  'r',
  'Reuters',
  '2026-12-04T08:00:00Z',
  [
    'A dam burst near Valencia on Tuesday, killing at least 40 people and flooding three villages, officials said.',
    'Rescue teams from Madrid arrived overnight with boats and helicopters to search for the missing.',
    'Regional president Carlos Mazon declared three days of mourning across the province.',
  ].join('\n\n'),
);
const AP = report(
  'ap',
  'AP',
  '2026-12-04T09:00:00Z',
  [
    'At least 40 people were killed when a dam burst near Valencia on Tuesday, flooding three villages, officials said.',
    'Engineers had warned in 2019 that the dam walls were cracking and needed urgent repair.',
    'Rescue teams from Madrid arrived overnight with boats and helicopters to search for the missing people.',
  ].join('\n\n'),
);
const BBC = report(
  'bbc',
  'BBC',
  '2026-12-04T10:00:00Z',
  [
    'The dam burst near Valencia on Tuesday has killed at least 40 people and flooded three villages, officials said.',
    'Regional president Carlos Mazon declared three days of mourning across the whole province.',
    'Insurers expect claims to exceed 300 million euros, according to an industry body.',
  ].join('\n\n'),
);

describe('key points merged across outlets', () => {
  it('states each fact once, credits the outlets that repeat it, and keeps facts only one outlet has', () => {
    const merged = mergeKeyPoints([REUTERS, AP, BBC]);
    const all = [merged.tldr, ...merged.keyPoints];
    // The lead fact, which all three outlets give, appears once: as the TL;DR, credited to the others.
    expect(all.filter((p) => /dam burst/i.test(p.text))).toHaveLength(1);
    expect(merged.tldr.text).toMatch(/killed|killing/);
    expect([merged.tldr.outlet, ...merged.tldr.alsoIn].sort()).toEqual(['AP', 'BBC', 'Reuters']);
    // Facts two outlets give appear once each, credited to the other outlet.
    const rescue = all.filter((p) => /Rescue teams/.test(p.text));
    expect(rescue).toHaveLength(1);
    expect([rescue[0]!.outlet, ...rescue[0]!.alsoIn].sort()).toEqual(['AP', 'Reuters']);
    const mourning = all.filter((p) => /mourning/.test(p.text));
    expect(mourning).toHaveLength(1);
    expect([mourning[0]!.outlet, ...mourning[0]!.alsoIn].sort()).toEqual(['BBC', 'Reuters']);
    // Facts one outlet alone gives are kept, credited to it.
    expect(all.find((p) => /cracking/.test(p.text))?.outlet).toBe('AP');
    expect(all.find((p) => /Insurers/.test(p.text))?.outlet).toBe('BBC');
    expect(all).toHaveLength(5);
    // Every point points back to its outlet's sentence.
    for (const p of all) expect(p.sentence).toBeTypeOf('number');
  });

  it('gives the same card whatever order the reports come in', () => {
    const a = mergeKeyPoints([REUTERS, AP, BBC]);
    const b = mergeKeyPoints([BBC, REUTERS, AP]);
    expect(b).toEqual(a);
  });

  it('stops at the limit, keeping the best-supported points', () => {
    const merged = mergeKeyPoints([REUTERS, AP, BBC], { maxPoints: 2 });
    expect(merged.keyPoints).toHaveLength(2);
    // Points two outlets make come before points one outlet makes.
    expect(merged.keyPoints.every((p) => p.alsoIn.length === 1)).toBe(true);
  });

  it('never credits an outlet with a figure it did not print: a point with another number stays its own', () => {
    const valley = report(
      'vp',
      'Valley Post',
      '2026-12-04T11:00:00Z',
      [
        'A dam burst near Valencia on Tuesday, killing at least 52 people and flooding three villages, officials said.',
        'Rescue teams from Madrid arrived overnight with boats and helicopters to search for the missing.',
      ].join('\n\n'),
    );
    const merged = mergeKeyPoints([REUTERS, AP, BBC, valley]);
    const all = [merged.tldr, ...merged.keyPoints];
    const tolls = all.filter((p) => /dam burst/i.test(p.text));
    expect(tolls.map((p) => p.text.match(/at least (\d+)/)?.[1]).sort()).toEqual(['40', '52']);
    const forty = tolls.find((p) => p.text.includes('40'))!;
    expect(forty.alsoIn).not.toContain('Valley Post');
    expect(tolls.find((p) => p.text.includes('52'))!.outlet).toBe('Valley Post');
    // A paraphrase with the same number, or with no number, is still the same point.
    const rescue = all.filter((p) => /Rescue teams/.test(p.text));
    expect(rescue).toHaveLength(1);
    expect([rescue[0]!.outlet, ...rescue[0]!.alsoIn].sort()).toEqual(['AP', 'Reuters', 'Valley Post']);
  });

  it('says what is wrong with bad input', () => {
    expect(() => mergeKeyPoints([])).toThrow(/at least one report/);
    expect(() => mergeKeyPoints([REUTERS], { redundancy: 0 })).toThrow(/redundancy/);
    expect(() => mergeKeyPoints([REUTERS], { maxPoints: 1.5 })).toThrow(/maxPoints/);
  });
});

describe('how alike two points are', () => {
  it('scores paraphrases of one fact high and two facts of one story low', () => {
    const s = (t: string) => contentStems(t);
    const paraphrase = pointSimilarity(s('A dam burst near Valencia on Tuesday, killing at least 40 people.'), s('At least 40 people were killed when a dam burst near Valencia on Tuesday.'));
    const other = pointSimilarity(s('A dam burst near Valencia on Tuesday, killing at least 40 people.'), s('Engineers had warned in 2019 that the dam walls were cracking.'));
    expect(paraphrase).toBe(1);
    expect(other).toBeLessThan(0.3);
  });

  it('tells a different figure from a missing one', () => {
    const s = (t: string) => contentStems(t);
    expect(contradictsNumbers(s('The flood killed 12,000 people.'), s('The flood killed 10,000 people.'))).toBe(true);
    expect(contradictsNumbers(s('The flood killed 10,000 people.'), s('Floods killed 10,000 people in the valley.'))).toBe(false);
    expect(contradictsNumbers(s('The flood killed 10,000 people.'), s('The flood killed thousands of people.'))).toBe(false);
    expect(contradictsNumbers(s('The flood killed many people.'), s('The flood killed 10,000 people.'))).toBe(false);
    // A number more (a date, a place's count) is a detail, not another figure.
    expect(contradictsNumbers(s('The storm killed 40 people on March 3, officials said.'), s('A storm killed 40 people.'))).toBe(false);
    expect(contradictsNumbers(s('A storm killed 40 people.'), s('The storm killed 40 people on March 3, officials said.'))).toBe(false);
    expect(contradictsNumbers(s('The storm killed 52 people on March 5.'), s('The storm killed 40 people on March 3.'))).toBe(true);
  });
});
