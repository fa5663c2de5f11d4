import { describe, expect, it } from 'vitest';
import { readPlainText, type Article } from '../../src/articles/index.js';
import { createBriefing } from '../../src/briefing/index.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import { OPINION_NOTE, type ReplyCard } from '../../src/reply/reply.js';
import { coverageCard, figuresCard, quotesCard, storyCard } from '../../src/reply/story-cards.js';
import { createStoryBook, factsOf, newsFor } from '../../src/stories/index.js';
import { PORTO_DAY_ONE } from '../fixtures/stories/porto-floods.js';

/**
 * Who a story card names as an outlet, and when it cites one: an article with no outlet is named
 * by the site it came from; a story only one outlet carried does not cite it after every point.
 */

const body = [
  'The harbour council closed the port to cargo ships on Monday after a crane collapsed onto a container vessel.',
  'Dock workers said the closure would cost them a week of wages.',
  'The port authority said it would review the decision on Friday.',
].join('\n\n');

async function cardsOf(articles: readonly Article[]): Promise<{ story: ReplyCard; figures: ReplyCard; quotes: ReplyCard; coverage: ReplyCard }> {
  const library = createMemoryLibrary();
  for (const article of articles) await library.add({ briefing: createBriefing(article), ingestedAt: '2026-12-04T12:00:00.000Z', contentHash: `hash-${article.id}` }, { article });
  const book = createStoryBook({ library });
  await book.refresh();
  const card = await book.card((await book.storyOf(articles[0]!.id))!);
  return { story: storyCard(card), figures: figuresCard(card), quotes: quotesCard(card), coverage: coverageCard(card) };
}
const cardOf = async (articles: readonly Article[]): Promise<ReplyCard> => (await cardsOf(articles)).story;

const coverageOf = (card: ReplyCard): string | undefined => card.sections.find((s) => s.heading === 'Coverage')?.text;
const pointsOf = (card: ReplyCard): string[] => card.sections.find((s) => s.heading === 'Key points')?.items ?? [];

describe('outlets on the story card', () => {
  it('names an article with no outlet by the site of its address, and cites no outlet when only one carried the story', async () => {
    const card = await cardOf([readPlainText(body, { id: 'harbour-1', title: 'Harbour closed after crane collapse', url: 'https://www.harbour-times.example/news/harbour-1', published: '2026-12-04T08:00:00Z' })]);
    expect(coverageOf(card)).toBe('Carried by 1 outlet: harbour-times.example.');
    expect(card.description).not.toMatch(/\)$/);
    expect(pointsOf(card).length).toBeGreaterThan(0);
    for (const item of pointsOf(card)) expect(item).not.toMatch(/\((harbour-times\.example|harbour-1)\)$/);
  });

  it('lists the figures and quotes of a story one outlet carried without naming the outlet after each', async () => {
    const text = `${body}\n\nAbout 2,400 containers are stuck on 14 ships in the bay, the port authority said.\n\n"We will reopen the port within a week," said harbour master Ines Duarte.`;
    const { figures, quotes } = await cardsOf([readPlainText(text, { id: 'harbour-3', outlet: 'Harbour Times', title: 'Harbour closed after crane collapse', published: '2026-12-04T08:00:00Z' })]);
    expect(figures.sections.map((s) => s.heading)).toEqual(['Figures']);
    expect(figures.sections[0]!.items!.length).toBeGreaterThan(0);
    for (const item of figures.sections[0]!.items!) expect(item).not.toContain('(Harbour Times)');
    expect(quotes.sections).toEqual([{ heading: 'Quotes', items: ['“We will reopen the port within a week” — Ines Duarte, harbour master'] }]);
  });

  it('says the outlet is not named for an article with neither outlet nor address, with its id to find it by', async () => {
    const card = await cardOf([readPlainText(body, { id: 'harbour-2', title: 'Harbour closed after crane collapse', published: '2026-12-04T08:00:00Z' })]);
    expect(coverageOf(card)).toBe('Carried by 1 outlet: not named (article harbour-2).');
    const { coverage } = await cardsOf([readPlainText(body, { id: 'harbour-3', title: 'Harbour closed after crane collapse', published: '2026-12-04T08:00:00Z' })]);
    expect(coverage.sections.find((s) => s.heading?.startsWith('Reports'))?.items).toEqual(['not named (article harbour-3): its own report']);
  });

  it('cites the outlet of every point when several carried the story', async () => {
    const card = await cardOf(PORTO_DAY_ONE);
    expect(card.description).toMatch(/\((Reuters|AP|BBC)(; also: [^)]+)?\)$/);
    expect(pointsOf(card).length).toBeGreaterThan(0);
    for (const item of pointsOf(card)) expect(item).toMatch(/\((Reuters|AP|BBC)(; also: [^)]+)?\)$/);
  });
});

describe('opinion pieces in a story', () => {
  // A column on the same event, in sentences that read like reporting: only its outlet's filing tells it apart.
  const column = [
    'The harbour council closed the port to cargo ships on Monday after a crane collapsed onto a container vessel.',
    'The collapsed crane was last inspected in 2019, port authority records show.',
    'Dock workers said the closure of the port would cost them a week of wages.',
  ].join('\n\n');
  const report = readPlainText(body, { id: 'harbour-news', title: 'Harbour closed after crane collapse', outlet: 'Harbour Times', published: '2026-12-04T08:00:00Z' });
  const opinion = readPlainText(column, { id: 'harbour-column', title: 'Harbour closed after crane collapse: the right call', outlet: 'Valley Post', url: 'https://valley-post.example/opinion/harbour-column', published: '2026-12-04T10:00:00Z' });

  it('give the story no points while it has reporting', async () => {
    const card = await cardOf([report, opinion]);
    expect(coverageOf(card)).toContain('Valley Post');
    for (const text of [card.description ?? '', ...pointsOf(card)]) expect(text).not.toMatch(/last inspected/);
    expect(card.sections.some((s) => s.text === OPINION_NOTE)).toBe(false);
  });

  it('are no news for a channel told of the reporting', async () => {
    const library = createMemoryLibrary();
    const add = (article: Article) => library.add({ briefing: createBriefing(article), ingestedAt: '2026-12-04T12:00:00.000Z', contentHash: `hash-${article.id}` }, { article });
    await add(report);
    const book = createStoryBook({ library });
    await book.refresh();
    const told = factsOf(await book.card((await book.storyOf('harbour-news'))!)).map((f) => ({ ...f, toldAt: '2026-12-04T12:00:00.000Z' }));
    const argued = readPlainText(
      [
        'The harbour council closed the port to cargo ships on Monday after a crane collapsed onto a container vessel.',
        'The council replaced none of the old cranes in the decade before the collapse, port records show.',
        'Taxpayers paid for a crane survey in 2021 that nobody on the council has read.',
      ].join('\n\n'),
      { id: 'harbour-column-2', title: 'Harbour closed after crane collapse: the council failed', outlet: 'Valley Post', url: 'https://valley-post.example/opinion/harbour-column-2', published: '2026-12-04T10:00:00Z' },
    );
    await add(argued);
    await book.refresh();
    const story = (await book.storyOf('harbour-column-2'))!;
    expect(story.id).toBe((await book.storyOf('harbour-news'))!.id);
    const news = newsFor(await book.card(story), told);
    expect(news.points).toEqual([]);
    expect(news.outlets).toEqual(['Valley Post']);
  });

  it('say so first when the story is only opinion', async () => {
    const card = await cardOf([opinion]);
    expect(card.sections[0]).toEqual({ text: OPINION_NOTE });
  });
});
