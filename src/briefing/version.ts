/**
 * Which engine made a briefing, and in which shape. The store keeps both beside every briefing,
 * and re-briefs (in the background, from the stored article) every briefing made by an older
 * engine or in an older shape, so improvements reach what users already have.
 *
 * The rule: bump ENGINE_VERSION in the same commit as any change that alters what createBriefing
 * returns for some article (a new rule, a fixed heuristic, new weights, a new field). The golden
 * test (test/unit/briefing/golden.test.ts) enforces it for the golden articles: it fails when their
 * briefings changed but ENGINE_VERSION did not, and `-u` records the version they were accepted
 * under. A change the golden articles do not show still needs the bump: nothing else would re-brief
 * stored briefings.
 */
export const ENGINE_VERSION = 23;

/**
 * The shape of a briefing (BriefingSchema). Bump it when a field is added, removed, renamed or
 * changes meaning, so readers of stored JSON can tell which shape a row holds; a shape change is
 * an output change too, so ENGINE_VERSION goes up with it.
 */
export const BRIEFING_SCHEMA_VERSION = 3;
