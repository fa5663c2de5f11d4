import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { readArticleText } from '../../src/articles/index.js';
import { actionHandlers, commands, runAction, runTextCommand, type CommandServices, type Reply } from '../../src/commands/index.js';
import { ingestArticle } from '../../src/ingest/briefings-folder.js';
import type { Library } from '../../src/library/library.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import { renderText } from '../../src/render/text.js';
import { createStoryBook } from '../../src/stories/story-book.js';
import { BORDER, borderLibrary } from './border-story.js';

/**
 * /story, its buttons, and /quote's versions across outlets, on the border story written for
 * them (border-story.ts): three outlets, one of which drops the minister's "not", two of which give
 * different troop figures at the same time; and an unrelated article beside it.
 */

const member = { platform: 'console' as const, user: { id: 'u1', canManageChannel: false }, channel: { id: 'c1' } };
const STORY = BORDER.herald;

function servicesOf(library: Library, stories = true): CommandServices {
  return { library, logger: pino({ level: 'silent' }), now: () => new Date('2026-12-04T12:00:00Z'), ...(stories ? { stories: createStoryBook({ library }) } : {}) };
}

const services = servicesOf(await borderLibrary());

async function say(line: string, s = services): Promise<{ reply: Reply; text: string }> {
  const { reply } = await runTextCommand(commands, line, member, s);
  return { reply, text: renderText(reply) };
}

async function press(id: string, s = services): Promise<{ reply: Reply; text: string }> {
  const reply = await runAction(actionHandlers, id, member, s);
  return { reply, text: renderText(reply) };
}

describe('/story', () => {
  it('with no words shows the story with the latest news: one card drawn from its three outlets, with a button per part', async () => {
    const { reply, text } = await say('/story');
    expect(reply.error).toBeFalsy();
    expect(reply.cards).toHaveLength(1);
    const card = reply.cards[0]!;
    expect(card.title).toBe('Kovac keeps troops on northern border as Zagreb talks collapse');
    expect(card.description).toBe('Defence Minister Maria Kovac said the army would hold its positions on the northern border after talks in Zagreb collapsed on Wednesday night. (Harbour Times; also: Valley Post, Daily Courier)');
    expect(text).toContain('Carried by 3 outlets: Harbour Times, Valley Post, Daily Courier.');
    // What outlets disagree on is on the card itself, not only behind a button.
    expect(text).toContain('Figures disagree on troops: 10,000 (Army officials, Harbour Times) vs 12,000 (Ivan Horvat, Valley Post)');
    expect(text).toContain("Maria Kovac's quote differs: Daily Courier (negation dropped)");
    expect(reply.buttons.map((b) => [b.label, b.id])).toEqual([
      ['Figures', `story:figures:${STORY}`],
      ['Quotes', `story:quotes:${STORY}`],
      ['Coverage', `story:coverage:${STORY}`],
    ]);
    // A terminal has no buttons: it says what to type instead.
    expect(text).toContain(`More: Figures: /story ${STORY} figures · Quotes: /story ${STORY} quotes · Coverage: /story ${STORY} coverage`);
  });

  it('the figures button lines up the troop figures as a disagreement, who asserted each and when', async () => {
    const { reply, text } = await press(`story:figures:${STORY}`);
    expect(reply.ephemeral).toBe(true);
    const troops = reply.cards[0]!.sections[0]!;
    expect(troops.heading).toBe('troops: outlets disagree');
    expect(troops.items).toEqual(['10,000 — Army officials in Harbour Times, published 2026-12-04 09:00 UTC', '12,000 — Ivan Horvat in Valley Post, published 2026-12-04 10:00 UTC']);
    expect(text).toContain('10,000 (Army officials, Harbour Times) vs 12,000 (Ivan Horvat, Valley Post)');
  });

  it('the quotes button shows the minister’s quote once, with the Daily Courier’s dropped "not" flagged', async () => {
    const { reply } = await press(`story:quotes:${STORY}`);
    const [group] = reply.cards[0]!.sections;
    expect(group!.heading).toBe('Maria Kovac, Defence Minister — versions differ');
    expect(group!.text).toBe('“We will not withdraw our soldiers from the border. The talks have failed, and we are ready to defend every village”');
    expect(group!.items![0]).toBe('As printed by Harbour Times and Valley Post');
    expect(group!.items![1]).toMatch(/^Daily Courier differs \(negation dropped\): “We will withdraw our soldiers from the border\./);
  });

  it('the coverage button lists the outlets, each report, and the first and latest', async () => {
    const { text } = await press(`story:coverage:${STORY}`);
    expect(text).toContain('Reports (3):');
    expect(text).toContain('First: Harbour Times, “Kovac keeps troops on northern border as Zagreb talks collapse”, 2026-12-04 09:00 UTC');
    expect(text).toContain('Latest: Daily Courier, “Kovac: troops on northern border after Zagreb talks collapse”, 2026-12-04 11:00 UTC');
  });

  it('with words shows the best match and lists the others; a part word shows that part', async () => {
    const orchard = await say('/story orchard festival');
    expect(orchard.reply.cards[0]!.title).toBe('Orchard festival draws record crowds to Lindenfeld');
    expect(orchard.text).toContain('Carried by 1 outlet: Valley Post.');
    const quotes = await say(`/story ${STORY} quotes`);
    expect(quotes.reply.cards[0]!.title).toBe('Quotes: Kovac keeps troops on northern border as Zagreb talks collapse');
    expect(quotes.reply.buttons).toEqual([]);
    // An article's id finds the story it is in.
    expect((await say(`/story ${BORDER.courier}`)).reply.cards[0]!.title).toBe('Kovac keeps troops on northern border as Zagreb talks collapse');
  });

  it('lists the other stories the words match under the best one', async () => {
    const library = await borderLibrary();
    await ingestArticle(library, readArticleText('Northern border reopens to freight\n\nThe northern border crossing at Lindenfeld reopened to freight lorries on Friday after repairs.', 'freight.txt'), 'test:freight', new Date('2026-12-05T08:00:00Z'));
    const { reply } = await say('/story northern border', servicesOf(library));
    const others = reply.cards[0]!.sections.find((s) => s.heading === 'Other matching stories');
    expect(others?.items).toHaveLength(1);
  });

  it('hides the button of a part that has nothing', async () => {
    const library = createMemoryLibrary();
    await ingestArticle(library, readArticleText('Library opens a new reading room\n\nThe town library opened a new reading room on Monday. Visitors praised the light and the quiet.', 'library.txt'), 'test:library', new Date('2026-12-04T08:00:00Z'));
    const { reply } = await say('/story', servicesOf(library));
    expect(reply.buttons.map((b) => b.label)).toEqual(['Coverage']);
  });

  it('says clearly when there is no story yet, when none matches, and when a button’s story is gone', async () => {
    const empty = await say('/story', servicesOf(createMemoryLibrary()));
    expect(empty.reply).toMatchObject({ error: true, text: 'No stories yet: no articles are loaded.' });
    const none = await say('/story volcano eruption');
    expect(none.reply).toMatchObject({ error: true, text: 'No story matches "volcano eruption". Try fewer words, or /story for the latest.' });
    const gone = await press('story:figures:no-such-story');
    expect(gone.reply.error).toBe(true);
    expect(gone.text).toContain('No story "no-such-story"');
  });
});

describe('/quote across outlets', () => {
  const GROUPED = '“We will not withdraw our soldiers from the border. The talks have failed, and we are ready to defend every village” — Maria Kovac, Defence Minister (Harbour Times, Valley Post; Daily Courier differs: negation dropped)';

  it('shows the versions of one quote printed by three outlets as one item, the odd one out flagged', async () => {
    const { reply } = await say('/quote withdraw soldiers');
    expect(reply.text).toBe('1 quote for "withdraw soldiers"');
    expect(reply.cards[0]!.sections[0]!.items).toEqual([GROUPED]);
  });

  it('groups them by their words where no story book is kept', async () => {
    const { reply } = await say('/quote withdraw soldiers', servicesOf(await borderLibrary(), false));
    expect(reply.cards[0]!.sections[0]!.items).toEqual([GROUPED]);
  });

  it('leaves a quote one outlet printed as it was', async () => {
    const { reply } = await say('/quote harvest');
    expect(reply.cards[0]!.sections[0]!.items).toEqual(['“This is the best harvest we have had in a decade” — Anna Brandt, director (Orchard festival draws record crowds to Lindenfeld, 2026-12-03; id: orchard-festival-draws-record-crowds-to-lindenfeld)']);
  });
});
