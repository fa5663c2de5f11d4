import { describe, expect, it } from 'vitest';
import type { Figure } from '../../src/briefing/index.js';
import { distinctFigures, formatFigure } from '../../src/commands/present.js';

/** A figure reads as written, with the unit its value does not spell out. */

const figure = (f: Partial<Figure>): Figure => ({ value: '1', quantity: 1, what: '', sentence: 0, ...f });

describe('formatFigure', () => {
  it('adds a unit the value leaves out, in the plural when it counts more than one', () => {
    expect(formatFigure(figure({ value: '19', quantity: 19, unit: 'cent', hedge: 'up' }))).toBe('19 cents (up)');
    expect(formatFigure(figure({ value: '2.4 billion', quantity: 2.4e9, unit: 'euro', what: 'expansion' }))).toBe('2.4 billion euros expansion');
    expect(formatFigure(figure({ value: '7,199', quantity: 7199, unit: 'Chinese yuan' }))).toBe('7,199 Chinese yuan');
  });

  it('does not repeat a unit the value or what it counts already says', () => {
    expect(formatFigure(figure({ value: '$800 million', quantity: 8e8, unit: '$' }))).toBe('$800 million');
    expect(formatFigure(figure({ value: '0.9 per cent', quantity: 0.9, unit: '%', hedge: 'down' }))).toBe('0.9 per cent (down)');
    expect(formatFigure(figure({ value: '275 pound-feet', quantity: 275, unit: 'pound-feet', what: 'torque' }))).toBe('275 pound-feet torque');
  });

  it('says who asserts it', () => {
    expect(formatFigure(figure({ value: '1,200', quantity: 1200, what: 'jobs', attributedTo: 'the council' }))).toBe('1,200 jobs (per the council)');
  });
});

describe('distinctFigures', () => {
  it('shows a figure the article gives again once, where it first appears', () => {
    const first = figure({ value: '400', quantity: 400, what: 'volunteers', sentence: 1 });
    const again = figure({ value: '400', quantity: 400, what: 'harbour volunteers', sentence: 6 });
    expect(distinctFigures([first, again])).toEqual([first]);
  });

  it('keeps the same number of something else, or asserted by someone else, or hedged otherwise', () => {
    const base = figure({ value: '400', quantity: 400, what: 'volunteers', sentence: 1 });
    const others = [
      figure({ value: '400', quantity: 400, what: 'boats', sentence: 2 }),
      figure({ value: '400', quantity: 400, what: 'volunteers', attributedTo: 'the union', sentence: 3 }),
      figure({ value: '400', quantity: 400, what: 'volunteers', hedge: 'about', sentence: 4 }),
      figure({ value: '400', quantity: 400, what: 'volunteers', unit: '%', sentence: 5 }),
      figure({ value: '450', quantity: 450, what: 'volunteers', sentence: 6 }),
      figure({ value: '400', quantity: 400, what: 'harbour crews', sentence: 7 }),
    ];
    expect(distinctFigures([base, ...others])).toEqual([base, ...others]);
  });

  it('keeps the same number of two different things sharing a noun, and never folds figures that do not say what they count', () => {
    const russian = figure({ value: '2,000', quantity: 2000, what: 'Russian soldiers', sentence: 1 });
    const ukrainian = figure({ value: '2,000', quantity: 2000, what: 'Ukrainian soldiers', sentence: 2 });
    expect(distinctFigures([russian, ukrainian])).toEqual([russian, ukrainian]);
    const senate = figure({ value: '$5 billion', quantity: 5e9, unit: '$', sentence: 3 });
    const house = figure({ value: '$5 billion', quantity: 5e9, unit: '$', sentence: 4 });
    expect(distinctFigures([senate, house])).toEqual([senate, house]);
  });
});
