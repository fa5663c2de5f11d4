import type { Logger } from 'pino';
import { actionHandlers, commands, type CommandServices } from './commands/index.js';
import type { Config } from './config/config.js';
import { BriefbotError } from './errors.js';
import { createDigestService } from './digest/digest-service.js';
import { loadBriefingsFolder } from './ingest/briefings-folder.js';
import { createIngestion } from './ingest/create-ingestion.js';
import type { RebriefProgress } from './ingest/rebrief.js';
import type { Library } from './library/library.js';
import { createMemoryLibrary } from './library/memory-library.js';
import { createConsoleChat } from './platforms/console/console-chat.js';
import { createSenders, planPlatforms, renderDigest } from './platforms/index.js';
import { openBotStore, type BotStore } from './bot-store.js';
import { createStoryBook } from './stories/index.js';
import { createProgress } from './util/progress.js';

/**
 * Wiring only: builds the library from the configured folders and starts the adapters the
 * configuration enables. No logic of its own lives here.
 */

export async function loadLibrary(config: Config, logger: Logger, library: Library = createMemoryLibrary()): Promise<{ library: Library; failed: number }> {
  let failed = 0;
  for (const dir of [config.briefings.dir, ...config.briefings.folders]) {
    const result = await loadBriefingsFolder(dir, library, logger.child({ component: 'briefings-folder' }), { progress: createProgress });
    failed += result.failed.length;
  }
  return { library, failed };
}

export interface StartOptions {
  config: Config;
  logger: Logger;
  /** Open the console chat even when platform credentials are set. */
  forceConsole?: boolean;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
  /** Progress of the start's background re-briefing of out-of-date stored briefings (the hook for a progress display). */
  onRebriefProgress?: RebriefProgress;
}

export interface Running {
  /** Resolves when the bot has stopped (end of console input, or a signal). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** What the console does not keep, said at its start (and in the README's feeds section). */
export const CONSOLE_MEMORY_NOTICE =
  'The console keeps feeds in memory: what they publish while it is closed is filed as backlog at the next start, not briefed. The bot (briefbot start with a platform) keeps them in its store.';

export async function startBriefbot(options: StartOptions): Promise<Running> {
  const { config, logger } = options;
  const plan = planPlatforms(config);
  if (plan.problems.length > 0) throw new BriefbotError('config', plan.problems.join(' '));
  const bot = !options.forceConsole && plan.enabled.length > 0;
  // The bot keeps briefings, subscriptions, deliveries and feed state in the store (they outlive restarts): SQLite
  // (DATABASE_PATH) on one machine, PostgreSQL (DATABASE_URL) for several replicas. The console keeps them in memory,
  // on purpose: the SQLite store takes one process at a time, and a console must open beside a running bot (or
  // another console) on the same machine, as trying commands out does. Its banner says what that costs.
  const store: BotStore | undefined = bot ? await openBotStore(config, logger) : undefined;
  const library: Library = store?.library ?? createMemoryLibrary();
  let ingestion: ReturnType<typeof createIngestion> | undefined;
  try {
    // The folder watcher reads the folders when it starts; without it, they are read once here.
    if (!config.ingest.watch) await loadLibrary(config, logger, library);
    // Feeds, links and the folder watcher. The bot keeps feed sources, seen items and revisions in the store, so a restart
    // neither re-primes feeds nor files what arrived while it was down as backlog; the console keeps them in memory.
    ingestion = createIngestion({ config, library, logger, progress: createProgress, ...(store ? { state: store.ingestState } : {}), ...(store?.shared ? { leases: store.shared.leases } : {}) });
    await ingestion.start();
  } catch (error) {
    await ingestion?.stop();
    await store?.close();
    throw error;
  }
  // One story book per process: /story, /quote and the digests read the same stories.
  const stories = createStoryBook({ library });
  // Grouped from the start, so the first /story (or Discord's 3-second autocomplete) does not wait for the whole library.
  stories.refresh().catch((error: unknown) => logger.warn({ err: error }, 'stories: the first catch-up failed; commands will try again'));
  const services: CommandServices = { library, logger, now: () => new Date(), sources: ingestion.sources, links: ingestion.links, stories };
  const started = ingestion;
  const withIngestion = (running: Running): Running => {
    const done = running.done.finally(() => started.stop());
    return { done, stop: async () => Promise.all([running.stop(), started.stop()]).then(() => undefined) };
  };

  if (options.forceConsole || plan.enabled.length === 0) {
    const size = await library.size;
    const banner = [
      `briefbot console · ${size} briefing${size === 1 ? '' : 's'} loaded from ${config.briefings.dir}/`,
      ...plan.off.map((o) => `${o.platform} is off: ${o.reason}.`),
      ...(options.forceConsole ? plan.enabled.map((p) => `${p} is configured but not started (--console).`) : []),
      CONSOLE_MEMORY_NOTICE,
      'Type /help for commands, /exit to leave.',
      '',
    ];
    const chat = createConsoleChat({
      commands,
      services,
      ...(options.input ? { input: options.input as never } : {}),
      ...(options.output ? { output: options.output as never } : {}),
      banner,
    });
    const done = chat.run();
    return withIngestion({ done, stop: async () => chat.stop() });
  }
  // Loaded only here, so the console and the command line never load discord.js or Bolt.
  const { startPlatforms } = await import('./platforms/start.js');
  const digests = createDigestService({ config, ...store!.digest, library, stories, logger, senders: await createSenders(config, plan.enabled, store!.shared?.globalPace), render: renderDigest });
  services.digest = digests.commands;
  let running;
  let catchUp: Promise<unknown> = Promise.resolve();
  try {
    // Applies the configured subscriptions (a bad entry stops start-up, every problem listed), starts the tasks and the catch-up.
    catchUp = (await digests.start()).catchUp.catch((error: unknown) => logger.error({ err: error }, 'digest catch-up failed'));
    running = await startPlatforms({
      config,
      logger,
      plan,
      commands,
      actions: actionHandlers,
      services,
      ...(store!.shared ? { tuning: { slack: { replayGuard: store!.shared.replayGuard } } } : {}),
    });
  } catch (error) {
    await digests.stop();
    await started.stop();
    await catchUp;
    await store!.close();
    throw error;
  }
  // Digests still being sent get a bounded wait (digest.shutdownGraceMs).
  const stopped = withIngestion({
    done: running.done.then(() => digests.stop()).then(() => undefined),
    stop: async () => void (await Promise.all([running.stop(), digests.stop()])),
  });
  // Briefings made by an older engine are made again in the background, newest first; commands see the old ones until then.
  store!.startRebrief(options.onRebriefProgress);
  // The store closes last, once nothing that writes to it is running: the platforms, the digests, the ingestion, the
  // start's catch-up (a large fan-out may still be recording slots when a stop comes) and the re-briefing.
  const closeStore = (): Promise<void> => catchUp.then(() => store!.close());
  return { done: stopped.done.finally(closeStore), stop: () => stopped.stop().finally(closeStore) };
}
