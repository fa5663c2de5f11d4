import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  actionHandlers,
  commands,
  runAction,
  runCommand,
  runTextCommand,
  type Command,
  type Reply,
} from '../../src/commands/index.js';
import { createHelpCommand } from '../../src/commands/help.js';
import { BriefbotError } from '../../src/errors.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import { renderText } from '../../src/render/text.js';
import { aBriefing, anEntry, newsroomLibrary, servicesFor } from '../helpers/briefings.js';

const member = { platform: 'console' as const, user: { id: 'u1', canManageChannel: false }, channel: { id: 'c1' } };
const manager = { ...member, user: { id: 'u2', canManageChannel: true } };
const services = servicesFor(await newsroomLibrary());
/** A command's usage line as it declares it (the messages below quote it). */
const usage = (name: string): string => commands.find((c) => c.name === name)!.usage;

async function say(line: string, invocation = member): Promise<{ reply: Reply; outcome: string; text: string }> {
  const { reply, outcome } = await runTextCommand(commands, line, invocation, services);
  return { reply, outcome, text: renderText(reply) };
}

describe('runTextCommand', () => {
  it('/brief with no article briefs the latest, short, with buttons for the rest', async () => {
    const { reply, outcome, text } = await say('/brief');
    expect(outcome).toBe('ok');
    expect(reply.cards[0]).toMatchObject({ title: 'Ukraine reopens the Black Sea grain corridor', description: 'What happened in grain-corridor.' });
    expect(reply.cards[0]!.sections.map((s) => s.heading)).toEqual(['Key points']);
    expect(reply.buttons.map((b) => b.id)).toEqual(['brief:figures:grain-corridor', 'brief:quotes:grain-corridor', 'brief:full:grain-corridor']);
    expect(text).toContain('TL;DR: What happened in grain-corridor.');
    expect(text).toContain('More: Key figures, Quotes, Full briefing: /brief grain-corridor full');
  });

  it('/brief north korea full finds the article by title words and shows everything, quotes included', async () => {
    const { reply, outcome, text } = await say('/brief north korea full');
    expect(outcome).toBe('ok');
    expect(reply.cards[0]!.title).toBe('North Korea sends engineers to Kursk');
    expect(reply.buttons).toEqual([]);
    const headings = reply.cards[0]!.sections.map((s) => s.heading);
    expect(headings).toEqual(expect.arrayContaining(['Key points', 'Key figures', 'Who said what']));
    expect(text).toContain('“We will never forget this help. This work continues.” — Dmitry Peskov, spokesman');
    expect(text).toContain('(by Kevin Hughes · 2025-11-17 · 2 min read · id: kursk-engineers)');
  });

  it('/brief <article> tldr shows only the TL;DR', async () => {
    const { reply } = await say('/brief kursk-engineers tldr');
    expect(reply.cards[0]!.description).toBe('What happened in kursk-engineers.');
    expect(reply.cards[0]!.sections).toEqual([]);
  });

  it('/brief names an article it cannot find and points to /articles', async () => {
    const { reply, text } = await say('/brief no such thing');
    expect(reply.error).toBe(true);
    expect(text).toBe('! No article matches "no such thing". Use /articles to see what is loaded.');
  });

  it('/brief on an empty library says so', async () => {
    const { reply } = await runTextCommand(commands, '/brief', member, servicesFor(createMemoryLibrary()));
    expect(reply).toMatchObject({ error: true, text: 'No articles are loaded yet. Add files to the briefings folder.' });
  });

  it('/quote Peskov finds Dmitry Peskov’s quote with its article, date and id', async () => {
    const { reply, outcome, text } = await say('/quote Peskov');
    expect(outcome).toBe('ok');
    expect(reply.text).toBe('2 quotes for "Peskov"');
    expect(text).toContain(
      '“We will never forget this help. This work continues.” — Dmitry Peskov, spokesman (North Korea sends engineers to Kursk, 2025-11-17; id: kursk-engineers)',
    );
    expect(text.indexOf('Dmitry Peskov')).toBeLessThan(text.indexOf('Olena Zelenska'));
  });

  it('/quote says who the article describes as the speaker of a quote it does not credit to a name', async () => {
    const library = createMemoryLibrary();
    const quotes = [{ text: 'The ceasefire will not hold past Friday', kind: 'direct' as const, sentence: 2, source: 'one senior diplomat' }];
    await library.add(anEntry(aBriefing('ceasefire-talks', { title: 'Ceasefire talks stall', byline: { published: '2025-11-21' }, quotes })));
    const { reply } = await runTextCommand(commands, '/quote ceasefire', member, servicesFor(library));
    expect(renderText(reply)).toContain('“The ceasefire will not hold past Friday” — as described: one senior diplomat (Ceasefire talks stall, 2025-11-21; id: ceasefire-talks)');
  });

  it('/quote narrows by speaker and article, and says when nothing matches', async () => {
    expect((await say('/quote corridor speaker:guterres')).text).toContain('— António Guterres, UN Secretary-General');
    expect((await say('/quote xylophone')).text).toBe('! No quotes match "xylophone".');
    expect((await say('/quote help speaker:ferrer')).text).toBe('! No quotes match "help" by "ferrer".');
    expect((await say('/quote help article:nowhere')).text).toBe('! No article matches "nowhere". Use /articles to see what is loaded.');
  });

  it('/articles lists newest first with dates and ids, and pages', async () => {
    const { reply, text } = await say('/articles');
    expect(reply.text).toBe('3 articles');
    expect(reply.cards[0]!.sections[0]!.items).toEqual([
      'Ukraine reopens the Black Sea grain corridor — 2025-11-20 · id: grain-corridor',
      'North Korea sends engineers to Kursk — 2025-11-17 · id: kursk-engineers',
      'Harbour authority approves Port Vell expansion — 2024-03-05 · id: harbour-expansion',
    ]);
    expect(text.split('\n')[0]).toBe('3 articles');
    expect((await say('/articles russia')).reply.text).toBe('1 article matching "russia"');
    expect((await say('/articles xylophone')).reply.text).toBe('No articles match "xylophone".');
  });

  it('/articles pages through a long list with a footer naming the next page', async () => {
    const library = createMemoryLibrary();
    for (let i = 0; i < 12; i++) await library.add(anEntry(aBriefing(`story-${String(i).padStart(2, '0')}`), { ingestedAt: `2025-01-${String(i + 1).padStart(2, '0')}T00:00:00.000Z` }));
    const first = await runTextCommand(commands, '/articles', member, servicesFor(library));
    expect(first.reply.cards[0]!.sections[0]!.items).toHaveLength(10);
    expect(first.reply.cards[0]!.footer).toBe('Page 1 of 2 · next: /articles page:2');
    const second = await runTextCommand(commands, '/articles page:2', member, servicesFor(library));
    expect(second.reply.cards[0]!.sections[0]!.items).toHaveLength(2);
    expect(second.reply.cards[0]!.footer).toBe('Page 2 of 2');
    expect((await runTextCommand(commands, '/articles page:3', member, servicesFor(library))).reply.error).toBe(true);
  });

  it('accepts the command name in any case and without its slash', async () => {
    expect((await say('/BRIEF kursk tldr')).reply.cards[0]!.title).toBe('North Korea sends engineers to Kursk');
    expect((await say('quote peskov')).outcome).toBe('ok');
  });

  it('answers an unknown command with a pointer to /help', async () => {
    const { outcome, text } = await say('/frobnicate now');
    expect(outcome).toBe('usage');
    expect(text).toBe('! Unknown command /frobnicate. Try /help.');
    expect((await say('   ')).text).toBe('! Type a command such as /brief or /help.');
  });

  it.each([
    ['/quote', 'quote', 'Query is required.'],
    ['/brief length:huge', 'brief', 'Length must be one of: tldr, short, full.'],
    [`/brief ${'x'.repeat(201)}`, 'brief', 'Article is too long (at most 200 characters).'],
    [`/quote ${'peskov '.repeat(40)}`, 'quote', 'Query is too long (at most 200 characters).'],
    ['/quote never\u0007forget', 'quote', 'Query contains control characters.'],
    ['/quote peskov speaker:\u001b[31mred', 'quote', 'Speaker contains control characters.'],
    ['/articles page:0', 'articles', 'Page must be at least 1.'],
    ['/articles page:two', 'articles', 'Page must be a whole number.'],
    ['/digest', 'digest', 'Say which: now, subscribe, unsubscribe, status.'],
    ['/digest bogus', 'digest', 'Unknown digest action "bogus": use one of now, subscribe, unsubscribe, status.'],
  ])('answers bad options (%j) with what is wrong and the usage line', async (line, name, problem) => {
    const { reply, outcome } = await say(line);
    expect(outcome).toBe('usage');
    expect(reply).toMatchObject({ error: true, ephemeral: true, text: `${problem} Usage: ${usage(name)}` });
  });

  it('keeps channel-changing subcommands for people who manage the channel', async () => {
    const { reply, outcome } = await say('/digest subscribe daily 08:00');
    expect(outcome).toBe('not-allowed');
    expect(reply.text).toBe('Only people who can manage this channel can use /digest subscribe.');
    // A manager gets past the check; without a chat platform there is no scheduler to subscribe to.
    expect((await say('/digest subscribe daily 08:00', manager)).reply.text).toMatch(/need a chat platform/);
  });

  it('/digest now previews the latest briefings without a scheduler', async () => {
    const { reply } = await say('/digest now');
    expect(reply.error).toBeFalsy();
    expect(reply.text).toBe('The next digest would post 3 briefings:');
  });
});

describe('runCommand (options as a platform delivers them)', () => {
  it('validates before running: unknown options and bad values get the usage line', async () => {
    const { reply, outcome } = await runCommand(commands, 'brief', { colour: 'red' }, member, services);
    expect(outcome).toBe('usage');
    expect(reply.text).toBe(`Unknown option: colour. Usage: ${usage('brief')}`);
  });

  it('asks which subcommand when none is given', async () => {
    const { reply, outcome } = await runCommand(commands, 'digest', {}, member, services);
    expect(outcome).toBe('usage');
    expect(reply.text).toBe('Say which: /digest now, /digest subscribe, /digest unsubscribe, /digest status.');
  });

  it('turns a BriefbotError into its message and anything else into a one-line apology, logging it', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
    const failing: Command[] = [
      { name: 'ours', description: 'd', usage: '/ours', ephemeral: true, options: [], run: () => Promise.reject(new BriefbotError('unavailable', 'the store is closed')) },
      {
        name: 'bug',
        description: 'd',
        usage: '/bug',
        ephemeral: true,
        options: [],
        run: () => {
          throw new TypeError('cannot read properties of undefined\n    at somewhere (file.ts:1:1)');
        },
      },
    ];
    const ours = await runCommand(failing, 'ours', {}, member, { ...services, logger });
    expect(ours).toMatchObject({ outcome: 'error', reply: { error: true, text: 'The store is closed.' } });
    const bug = await runCommand(failing, 'bug', {}, member, { ...services, logger });
    expect(bug).toMatchObject({ outcome: 'error', reply: { error: true, text: 'Something went wrong running /bug: cannot read properties of undefined' } });
    expect(lines.map((l) => JSON.parse(l) as { msg: string; command: string })).toEqual([expect.objectContaining({ msg: 'command failed', command: 'bug' })]);
  });
});

describe('runAction (buttons)', () => {
  it('shows the figures, the quotes or the full briefing of the article on the button', async () => {
    const figures = await runAction(actionHandlers, 'brief:figures:kursk-engineers', member, services);
    expect(figures.cards[0]!.sections).toEqual([{ heading: 'Key figures', items: ['6,000 engineers'] }]);
    const quotes = await runAction(actionHandlers, 'brief:quotes:grain-corridor', member, services);
    expect(quotes.cards[0]!.sections[0]!.heading).toBe('Who said what');
    expect(quotes.cards[0]!.sections[0]!.items).toHaveLength(3);
    const none = await runAction(actionHandlers, 'brief:figures:harbour-expansion', member, services);
    expect(none.cards[0]!.sections).toEqual([{ text: 'No key figures in this article.' }]);
    const full = await runAction(actionHandlers, 'brief:full:harbour-expansion', member, services);
    expect(full.cards[0]!.sections.map((s) => s.heading)).toContain('Who said what');
  });

  it('answers a stale or unknown button without failing', async () => {
    expect((await runAction(actionHandlers, 'nope:x:y', member, services)).text).toBe('That button is no longer available.');
    expect((await runAction(actionHandlers, 'brief', member, services)).text).toBe('That button is no longer available.');
    expect((await runAction(actionHandlers, 'brief:figures:deleted-article', member, services)).text).toMatch(/^No article matches "deleted-article"/);
  });
});

describe('/help, derived from the command list', () => {
  it('lists every command with its usage, options and examples', async () => {
    const { reply, text } = await say('/help');
    expect(reply.cards[0]!.sections.map((s) => s.heading?.split(':')[0])).toEqual(commands.map((c) => `/${c.name}`));
    for (const c of commands) {
      expect(text).toContain(c.usage);
      for (const o of c.options) expect(text).toContain(`${o.name}: ${o.description}`);
    }
    expect(text).toContain('length: How much to show (tldr, short, full)');
    expect(text).toContain('e.g. /brief   /brief north korea full');
  });

  it('explains one command, with or without its slash, and names one it does not know', async () => {
    expect((await say('/help brief')).reply.cards[0]!.sections).toHaveLength(1);
    expect((await say('/help /quote')).reply.cards[0]!.title).toBe('/quote');
    expect((await say('/help nothing')).reply).toMatchObject({ error: true, text: 'No command "nothing". Try /help.' });
  });

  it('picks up a new command with no change to help', async () => {
    const extra: Command = {
      name: 'weather',
      description: 'The forecast.',
      usage: '/weather <city>',
      ephemeral: true,
      options: [{ name: 'city', description: 'Which city', type: 'string', required: true }],
      run: () => ({ ephemeral: true, cards: [], buttons: [] }),
    };
    const list: Command[] = [extra];
    list.push(createHelpCommand(() => list));
    const { reply } = await runTextCommand(list, '/help', member, services);
    expect(renderText(reply)).toContain('/weather: The forecast.');
    expect(renderText(reply)).toContain('city: Which city');
  });
});

describe('renderText', () => {
  it('marks errors, titles cards, bullets items, adds a colon to headings and prints the footer', () => {
    expect(renderText({ ephemeral: true, text: 'Nope.', cards: [], buttons: [], error: true })).toBe('! Nope.');
    expect(
      renderText({
        ephemeral: false,
        text: 'One',
        cards: [{ title: 'Title', url: 'https://example.org/a', description: 'The gist.', sections: [{ heading: 'Points', items: ['a', 'b'] }, { text: 'Plain.' }], footer: 'id: x' }],
        buttons: [],
      }),
    ).toBe('One\n\n# Title\nhttps://example.org/a\n\nTL;DR: The gist.\n\nPoints:\n  • a\n  • b\n\nPlain.\n\n(id: x)');
  });
});
