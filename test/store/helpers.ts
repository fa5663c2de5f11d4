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

/** Events with nothing in common (each its own place and subject), for the briefings digests carry. */
const PLACES = ['Lisbon', 'Nairobi', 'Athens', 'Oslo', 'Lima', 'Hobart', 'Cairo', 'Tbilisi', 'Vienna', 'Dublin', 'Hanoi', 'Quito', 'Riga', 'Dakar', 'Prague', 'Bergen'];
const SUBJECTS = ['harbour dredging', 'geothermal wells', 'wildfire evacuations', 'tram tunnel', 'copper strike', 'salmon farms', 'railway bridge', 'wine harvest', 'desalination plant', 'volcano monitoring', 'flood barriers', 'cable car', 'opera house', 'fishing quotas', 'coffee cooperative', 'ferry terminal'];
export function topicOf(i: number): string[] {
  const place = PLACES[i % PLACES.length]!;
  const subject = SUBJECTS[i % SUBJECTS.length]!;
  return [`${place} approves the ${subject}.`, `Critics in ${place} oppose the ${subject}.`, `The ${subject} costs ${i + 2} million euros.`];
}

/**
 * Briefing `story-<i>`, about an event of its own: story digests group one event's articles into
 * one item, and templated briefings that differ only by their number read as one event.
 */
export function eventBriefing(i: number, over: Parameters<typeof makeBriefing>[1] = {}): Briefing {
  const topic = topicOf(i);
  return makeBriefing(`story-${i}`, { tldr: topic[0]!, keyPoints: topic.map((text, n) => ({ text, sentence: n })), ...over });
}
