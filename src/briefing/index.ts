/**
 * The briefing module: turns an Article into a Briefing. Pure (no I/O, no platform code), so
 * every adapter, the digest and the eval share exactly the same engine.
 */
import type { Article } from '../articles/article.js';
import { buildDocument } from './document.js';
import { findEntities } from './entities.js';
import type { Briefing, KeyPoint } from './schema.js';

export { createBriefing, type EngineOptions } from './create-briefing.js';
export { DEFAULT_WEIGHTS, type SummaryWeights } from './summarize.js';
export { splitSentences, type SentenceSpan } from './sentences.js';
export * from './schema.js';
export { BRIEFING_SCHEMA_VERSION, ENGINE_VERSION } from './version.js';
export { factsOf, sameThingCounted, type FigureFacts } from './figures-conflicts.js';
export { buildDocument } from './document.js';
export { isEditorsNote } from './stance.js';

/** The article's body sentences in order, as the engine splits them (Lead-N baselines use these). */
export function listSentences(article: Article): string[] {
  return buildDocument(article)
    .sentences.filter((s) => !s.heading)
    .map((s) => s.text);
}

/**
 * The people, places and organisations an article names, found as a briefing finds them but
 * without briefing it (no summary, quotes or figures): story grouping compares the names of many
 * articles and needs only these.
 */
export function listNames(article: Article): { people: string[]; places: string[]; organizations: string[] } {
  const entities = findEntities(buildDocument(article));
  return { people: entities.people, places: entities.places, organizations: entities.organizations };
}

/**
 * The key points a card shows beside the TL;DR: the TL;DR is often a key point too (sometimes
 * trimmed of an opening clause, so its text differs) and is not shown twice. Matched by the
 * sentence it came from; briefings stored before the TL;DR named its sentence, by text.
 */
export function keyPointsBesideTldr(briefing: Pick<Briefing, 'keyPoints' | 'tldr' | 'tldrSentence'>): KeyPoint[] {
  return briefing.keyPoints.filter((k) => (briefing.tldrSentence !== undefined && k.sentence !== undefined ? k.sentence !== briefing.tldrSentence : k.text !== briefing.tldr));
}
