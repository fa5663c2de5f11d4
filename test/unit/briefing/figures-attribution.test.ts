import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../../src/articles/index.js';
import { createBriefing } from '../../../src/briefing/index.js';

/** Figures' `attributedTo` comes from the same attribution module as quotes' speakers. */

const article = `Flood hits valley

Mayor Ana Lopez visited the valley on Monday. She said 300 homes were damaged by the water.

About 40 people were hurt, according to the Daily Herald.

The regional health office said 12 people were still in hospital on Tuesday.

"We have lost 2,000 sheep," Lopez told reporters at the town hall.`;

describe('who asserts a figure', () => {
  const figures = createBriefing(readPlainText(article)).figures;
  const by = (value: string) => figures.find((f) => f.value === value)?.attributedTo;

  it('resolves a pronoun to the person the article names, as quotes do', () => {
    expect(by('300')).toBe('Ana Lopez');
  });

  it('gives the speaker of the quote a figure stands in, by their full name', () => {
    expect(by('2,000')).toBe('Ana Lopez');
  });

  it('keeps an unnamed body as the article describes it, and the source after "according to"', () => {
    expect(by('12')).toBe('the regional health office');
    expect(by('40')).toBe('the Daily Herald');
  });
});

describe('a poll answer is not asserted by the people it counts', () => {
  const poll = `Harbour poll

Thirty-one percent said they would use the new ferry, while 12 percent said they never would.

Four in 10 harbour residents said the fares were too high.

Just 18 percent of shop owners said trade had improved, the chamber of commerce said.

The mayor said 2,000 residents had signed the petition.`;
  const figures = createBriefing(readPlainText(poll)).figures;
  const by = (value: string) => figures.find((f) => f.value === value)?.attributedTo;

  it('gives no asserter where the only subject is the counted group or a number', () => {
    expect(figures.map((f) => f.value)).toEqual(expect.arrayContaining(['Thirty-one percent', '12 percent', '2,000']));
    expect(by('Thirty-one percent')).toBeUndefined();
    expect(by('12 percent')).toBeUndefined();
  });

  it('still names a source that is not the figure itself, counted or not', () => {
    expect(by('2,000')).toBe('the mayor');
    const counted = createBriefing(readPlainText('Troops sent\n\nTwo officials said 300 troops would be sent to the border.')).figures;
    expect(counted.find((f) => f.value === '300')?.attributedTo).toBe('Two officials');
  });
});
