import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Subscription } from '../store/subscriptions.js';
import { digestJob, type DigestJobDeps, type DigestJobReport } from './digest-job.js';

/**
 * node-cron 4 tasks: one per active subscription, in its time zone, that runs the digest job
 * for that subscription; and one sweep a minute over all of them. The sweep is there because
 * node-cron skips a run when the event loop is late by more than its tolerance (a busy fan-out
 * at 08:00 can do that to the tasks behind it) and never fires at a local time that does not
 * exist on the day clocks go forward; the job's slots come from the store and the schedule
 * model, so whichever fires first delivers and the others find the slot recorded.
 */

export interface DigestScheduler {
  /** Starts the tasks and the catch-up run (the job at `now`: resume in-flight, deliver missed slots). */
  start(): Promise<{ catchUp: Promise<DigestJobReport> }>;
  /** Creates, replaces or removes a subscription's task after a change. */
  refresh(subscription: Subscription): void;
  /**
   * Stops the tasks, then waits up to `graceMs` for sends in flight, and for the jobs under way to
   * end (they send nothing more once the runner stops). Returns the unfinished count.
   */
  stop(graceMs: number): Promise<number>;
  readonly tasks: number;
}

export interface SchedulerOptions {
  /** How often the sweep runs (a cron expression); default every minute. */
  sweep?: string;
  now?: () => Date;
}

export function createDigestScheduler(deps: DigestJobDeps, options: SchedulerOptions = {}): DigestScheduler {
  const now = options.now ?? (() => new Date());
  const log: Logger = deps.logger;
  const tasks = new Map<number, { task: ScheduledTask; cron: string; timezone: string }>();
  let sweep: ScheduledTask | undefined;
  let stopped = false;

  // node-cron's own messages go to our log, not the console.
  const cronLogger = {
    info: (message: string) => log.debug({ component: 'node-cron' }, message),
    warn: (message: string) => log.warn({ component: 'node-cron' }, message),
    error: (message: string | Error, err?: Error) => log.error({ component: 'node-cron', err: err ?? message }, String(message)),
    debug: (message: string | Error) => log.debug({ component: 'node-cron' }, String(message)),
  };

  /** Jobs under way (tasks, the sweep, the catch-up): stop waits for them, so the store is not closed under one. */
  const jobs = new Set<Promise<unknown>>();
  const track = <T>(job: Promise<T>): Promise<T> => {
    jobs.add(job);
    void job.then(
      () => jobs.delete(job),
      () => jobs.delete(job),
    );
    return job;
  };

  const run = async (only?: number[]): Promise<void> => {
    if (stopped) return;
    await track(
      digestJob.run(deps, now(), only).then(
        () => undefined,
        (error: unknown) => log.error({ err: error, subscriptions: only }, 'digest job failed'),
      ),
    );
  };

  const remove = (id: number): void => {
    const existing = tasks.get(id);
    if (!existing) return;
    void existing.task.destroy();
    tasks.delete(id);
  };

  const refresh = (subscription: Subscription): void => {
    if (stopped) return;
    const existing = tasks.get(subscription.id);
    if (subscription.status !== 'active') return remove(subscription.id);
    if (existing && existing.cron === subscription.cron && existing.timezone === subscription.timezone) return;
    remove(subscription.id);
    const task = createTask(subscription.cron, () => run([subscription.id]), {
      name: `digest-${subscription.id}`,
      timezone: subscription.timezone,
      noOverlap: true,
      // A late heartbeat still runs (the job decides what is due), rather than being dropped.
      missedExecutionTolerance: 60_000,
      suppressMissedWarning: true,
      logger: cronLogger,
    });
    void task.start();
    tasks.set(subscription.id, { task, cron: subscription.cron, timezone: subscription.timezone });
  };

  return {
    async start() {
      stopped = false;
      for (const subscription of await deps.subscriptions.active()) refresh(subscription);
      sweep = createTask(options.sweep ?? '* * * * *', () => run(), { name: 'digest-sweep', noOverlap: true, suppressMissedWarning: true, logger: cronLogger });
      void sweep.start();
      log.info({ subscriptions: tasks.size }, 'digest scheduler started');
      const catchUp = track(
        digestJob.run(deps, now()).then((report) => {
          log.info(report, 'digest catch-up done');
          return report;
        }),
      );
      return { catchUp };
    },
    refresh,
    async stop(graceMs) {
      stopped = true;
      const began = Date.now();
      if (sweep) void sweep.destroy();
      for (const id of [...tasks.keys()]) remove(id);
      const unfinished = await deps.runner.stop(graceMs);
      if (unfinished > 0) log.warn({ unfinished }, 'digests still sending at shutdown; they resume at the next start');
      // A job that was under way (a sweep that fired just before, a large catch-up) may still be
      // recording slots; with the runner stopped it sends nothing more and ends soon. It also waits for
      // its sends, so the wait keeps to what is left of the grace (at least a second, for the recording).
      let timer: NodeJS.Timeout | undefined;
      const left = Math.max(Math.min(graceMs, 1_000), graceMs - (Date.now() - began));
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, left)));
      await Promise.race([Promise.all([...jobs].map((job) => job.catch(() => undefined))), bound]);
      clearTimeout(timer);
      return unfinished;
    },
    get tasks() {
      return tasks.size;
    },
  };
}
