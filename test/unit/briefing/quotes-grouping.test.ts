import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../../src/articles/index.js';
import { createBriefing } from '../../../src/briefing/index.js';

/**
 * Which quotation-mark spans make one quote, and whether a quote is whole sentences said
 * (direct) or words inside the writer's sentence (partial), on short articles written for these
 * tests.
 */

const quotesOf = (text: string) => createBriefing(readPlainText(text)).quotes;

describe('one quote split by its attribution', () => {
  it('joins the parts across a show title in the attribution', () => {
    const quotes = quotesOf(`Candidate on strategy

"We are not winning yet, but it is too soon to give up," Clara Diaz said on the show "This Week" on Sunday. "We need a stronger plan and we need it now."`);
    expect(quotes).toEqual([
      expect.objectContaining({ text: 'We are not winning yet, but it is too soon to give up … We need a stronger plan and we need it now.', speaker: 'Clara Diaz', kind: 'direct' }),
    ]);
  });

  it('joins the parts when the attribution stands as a sentence of its own after a question', () => {
    const quotes = quotesOf(`Interview

"Would the wall be open to negotiation at all?" Hannity pressed. "Could some people stay if they register in time?"`);
    expect(quotes).toHaveLength(1);
    expect(quotes[0]!.text).toContain('Could some people stay');
  });

  it('keeps a part that a second speech verb introduces as a quote of its own', () => {
    const quotes = quotesOf(`Flint

"The city has been drinking poisoned water for far too long," Maria Lane said, adding, "If this were a rich suburb, there would have been action."`);
    expect(quotes.map((q) => q.text)).toEqual([
      'The city has been drinking poisoned water for far too long',
      'If this were a rich suburb, there would have been action.',
    ]);
    expect(quotes.every((q) => q.speaker === 'Maria Lane')).toBe(true);
  });
});

describe('direct or partial', () => {
  it('reads a whole clause in lower case right after the speech verb as said words', () => {
    const quotes = quotesOf(`Campaign stop

Clinton noted her years in the Senate. She said "we worked hard to keep this state at the center of everything we do."`);
    expect(quotes.find((q) => q.text.startsWith('we worked hard'))?.kind).toBe('direct');
  });

  it('keeps words that finish the writer\'s own clause partial', () => {
    const quotes = quotesOf(`Budget fight

Senator Ruth Hale said Congress "must stop treating the island like a colony." She called the plan "a blatant and belligerent abuse of power."`);
    expect(quotes.find((q) => q.text.startsWith('must stop'))?.kind).toBe('partial');
    expect(quotes.find((q) => q.text.startsWith('a blatant'))?.kind).toBe('partial');
  });
});
