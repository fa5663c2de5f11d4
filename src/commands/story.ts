import { errorReply, type Reply, type ReplyButton, type ReplyCard } from '../reply/reply.js';
import { coverageCard, figuresCard, formatWhen, quotesCard, storyCard } from '../reply/story-cards.js';
import type { StoryBook } from '../stories/story-book.js';
import type { Story } from '../stories/story-index.js';
import type { StoryCard } from '../stories/story-card.js';
import type { ActionHandler, Command, CommandInput, CommandServices } from './types.js';

/**
 * /story: one event as every outlet reported it. With no words, the story with the latest news;
 * with words, the best-matching story (a story id or an article id names one exactly), the next
 * few listed by title. Its figures, quotes and coverage are a button away (`story:figures:<id>`),
 * or in a terminal a word away (`/story <id> figures`).
 */

export const STORY_PARTS = ['figures', 'quotes', 'coverage'] as const;
export type StoryPart = (typeof STORY_PARTS)[number];

/** How many other matching stories a search lists under the best one. */
const OTHERS = 4;

const PART_LABELS: Record<StoryPart, string> = { figures: 'Figures', quotes: 'Quotes', coverage: 'Coverage' };

/** The card of one part of a story. */
export function partCard(card: StoryCard, part: StoryPart): ReplyCard {
  return part === 'figures' ? figuresCard(card) : part === 'quotes' ? quotesCard(card) : coverageCard(card);
}

/** Whether a part has anything to show; an empty part gets no button. */
function hasPart(card: StoryCard, part: StoryPart): boolean {
  if (part === 'figures') return card.figures.length + card.soloFigures.length > 0;
  if (part === 'quotes') return card.quotes.length + card.soloQuotes.length > 0;
  return true;
}

export function storyButtons(card: StoryCard): ReplyButton[] {
  return STORY_PARTS.filter((p) => hasPart(card, p)).map((p) => ({ id: `story:${p}:${card.id}`, label: PART_LABELS[p], typed: `story ${card.id} ${p}` }));
}

/** "Orchard festival draws record crowds — 1 outlet, latest 2026-12-03 · /story orchard-festival". */
function otherLine(story: Story): string {
  const outlets = story.outlets.length === 1 ? '1 outlet' : `${story.outlets.length} outlets`;
  return `${story.title} — ${outlets}, latest ${formatWhen(story.lastSeen)?.slice(0, 10) ?? 'undated'} · /story ${story.id}`;
}

function unavailable(): Reply {
  return errorReply('Stories are not available here.');
}

function noStory(words: string): Reply {
  return errorReply(`No story matches "${words}". Try fewer words, or /story for the latest.`);
}

/** The story asked for and the others that matched the words: an id first, then the search. */
async function findStories(stories: StoryBook, words: string | undefined): Promise<{ story: Story; others: Story[] } | undefined> {
  await stories.refresh();
  if (!words) {
    const [latest] = await stories.search({ limit: 1 });
    return latest && { story: latest, others: [] };
  }
  const exact = await stories.story(words.trim());
  if (exact) return { story: exact, others: [] };
  const [best, ...others] = await stories.search({ words, limit: OTHERS + 1 });
  return best && { story: best, others };
}

export const storyCommand: Command = {
  name: 'story',
  description: 'One news event across outlets: points merged, figures lined up, quote versions compared.',
  usage: '/story [story] [part: figures|quotes|coverage]',
  examples: ['/story', '/story border talks', '/story border talks quotes'],
  ephemeral: false,
  options: [
    { name: 'story', description: 'Words of the story\'s title, or its id (default: the latest news)', type: 'string', autocomplete: 'story', maxLength: 200 },
    { name: 'part', description: 'Show one part: figures, quotes or coverage', type: 'string', choices: STORY_PARTS },
  ],
  async run(input: CommandInput, { stories }: CommandServices): Promise<Reply> {
    if (!stories) return unavailable();
    const words = (input.options.story as string | undefined)?.trim() || undefined;
    const part = input.options.part as StoryPart | undefined;
    const found = await findStories(stories, words);
    if (!found) return words ? noStory(words) : errorReply('No stories yet: no articles are loaded.');
    const card = await stories.card(found.story);
    if (part) return { ephemeral: false, cards: [partCard(card, part)], buttons: [] };
    const main = storyCard(card);
    if (found.others.length > 0) main.sections.push({ heading: 'Other matching stories', items: found.others.map(otherLine) });
    return { ephemeral: false, cards: [main], buttons: storyButtons(card) };
  },
};

/** The buttons under a /story reply: `story:figures:<id>`, `story:quotes:<id>`, `story:coverage:<id>`. */
export const storyActions: ActionHandler = {
  prefix: 'story',
  async run(argument: string, _input, { stories }: CommandServices): Promise<Reply> {
    if (!stories) return unavailable();
    const [action, ...rest] = argument.split(':');
    const id = rest.join(':');
    if (!(STORY_PARTS as readonly string[]).includes(action ?? '')) return errorReply('That button is no longer available.');
    await stories.refresh();
    const story = await stories.story(id);
    if (!story) return errorReply(`No story "${id}" any more: it may have been merged or aged out. Try /story.`);
    return { ephemeral: true, cards: [partCard(await stories.card(story), action as StoryPart)], buttons: [] };
  },
};
