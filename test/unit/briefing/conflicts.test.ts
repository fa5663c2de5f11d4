import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../../src/articles/index.js';
import { createBriefing, type Briefing } from '../../../src/briefing/index.js';

/**
 * Figures that disagree, on short articles written for these tests: flagged only when two figures
 * measure the same thing of the same event at the same time, from different sources or hedged.
 */

const brief = (body: string): Briefing => createBriefing(readPlainText(`Storm hits the coast\n\n${body}`));
const flagged = (b: Briefing): string[][] => b.conflicts.map((c) => c.figures.map((i) => b.figures[i]!.value).sort());

describe('figures that disagree', () => {
  it('flags two sources counting the same thing', () => {
    const b = brief('The regional health office said 40 people died in the flooding.\n\nA local charity said about 65 people died in the flooding.');
    expect(flagged(b)).toEqual([['40', '65']]);
  });

  it('never sets the killed against the wounded', () => {
    const b = brief('At least 19 people were killed and about 50 wounded, the interior ministry said.\n\nRescuers said 23 people were wounded in the blast.');
    expect(b.figures.map((f) => f.value)).toEqual(expect.arrayContaining(['19', '50', '23']));
    expect(flagged(b).some((g) => g.includes('19') && (g.includes('50') || g.includes('23')))).toBe(false);
  });

  it('reads a count from another day as an update, not a disagreement', () => {
    const b = brief('As of Monday, officials said 120 homes had been damaged.\n\nAs of Friday, the council said about 310 homes had been damaged.');
    expect(b.conflicts).toEqual([]);
  });

  it('reads a running toll as an update', () => {
    const b = brief('Police said 12 people were missing after the storm.\n\nThe number of people missing has since risen to 30, the coastguard said.');
    expect(b.conflicts).toEqual([]);
  });

  it('does not set a part against its whole', () => {
    const b = brief('Officials said 90 people were hurt, including 35 children.\n\nThe hospital said about 120 people were hurt in all.');
    expect(b.conflicts).toEqual([]);
  });

  it('does not set the article’s own plain figure against a sourced one, nor figures of different events', () => {
    const b = brief('Fifty people were on the bus when it was hit.\n\nThree people were taken to hospital, police said.');
    expect(b.conflicts).toEqual([]);
  });

  it('does not flag changes, shares or ages', () => {
    const b = brief('Shares in the insurer fell 4% on Monday, analysts said.\n\nThe insurer said its shares fell 9% over the week.\n\nThe 70-year-old driver was unhurt, police said, and a 45-year-old passenger was treated.');
    expect(b.conflicts).toEqual([]);
  });

  it('does not flag two figures of the article’s own, nor a vague size', () => {
    const b = brief('The base model makes 414 lb-ft of torque.\n\nThe sport model makes almost 490 lb-ft of torque.\n\nHundreds of thousands of people lost power, officials said, and 300,000 people lost power in the north, the utility said.');
    expect(b.conflicts).toEqual([]);
  });

  it('does not set counts of people side by side without knowing what happened to them', () => {
    const b = brief('The utility cut power to some 375,000 people in the north on Wednesday.\n\nMore than 450,000 people in the north were without phone service, a rural group said.');
    expect(b.conflicts).toEqual([]);
  });

  it('does not set figures from sentences about different things against each other', () => {
    const b = brief('He learned that about 90 people view his page each week, out of around 1,500 followers.\n\n"Of my 1,000 followers, five left," said Jo Lind, a consultant who sells garden tools.');
    expect(b.conflicts).toEqual([]);
  });

  it('does not take a stray word for a source', () => {
    const b = brief('STATES TURN RED FOR THE FIRST TIME said 14 states leaned red.\n\nThe pollster Ana Ruiz said 20 states leaned red.');
    expect(b.conflicts).toEqual([]);
  });
});
