import type { Logger } from 'pino';
import type { ActionHandler, Command, CommandServices } from '../commands/index.js';
import type { Config } from '../config/config.js';
import type { Metrics } from '../http/metrics.js';

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
