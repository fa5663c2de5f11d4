import type { Config } from '../config/config.js';
import type { DigestContent } from '../digest/compose.js';
import type { DigestSender } from '../digest/sender.js';
import type { RequestPace } from '../store/request-pace.js';
import { discordPlatform } from './discord/index.js';
import { assertPlatformName, PLATFORM_NAMES, type PlatformName } from './names.js';
import type { Platform } from './platform.js';
import { slackPlatform } from './slack/index.js';

/**
 * Every chat platform, listed once. `satisfies` makes the list and PLATFORM_NAMES agree: a name
 * without its platform, or a platform without its name, does not compile (and a test checks each
 * platform's name is its key). Loading this module
 * loads each platform's index.ts (pure: its check and renderer), never its client library.
 */
export const PLATFORMS = {
  discord: discordPlatform,
  slack: slackPlatform,
} as const satisfies { readonly [N in PlatformName]: Platform };

export type PlatformOf<N extends PlatformName> = (typeof PLATFORMS)[N];
/** The adapter type a platform's createAdapter returns (the discord.js client, the Bolt app, for tests). */
export type AdapterOf<N extends PlatformName> = Awaited<ReturnType<PlatformOf<N>['createAdapter']>>;
/** A platform's knobs for tests and benchmarks. */
export type TuningOf<N extends PlatformName> = NonNullable<Parameters<PlatformOf<N>['createAdapter']>[0]['tuning']>;

/** The platform of a name read from outside the type system (a stored subscription): an unknown one is an error, never a default. */
export function platformNamed(name: string): Platform {
  return PLATFORMS[assertPlatformName(name)];
}

export interface PlatformPlan {
  enabled: PlatformName[];
  /** Why each platform that is off is off (for the console's first lines). */
  off: Array<{ platform: PlatformName; reason: string }>;
  /** Half-configured platforms: start-up stops with these. */
  problems: string[];
  /** How each enabled platform that has a choice will connect (Slack: http or socket). */
  modes: Partial<Record<PlatformName, string>>;
}

/** Which platforms have complete credentials; a half-configured one is a problem, not a silent skip. */
export function planPlatforms(config: Config): PlatformPlan {
  const plan: PlatformPlan = { enabled: [], off: [], problems: [], modes: {} };
  for (const name of PLATFORM_NAMES) {
    const check = PLATFORMS[name].check(config);
    if (check.state === 'on') {
      plan.enabled.push(name);
      if (check.mode) plan.modes[name] = check.mode;
    } else if (check.state === 'half') {
      plan.problems.push(check.problem);
    } else {
      plan.off.push({ platform: name, reason: check.reason });
    }
  }
  return plan;
}

/**
 * A subscription's digest as its platform's messages. The digest job calls this for every
 * platform a subscription can name, running or not (a delivery waits, rendered, until its
 * platform runs); a platform briefbot does not know is an error.
 */
export function renderDigest(platform: string, content: DigestContent): unknown[] {
  return platformNamed(platform).renderDigest(content);
}

/** Digest senders for the given platforms whose configuration allows sending. Each loads its client library only here. */
/**
 * A sender per platform. `globalPace` gives the pace a platform's bot-wide limit is kept with when
 * several replicas share the bot (app.ts builds it on the shared store); without it each sender
 * keeps the limit on its own, which is right for one process.
 */
export async function createSenders(
  config: Config,
  platforms: readonly PlatformName[],
  globalPace?: (platform: PlatformName, perSecond: number) => RequestPace,
): Promise<Partial<Record<PlatformName, DigestSender>>> {
  const senders: Partial<Record<PlatformName, DigestSender>> = {};
  for (const name of platforms) {
    const perSecond = PLATFORMS[name].sharedRequestsPerSecond;
    const pace = globalPace && perSecond !== undefined ? globalPace(name, perSecond) : undefined;
    const sender = await PLATFORMS[name].createSender(config, pace ? { globalPace: pace } : {});
    if (sender) senders[name] = sender;
  }
  return senders;
}

export { PLATFORM_NAMES, isPlatformName, type PlatformName } from './names.js';
export type { Platform, PlatformAdapter, PlatformCheck } from './platform.js';
