import pino from 'pino';
import type { Briefing, Quote } from '../../src/briefing/index.js';
import type { CommandServices } from '../../src/commands/index.js';
import type { Library, LibraryEntry } from '../../src/library/library.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';

/**
 * Briefings written by hand, so library and command tests do not depend on what the engine
 * makes of an article (the engine has its own tests).
 */

export function aQuote(text: string, speaker?: string, extra: Partial<Quote> = {}): Quote {
  return { text, kind: 'direct', sentence: 0, ...(speaker ? { speaker } : {}), ...extra };
}

export function aBriefing(id: string, over: Partial<Briefing> = {}): Briefing {
  const title = over.title ?? `Title of ${id}`;
  return {
    id,
    title,
    byline: {},
    tldr: `What happened in ${id}.`,
    keyPoints: [
      { text: `What happened in ${id}.`, sentence: 0 },
      { text: `The first detail of ${id}.`, sentence: 1 },
      { text: `The second detail of ${id}.`, sentence: 2 },
    ],
    figures: [],
    conflicts: [],
    quotes: [],
    opinion: [],
    boilerplate: [],
    highlights: [],
    people: [],
    places: [],
    organizations: [],
    tags: [],
    wordCount: 300,
    readingMinutes: 2,
    ...over,
  };
}

export function anEntry(briefing: Briefing, over: Partial<LibraryEntry> = {}): LibraryEntry {
  return { briefing, ingestedAt: '2025-01-01T00:00:00.000Z', contentHash: `hash-of-${briefing.id}`, ...over };
}

/**
 * A small library: three articles on different days, with quotes whose speakers share first
 * names, surnames and words, so a search has something to get wrong.
 */
export async function newsroomLibrary(): Promise<Library> {
  const library = createMemoryLibrary();
  await library.add(
    anEntry(
      aBriefing('kursk-engineers', {
        title: 'North Korea sends engineers to Kursk',
        byline: { author: 'Kevin Hughes', published: '2025-11-17' },
        tags: ['north korea', 'russia'],
        quotes: [
          aQuote('Their losses are more than 4,000. I think two-thirds have died.', 'Volodymyr Zelensky', { role: 'Ukrainian President', sentence: 6 }),
          aQuote('We will never forget this help. This work continues.', 'Dmitry Peskov', { role: 'spokesman', sentence: 12 }),
          aQuote('unconditional support', 'Kim Jong Un', { kind: 'partial', sentence: 1 }),
        ],
        figures: [{ value: '6,000', quantity: 6000, what: 'engineers', sentence: 0 }],
      }),
      { source: '/data/briefings/000_85307bba339e5121.txt' },
    ),
  );
  await library.add(
    anEntry(
      aBriefing('grain-corridor', {
        title: 'Ukraine reopens the Black Sea grain corridor',
        byline: { published: '2025-11-20', outlet: 'Example Wire' },
        quotes: [
          aQuote('Grain ships will sail from Odesa again this week, and we will protect them.', 'Volodymyr Zelensky', { sentence: 2 }),
          aQuote('Peskov is wrong about the corridor; it is safe.', 'Olena Zelenska', { sentence: 4 }),
          aQuote('The corridor is a lifeline for grain buyers in Africa.', 'António Guterres', { role: 'UN Secretary-General', sentence: 5 }),
        ],
      }),
      { source: '/data/briefings/grain.md', ingestedAt: '2025-01-02T00:00:00.000Z' },
    ),
  );
  await library.add(
    anEntry(
      aBriefing('harbour-expansion', {
        title: 'Harbour authority approves Port Vell expansion',
        quotes: [aQuote('This is the largest investment in the port since 1992.', undefined, { sentence: 3 }), aQuote('Every existing job is protected.', 'Laia Ferrer', { sentence: 7 })],
      }),
      { ingestedAt: '2024-03-05T09:00:00.000Z' },
    ),
  );
  return library;
}

export function servicesFor(library: Library, logger = pino({ level: 'silent' })): CommandServices {
  return { library, logger, now: () => new Date('2025-12-01T08:00:00.000Z') };
}
