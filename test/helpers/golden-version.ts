/**
 * The rule the golden test enforces: an engine whose output changed carries a new ENGINE_VERSION,
 * because that number is what tells a store its briefings are out of date. Pure, so the rule
 * itself is tested (test/unit/briefing/golden-version.test.ts) apart from the golden files.
 */

export interface GoldenVersionCheck {
  /** Names of the golden briefings whose output differs from the committed file. */
  changed: string[];
  /** The ENGINE_VERSION the committed golden briefings were accepted under. */
  accepted: number;
  /** ENGINE_VERSION now. */
  current: number;
}

/** Why the golden briefings may not be accepted as they are, or undefined when they may. */
export function goldenVersionProblem({ changed, accepted, current }: GoldenVersionCheck): string | undefined {
  if (current < accepted) {
    return `ENGINE_VERSION is ${current}, older than ${accepted}, the version the golden briefings were accepted under: an engine version never goes down (stored briefings would not be re-briefed)`;
  }
  if (changed.length > 0 && current === accepted) {
    return (
      `the engine's output changed (${changed.join(', ')}) but ENGINE_VERSION is still ${current}, the version the golden briefings were accepted under: ` +
      `bump ENGINE_VERSION in src/briefing/version.ts so stored briefings are re-briefed, then accept with ` +
      '`npx vitest run test/unit/briefing/golden.test.ts -u`'
    );
  }
  return undefined;
}

/** The committed record of the engine version, as the golden test writes it with -u. */
export function goldenVersionFile(engineVersion: number): string {
  return JSON.stringify({ engineVersion }, null, 2) + '\n';
}
