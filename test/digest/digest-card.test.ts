import { describe, expect, it } from 'vitest';
import { keyPointsBesideTldr } from '../../src/briefing/index.js';
import { digestCard } from '../../src/digest/compose.js';
import { OPINION_NOTE } from '../../src/reply/reply.js';
import { aBriefing, anEntry } from '../helpers/briefings.js';

/**
 * A digest's card for one briefing: the TL;DR once, and the top key points beside it. The TL;DR
 * is often the first key point trimmed of an opening clause, so it is matched by its sentence.
 */

const keyPoints = [
  { text: 'In a sharp escalation, the council closed the harbour to cargo ships on Monday.', sentence: 0 },
  { text: 'Dock workers said the closure would cost them a week of wages.', sentence: 2 },
  { text: 'The port authority will review the decision in March.', sentence: 4 },
];

describe('the TL;DR and the key points beside it', () => {
  it('does not repeat the TL;DR when it is its key point trimmed', () => {
    const briefing = aBriefing('harbour', { tldr: 'The council closed the harbour to cargo ships on Monday.', tldrSentence: 0, keyPoints });
    expect(keyPointsBesideTldr(briefing).map((k) => k.sentence)).toEqual([2, 4]);
    const card = digestCard(anEntry(briefing));
    expect(card.description).toBe('The council closed the harbour to cargo ships on Monday.');
    expect(card.sections).toEqual([{ items: [keyPoints[1]!.text, keyPoints[2]!.text] }]);
  });

  it('keeps every key point when the TL;DR is a sentence of its own', () => {
    const briefing = aBriefing('harbour', { tldr: 'Cargo ships were turned away.', tldrSentence: 1, keyPoints });
    expect(keyPointsBesideTldr(briefing)).toEqual(keyPoints);
  });

  it('compares by text a briefing stored before the TL;DR named its sentence', () => {
    const { tldrSentence: _none, ...old } = aBriefing('harbour', { tldr: keyPoints[1]!.text, keyPoints });
    expect(keyPointsBesideTldr(old).map((k) => k.sentence)).toEqual([0, 4]);
  });
});

describe('an opinion piece in a digest', () => {
  it('says first that the outlet files it as opinion', () => {
    const card = digestCard(anEntry(aBriefing('harbour-column', { tldr: 'The harbour plan deserves a second look.', keyPoints, genre: 'opinion' })));
    expect(card.sections[0]).toEqual({ text: OPINION_NOTE });
    expect(digestCard(anEntry(aBriefing('harbour', { keyPoints }))).sections.some((s) => s.text === OPINION_NOTE)).toBe(false);
  });
});
