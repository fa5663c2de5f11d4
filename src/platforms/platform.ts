import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import type { ActionHandler, Command, CommandServices } from '../commands/index.js';
import type { Config } from '../config/config.js';
import type { DigestContent } from '../digest/compose.js';
import type { DigestSender } from '../digest/sender.js';
import type { RequestPace } from '../store/request-pace.js';
import type { Metrics } from '../http/metrics.js';
import type { PlatformHealth } from '../http/server.js';
import type { PlatformName } from './names.js';

/**
 * What a chat platform is to the rest of briefbot: one object per folder (src/platforms/<name>/index.ts),
 * listed once in src/platforms/index.ts. The starter, the digest and the command-line tools use only
 * this; everything else of a platform (its client library, renderer, sender, command definitions)
 * stays in its folder. `check` and `renderDigest` are pure, and the rest loads the platform's client
 * library on first use, so the console and the command line never load discord.js or Bolt.
 */

/** What every chat adapter is built from: the command layer, its services, and where to report. */
export interface AdapterOptions {
  config: Config;
  logger: Logger;
  commands: readonly Command[];
  actions: readonly ActionHandler[];
  services: CommandServices;
  metrics: Metrics;
  /** How long stop() lets work in flight finish before closing the connection. */
  drainMs?: number;
}

/** A running chat adapter, as the starter sees it. */
export interface PlatformAdapter {
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): PlatformHealth;
  /** Paths this adapter serves on briefbot's one HTTP listener (Slack's requests in HTTP mode). */
  readonly routes?: Readonly<Record<string, RequestListener>>;
  /** How it connects, for the start-up log line (Slack: http or socket). */
  readonly mode?: string;
}

/**
 * Whether the configuration turns the platform on: complete credentials (`on`, with how it will
 * connect), none (`off`, with why, for the console's first lines), or some (`half`: a problem
 * that stops start-up, never a silent skip).
 */
export type PlatformCheck = { state: 'on'; mode?: string } | { state: 'off'; reason: string } | { state: 'half'; problem: string };

/**
 * `Adapter` is the platform's own adapter type (what tests reach into: the discord.js client, the
 * Bolt app); `Tuning` its knobs for tests and benchmarks (timings, retries).
 */
export interface Platform<Adapter extends PlatformAdapter = PlatformAdapter, Tuning extends object = object> {
  readonly name: PlatformName;
  /** How people call it in sentences ("Discord"). */
  readonly title: string;
  check(config: Config): PlatformCheck;
  /** A digest as this platform's message payloads, cut to its limits; stored with the delivery before sending. */
  renderDigest(content: DigestContent): unknown[];
  /** The chat adapter for a configuration whose check said `on` (`mode` is what the check said). */
  createAdapter(options: AdapterOptions & { mode?: string; tuning?: Tuning }): Promise<Adapter>;
  /**
   * Requests a second the platform allows per bot token across every process, when it has such a
   * limit (Discord's global 50/s; Slack's limits are per channel and method, so it has none). With
   * several replicas on a shared store, app.ts keeps it with one pace on the store for all of them.
   */
  readonly sharedRequestsPerSecond?: number;
  /** The digest sender, or undefined when the configuration lacks what sending needs. */
  createSender(config: Config, options?: SenderOptions): Promise<DigestSender | undefined>;
}

export interface SenderOptions {
  /** The platform's bot-wide limit kept together with other replicas (see `sharedRequestsPerSecond`). */
  globalPace?: RequestPace;
}
