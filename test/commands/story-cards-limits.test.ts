import { describe, expect, it } from 'vitest';
import { storyButtons } from '../../src/commands/story.js';
import { renderDiscord } from '../../src/platforms/discord/render.js';
import { renderSlack } from '../../src/platforms/slack/render.js';
import type { Reply } from '../../src/reply/reply.js';
import { coverageCard, figuresCard, quotesCard, storyCard } from '../../src/reply/story-cards.js';
import { createStoryBook } from '../../src/stories/story-book.js';
import type { StoryCard } from '../../src/stories/story-card.js';
import { validateMessage } from '../fakes/discord-limits.js';
import { validateSlackMessage } from '../fakes/slack-limits.js';
import { borderLibrary } from './border-story.js';

/**
 * The story cards are plain text of any length; the platform renderers cut them. A story with
 * sixty lined-up figures, sixty quote groups and sixty reports still renders within every Discord
 * and Slack limit, and the text of each part is there.
 */

const library = await borderLibrary();
const book = createStoryBook({ library });
await book.refresh();
const real = await book.card((await book.search({ limit: 1 }))[0]!);

function huge(card: StoryCard): StoryCard {
  const many = <T>(xs: readonly T[]): T[] => Array.from({ length: 60 }, (_, i) => xs[i % xs.length]!);
  return {
    ...card,
    title: `${card.title} `.repeat(10).trim(),
    keyPoints: many(card.keyPoints),
    figures: many(card.figures),
    soloFigures: many(card.soloFigures),
    quotes: many(card.quotes),
    coverage: { ...card.coverage, reports: many(card.coverage.reports), outlets: many(card.coverage.outlets).map((o, i) => `${o} ${i}`) },
  };
}

describe('story cards on Discord and Slack', () => {
  it.each([
    ['story', storyCard],
    ['figures', figuresCard],
    ['quotes', quotesCard],
    ['coverage', coverageCard],
  ] as const)('the %s card of a huge story fits every limit', (_name, make) => {
    const reply: Reply = { ephemeral: false, cards: [make(huge(real))], buttons: storyButtons(real) };
    expect(validateMessage(renderDiscord(reply))).toEqual([]);
    expect(validateSlackMessage(renderSlack(reply) as never)).toEqual([]);
  });

  it('puts the disagreement and the flagged quote first on their cards', () => {
    expect(figuresCard(real).sections[0]!.heading).toBe('troops: outlets disagree');
    expect(quotesCard(real).sections[0]!.heading).toBe('Maria Kovac, Defence Minister — versions differ');
  });
});
