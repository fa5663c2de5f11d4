import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../../src/articles/index.js';
import { createBriefing } from '../../../src/briefing/index.js';
import { isOpinionPiece } from '../../../src/briefing/genre.js';
import { briefingCard } from '../../../src/commands/present.js';
import { OPINION_NOTE } from '../../../src/reply/reply.js';

/** An article the outlet files as opinion is briefed as such, by what the page or feed says of it. */

describe('isOpinionPiece', () => {
  it('reads a section or tag the outlet gives it', () => {
    for (const tag of ['Opinion', 'Op-Ed', 'op-eds', 'Editorials', 'Commentary', 'Letters to the Editor', 'Columnists'])
      expect(isOpinionPiece({ tags: [tag] }), tag).toBe(true);
    expect(isOpinionPiece({ tags: ['Politics', 'Opinion polls'] })).toBe(false);
  });

  it('reads a folder of its address, not the words of its own slug', () => {
    expect(isOpinionPiece({ tags: [], url: 'https://news.example/2024/05/opinion/harbour-plan.html' })).toBe(true);
    expect(isOpinionPiece({ tags: [], url: 'https://www.theguardian.com/commentisfree/2024/may/01/harbour' })).toBe(true);
    expect(isOpinionPiece({ tags: [], url: 'https://news.example/politics/opinion-poll-shows-harbour-plan-ahead' })).toBe(false);
    expect(isOpinionPiece({ tags: [], url: 'https://news.example/opinion' })).toBe(false);
    expect(isOpinionPiece({ tags: [], url: 'not a url' })).toBe(false);
  });
});

describe('an opinion piece in a briefing and on its card', () => {
  const text = `The harbour plan deserves a second look

The council voted on Tuesday to spend $2 million on new moorings at the east quay.

The money would do more good in the town's schools, where classrooms have leaked for years.`;

  it('is marked, and its card says so first at every length', () => {
    const briefing = createBriefing(readPlainText(text, { url: 'https://news.example/opinion/harbour-plan' }));
    expect(briefing.genre).toBe('opinion');
    for (const length of ['tldr', 'short', 'full'] as const) expect(briefingCard(briefing, length).sections[0]).toEqual({ text: OPINION_NOTE });
  });

  it('is not marked when nothing says it is opinion', () => {
    const briefing = createBriefing(readPlainText(text, { url: 'https://news.example/local/harbour-plan' }));
    expect(briefing.genre).toBeUndefined();
    expect(briefingCard(briefing, 'full').sections.some((s) => s.text === OPINION_NOTE)).toBe(false);
  });
});
