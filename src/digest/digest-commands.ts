import { BriefbotError } from '../errors.js';
import type { PlatformName } from '../platforms/names.js';
import type { Subscription, UnchangedPolicy } from '../store/subscriptions.js';
import type { DigestContent } from './compose.js';
import { firstDigestOf } from './compose-stories.js';
import { composeFor, type DigestJobDeps } from './digest-job.js';
import { occurrencesOf, parseSchedule } from './schedule.js';

/**
 * What /digest needs from the store and the scheduler: the same pattern as /sources over
 * ingest's feed registry. These return data and throw a BriefbotError when they refuse; the
 * command (src/commands/digest.ts) says it in words. Who may change a channel's digest is the
 * command layer's precondition (`requiresManager`), checked once there for every platform.
 */

export interface DigestCommandsDeps extends Pick<DigestJobDeps, 'library' | 'deliveries' | 'subscriptions' | 'settings' | 'stories'> {
  now: () => Date;
  /** Tells the scheduler a subscription changed (task created, moved or removed). */
  onChange?: (subscription: Subscription) => void;
  /** How far back `status` counts failures. */
  failureWindowDays?: number;
}

/** A chat channel digests post to. */
export interface DigestTarget {
  platform: PlatformName;
  channel: { id: string; name?: string; workspace?: string };
}

/** What `/digest now` shows: the channel's next digest, or a first one when it has none. */
export interface DigestPreview {
  /** The channel's subscription; absent when none is set up (the preview is then of a first digest). */
  subscription?: Subscription;
  /** Undefined: the digest would be skipped (nothing new); `items: 0`: a one-line note. */
  content: DigestContent | undefined;
  /** When the subscription's next digest comes, if it comes again. */
  next?: Date;
}

export interface DigestSubscribed {
  subscription: Subscription;
  change: 'created' | 'resumed' | 'updated' | 'unchanged';
  next?: Date;
  /** How many existing briefings a first digest carries. */
  backfill: number;
}

export interface DigestStatus {
  subscription: Subscription;
  next?: Date;
  lastDelivered?: { slot: string; items: number };
  /** A digest being sent now: parts posted of parts in all. */
  sending?: { slot: string; partsSent: number; parts: number };
  failureWindowDays: number;
  failures: { count: number; last?: { slot: string; error?: string } };
}

/** What `/digest subscribe` sets. */
export interface SubscribeOptions {
  schedule: string;
  timezone?: string;
  /** Story digests: one thread per story. Left out: as the channel had it (off for a new subscription). */
  threads?: boolean;
  /** Story digests: a story with nothing new left out or in one line. Left out: as the channel had it. */
  unchanged?: UnchangedPolicy;
}

/** The channels' digests as /digest sees them (the command layer's DigestCommands port, src/commands/types.ts). */
export interface DigestRegistry {
  preview(target: DigestTarget): Promise<DigestPreview>;
  /** Throws a BriefbotError for a schedule it cannot read or a digest set in the configuration. */
  subscribe(target: DigestTarget & { userId: string }, options: SubscribeOptions): Promise<DigestSubscribed>;
  /** The subscription removed, or undefined when there was none; throws for one set in the configuration. */
  unsubscribe(target: DigestTarget): Promise<Subscription | undefined>;
  /** Undefined when no digest is set up in the channel. */
  status(target: DigestTarget): Promise<DigestStatus | undefined>;
}

/** "daily 08:00 (Europe/London)": how a subscription is named in replies and refusals. */
export function subscriptionLabel(s: Pick<Subscription, 'schedule' | 'timezone'>): string {
  return `${s.schedule} (${s.timezone})`;
}

export function createDigestCommands(deps: DigestCommandsDeps): DigestRegistry {
  const nextRun = (s: Subscription): Date | undefined => {
    const now = deps.now();
    // Strictly after now (the current slot is done or being done), and never before the subscription began.
    const from = new Date(Math.max(now.getTime(), Date.parse(s.activeSince) - 1));
    return occurrencesOf(s).next(from);
  };
  const find = (target: DigestTarget): Promise<Subscription | undefined> => deps.subscriptions.forChannel(target.platform, target.channel.id);
  const withNext = (s: Subscription): { next?: Date } => {
    const next = nextRun(s);
    return next ? { next } : {};
  };

  return {
    async preview(target) {
      const subscription = await find(target);
      if (!subscription) return { content: await firstDigestOf(deps.library, deps.stories?.stories, deps.settings) };
      return { subscription, content: (await composeFor(deps, subscription)).content, ...withNext(subscription) };
    },

    async subscribe(target, options) {
      const parsed = parseSchedule(options.schedule, options.timezone ?? 'UTC');
      if (!parsed.ok) throw new BriefbotError('usage', parsed.message);
      const existing = await deps.subscriptions.forChannel(target.platform, target.channel.id);
      if (existing?.source === 'config') {
        throw new BriefbotError('forbidden', `this channel's digest (${subscriptionLabel(existing)}) is set in briefbot's configuration; change it there`);
      }
      // A setting not given stays as the channel had it: re-subscribing to change the time (or to
      // resume) does not turn threads off.
      const threads = options.threads ?? existing?.threads;
      const unchanged = options.unchanged ?? existing?.unchanged;
      const { subscription, change } = await deps.subscriptions.save(
        {
          platform: target.platform,
          channelId: target.channel.id,
          ...(target.channel.workspace ? { workspace: target.channel.workspace } : {}),
          ...(target.channel.name ? { channelName: target.channel.name } : {}),
          schedule: parsed.schedule.label,
          cron: parsed.schedule.cron,
          timezone: parsed.schedule.timezone,
          ...(threads !== undefined ? { threads } : {}),
          ...(unchanged ? { unchanged } : {}),
          source: 'chat',
          createdBy: target.userId,
        },
        deps.now(),
        await deps.library.position,
      );
      deps.onChange?.(subscription);
      return { subscription, change, backfill: subscription.backfill ?? deps.settings.backfill, ...withNext(subscription) };
    },

    async unsubscribe(target) {
      const subscription = await find(target);
      if (!subscription) return undefined;
      if (subscription.source === 'config') {
        throw new BriefbotError('forbidden', `this channel's digest (${subscriptionLabel(subscription)}) is set in briefbot's configuration; remove it there`);
      }
      await deps.subscriptions.remove(subscription.id, deps.now());
      const removed: Subscription = { ...subscription, status: 'removed' };
      deps.onChange?.(removed);
      return removed;
    },

    async status(target) {
      const subscription = await find(target);
      if (!subscription) return undefined;
      const failureWindowDays = deps.failureWindowDays ?? 7;
      const since = new Date(deps.now().getTime() - failureWindowDays * 86_400_000).toISOString();
      const [found, last, sending] = await Promise.all([
        deps.deliveries.failuresSince(subscription.id, since),
        deps.deliveries.latest(subscription.id, ['delivered']),
        deps.deliveries.latest(subscription.id, ['pending']),
      ]);
      return {
        subscription,
        ...(subscription.status === 'active' ? withNext(subscription) : {}),
        ...(last ? { lastDelivered: { slot: last.slot, items: last.items } } : {}),
        ...(sending ? { sending: { slot: sending.slot, partsSent: sending.partsSent, parts: sending.parts.length } } : {}),
        failureWindowDays,
        failures: {
          count: found.count,
          ...(found.count > 0 && found.last ? { last: { slot: found.last.slot, ...(found.last.lastError ? { error: found.last.lastError } : {}) } } : {}),
        },
      };
    },
  };
}
