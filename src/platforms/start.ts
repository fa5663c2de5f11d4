import type { Logger } from 'pino';
import type { ActionHandler, Command, CommandServices } from '../commands/index.js';
import type { Config } from '../config/config.js';
import { BriefbotError, describeError } from '../errors.js';
import { createMetrics, type Metrics } from '../http/metrics.js';
import { startHttpServer, type HealthReport, type HttpServer, type PlatformHealth } from '../http/server.js';
import { planPlatforms, PLATFORMS, type AdapterOf, type PlatformPlan, type TuningOf } from './index.js';
import type { PlatformName } from './names.js';
import type { Platform, PlatformAdapter } from './platform.js';

/**
 * Starts every platform whose credentials are complete, and the HTTP listener they share
 * (the routes adapters ask for, such as Slack's request path in HTTP mode; /healthz, /metrics).
 * stop() stops them all, bounded in time: a shutdown never hangs on one platform. Nothing here
 * names a platform: each one comes from the list in ./index.ts.
 */

export interface StartPlatformsOptions {
  config: Config;
  logger: Logger;
  commands: readonly Command[];
  actions: readonly ActionHandler[];
  services: CommandServices;
  /** Default: planPlatforms(config). */
  plan?: PlatformPlan;
  metrics?: Metrics;
  /** Adapter knobs for tests and benchmarks (timings, retries), per platform. */
  tuning?: { [N in PlatformName]?: TuningOf<N> };
  /** Longest the whole stop() may take before it gives up waiting (default 10 s). */
  stopTimeoutMs?: number;
}

export interface RunningPlatforms {
  readonly platforms: PlatformName[];
  /** The HTTP port actually bound. */
  readonly port: number;
  readonly metrics: Metrics;
  /** Each running platform's own adapter (its client, for tests). */
  readonly adapters: { readonly [N in PlatformName]?: AdapterOf<N> };
  health(): HealthReport;
  /** Resolves once stop() has finished. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export async function startPlatforms(options: StartPlatformsOptions): Promise<RunningPlatforms> {
  const { config, logger, commands, actions, services } = options;
  const plan = options.plan ?? planPlatforms(config);
  if (plan.problems.length > 0) throw new BriefbotError('config', plan.problems.join(' '));
  if (plan.enabled.length === 0) throw new BriefbotError('config', 'no platform has complete credentials');
  const metrics = options.metrics ?? createMetrics();
  const startedAt = Date.now();
  const log = logger.child({ component: 'platforms' });
  const common = { config, logger, commands, actions, services, metrics };

  const adapters: Array<[PlatformName, PlatformAdapter]> = [];
  for (const name of plan.enabled) {
    const platform: Platform = PLATFORMS[name];
    const mode = plan.modes[name];
    const tuning = options.tuning?.[name];
    // A platform's client library loads here, only when that platform runs.
    adapters.push([name, await platform.createAdapter({ ...common, ...(mode ? { mode } : {}), ...(tuning ? { tuning } : {}) })]);
  }

  let stopping = false;
  const health = (): HealthReport => {
    const platforms: Record<string, PlatformHealth> = {};
    for (const [name, adapter] of adapters) platforms[name] = adapter.health();
    const allUp = Object.values(platforms).every((p) => p.status === 'up');
    return { status: stopping ? 'stopping' : allUp ? 'ok' : 'degraded', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), platforms };
  };

  const routes = Object.assign({}, ...adapters.map(([, adapter]) => adapter.routes ?? {}));
  let http: HttpServer;
  try {
    // The whole http section: its timeouts and connection cap are the listener's options of the same names.
    http = await startHttpServer({ ...config.http, logger, metrics, health, routes });
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw new BriefbotError('unavailable', `the HTTP listener could not start on ${config.http.host}:${config.http.port}: ${inUse ? 'the port is in use (set PORT)' : describeError(error)}`, { cause: error });
  }

  const stopAll = async (): Promise<void> => {
    stopping = true;
    const budget = options.stopTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), budget);
      timer.unref();
    });
    const work = (async () => {
      // No new Slack requests while the adapters drain what they have.
      const closingHttp = http.close(Math.min(2000, budget));
      await Promise.allSettled(
        adapters.map(([name, adapter]) => adapter.stop().catch((error: unknown) => log.warn({ err: error, platform: name }, 'platform did not stop cleanly'))),
      );
      await closingHttp;
    })();
    if ((await Promise.race([work, timeout])) === 'timeout') log.warn({ budgetMs: budget }, 'shutdown took too long; giving up waiting');
    clearTimeout(timer);
  };

  const results = await Promise.allSettled(adapters.map(([, adapter]) => adapter.start()));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [describeError(r.reason)] : []));
  if (failures.length > 0) {
    await stopAll();
    throw new BriefbotError('unavailable', failures.join(' '));
  }
  const modes = Object.fromEntries(adapters.flatMap(([name, adapter]) => (adapter.mode ? [[name, adapter.mode]] : [])));
  log.info({ platforms: plan.enabled, port: http.port, modes }, 'briefbot is running');

  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let stopped: Promise<void> | undefined;
  return {
    platforms: plan.enabled,
    port: http.port,
    metrics,
    adapters: Object.fromEntries(adapters) as RunningPlatforms['adapters'],
    health,
    done,
    stop() {
      stopped ??= stopAll().then(() => {
        log.info('stopped');
        resolveDone();
      });
      return stopped;
    },
  };
}
