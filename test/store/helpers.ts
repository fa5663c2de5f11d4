import type { Briefing, Quote } from '../../src/briefing/index.js';
import type { LibraryEntry } from '../../src/library/library.js';
import { aBriefing } from '../helpers/briefings.js';

/** A briefing with just enough in it for library, digest and renderer tests. */
export function makeBriefing(id: string, over: Partial<Briefing> & { published?: string; url?: string } = {}): Briefing {
  const { published, url, ...rest } = over;
  return aBriefing(id, {
    byline: { ...(published ? { published } : {}), ...(url ? { url } : {}) },
    keyPoints: [
      { text: `What happened in ${id}.`, sentence: 0 },
      { text: `First point about ${id}.`, sentence: 1 },
      { text: `Second point about ${id}.`, sentence: 2 },
      { text: `Third point about ${id}.`, sentence: 3 },
    ],
    wordCount: 400,
    ...rest,
  });
}

export function quote(text: string, speaker?: string, sentence = 0): Quote {
  return { text, kind: 'direct', sentence, ...(speaker ? { speaker } : {}) };
}

let clock = Date.UTC(2025, 0, 1);
export function makeEntry(briefing: Briefing, over: Partial<LibraryEntry> = {}): LibraryEntry {
  clock += 1000;
  return { briefing, ingestedAt: new Date(clock).toISOString(), contentHash: `hash-${briefing.id}`, ...over };
}
