import { describe, expect, it } from 'vitest';
import type { Briefing } from '../../src/briefing/index.js';
import { describeChanges } from '../../src/commands/present.js';
import { diffBriefings, isNoticeable } from '../../src/library/changes.js';
import { aBriefing } from '../helpers/briefings.js';

function briefing(over: Partial<Briefing>): Briefing {
  return aBriefing('harbour', {
    title: 'Harbour wall repair approved',
    tldr: 'The council approved the repair.',
    keyPoints: [{ text: 'The council approved the repair.', sentence: 0 }],
    wordCount: 120,
    readingMinutes: 1,
    ...over,
  });
}

const figure = (value: string, what: string, quantity: number) => ({ value, what, quantity, sentence: 0 });

describe('diffBriefings (unit)', () => {
  it('names a new headline, a figure whose value changed, new and removed figures and quotes', () => {
    const before = briefing({
      figures: [figure('$4.2 million', 'repair', 4.2e6), figure('300', 'residents', 300)],
      quotes: [{ text: 'We cannot let the sea decide for us', speaker: 'Ann Smith', sentence: 1 } as Briefing['quotes'][number]],
    });
    const after = briefing({
      title: 'Costlier harbour wall repair approved',
      tldr: 'The council approved a costlier repair.',
      figures: [figure('$5.1 million', 'repair', 5.1e6), figure('18', 'months', 18)],
      quotes: [{ text: 'The price went up', speaker: 'Omar Haddad', sentence: 2 } as Briefing['quotes'][number]],
      keyPoints: [{ text: 'The council approved a costlier repair.', sentence: 0 }],
      wordCount: 140,
    });
    const changes = diffBriefings(before, after);
    expect(changes.headline).toEqual({ before: 'Harbour wall repair approved', after: 'Costlier harbour wall repair approved' });
    expect(changes.figuresChanged).toEqual([{ before: '$4.2 million repair', after: '$5.1 million repair' }]);
    expect(changes.figuresAdded).toEqual(['18 months']);
    expect(changes.figuresRemoved).toEqual(['300 residents']);
    expect(changes.quotesAdded).toEqual([{ text: 'The price went up', speaker: 'Omar Haddad' }]);
    expect(changes.quotesRemoved).toEqual([{ text: 'We cannot let the sea decide for us', speaker: 'Ann Smith' }]);
    expect(changes.wordCount).toEqual({ before: 120, after: 140 });
    expect(isNoticeable(changes)).toBe(true);
    expect(describeChanges(changes)).toEqual([
      'Headline: “Harbour wall repair approved” → “Costlier harbour wall repair approved”',
      'Figure changed: $4.2 million repair → $5.1 million repair',
      'New figure: 18 months',
      'Figure removed: 300 residents',
      'New quote: “The price went up” — Omar Haddad',
      'Quote removed: “We cannot let the sea decide for us” — Ann Smith',
      'New key point: The council approved a costlier repair.',
    ]);
  });

  it('says when an edit changed the wording but nothing a briefing shows', () => {
    const changes = diffBriefings(briefing({}), briefing({ wordCount: 125 }));
    expect(isNoticeable(changes)).toBe(false);
    expect(describeChanges(changes)).toEqual(['Text edited (120 → 125 words); the briefing reads the same.']);
  });
});
