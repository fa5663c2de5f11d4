import type { Logger } from 'pino';
import type { Library } from '../library/library.js';
import type { Delivery, DeliveryStore } from '../store/deliveries.js';
import type { NothingNewPolicy, Subscription, SubscriptionStore } from '../store/subscriptions.js';
import type { DeliveryPlan, PlannedThread } from '../store/story-ledger.js';
import { composeDigest, nothingNewNote, selectDigest, type DigestContent } from './compose.js';
import { composeStoryDigest, quietCards, storyDigestContent, type StoryDigest, type StoryDigestDeps } from './compose-stories.js';
import type { DeliveryRunner, Outcome } from './delivery-runner.js';
import { occurrencesOf } from './schedule.js';
import type { PlatformName } from '../platforms/names.js';

/**
 * The digest job: `run(deps, now)` delivers each subscription's most recent due slot that is not
 * recorded yet, and finishes deliveries left pending (a crash, a shutdown). A slot is due when it
 * is at or before `now`, no older than the catch-up window, and not before the subscription began;
 * only the most recent such slot counts, so a bot that was down for three slots posts one digest.
 * Each slot is recorded under the store's unique (subscription, slot) constraint before anything
 * is sent, with its digest already rendered, so every firing of the same slot (the node-cron task,
 * the sweep, a restart's catch-up, another replica) ends in the same single delivery, sent by the
 * process holding its claim (see store/deliveries.ts). Time is always passed in.
 */

export interface DigestSettings {
  catchUpHours: number;
  backfill: number;
  nothingNew: NothingNewPolicy;
  /** Briefings per digest; the rest are counted ("12 more in /articles"). */
  maxItems: number;
}

/**
 * A digest as the messages of the subscription's platform (src/platforms/index.ts: renderDigest).
 * Injected, so digests never import a platform; it throws for a platform briefbot does not know.
 */
export type DigestRenderer = (platform: PlatformName, content: DigestContent) => unknown[];

export interface DigestJobDeps {
  render: DigestRenderer;
  library: Library;
  subscriptions: SubscriptionStore;
  deliveries: DeliveryStore;
  runner: DeliveryRunner;
  settings: DigestSettings;
  logger: Logger;
  /**
   * Story digests: with the story book and the channels' ledger, a digest posts one item per
   * story and tells each channel what is new since it last heard (compose-stories.ts). Without
   * them (tests of the delivery machinery) it posts one item per briefing.
   */
  stories?: StoryDigestDeps;
}

export interface DigestJobReport {
  /** Slots recorded by this run. */
  recorded: number;
  /** Of those, with nothing new under the "skip" policy. */
  skipped: number;
  /** Pending deliveries picked up again. */
  resumed: number;
  /** Pending deliveries too old to send any more. */
  expired: number;
  /** Subscriptions whose slot could not be recorded (a platform briefbot does not know); logged as errors. */
  failed: number;
  outcomes: Partial<Record<Outcome, number>>;
}

/** The slot to deliver now for one subscription, if any. */
export function dueSlot(subscription: Subscription, now: Date, catchUpHours: number): Date | undefined {
  if (subscription.status !== 'active') return undefined;
  const latest = occurrencesOf(subscription).latest(now);
  if (!latest) return undefined;
  if (latest.getTime() < Date.parse(subscription.activeSince)) return undefined;
  if (now.getTime() - latest.getTime() > catchUpHours * 3_600_000) return undefined;
  return latest;
}

/**
 * Until when a delivery is worth sending: its subscription's next slot. Past it, the delivery
 * fails and its briefings go into that next digest (a failed delivery does not move the cursor).
 */
export function deliveryDeadline(subscription: Pick<Subscription, 'cron' | 'timezone'>, slot: string): Date {
  const at = new Date(slot);
  // A schedule that never comes round again (a date that will not recur) still gets a week.
  return occurrencesOf(subscription).next(at) ?? new Date(at.getTime() + 7 * 86_400_000);
}

/** What the next digest for a subscription would hold, as of now (also /digest now). */
export async function composeFor(
  deps: Pick<DigestJobDeps, 'library' | 'deliveries' | 'settings' | 'stories'>,
  subscription: Pick<Subscription, 'id' | 'startPosition' | 'timezone' | 'backfill' | 'nothingNew' | 'threads' | 'unchanged'>,
): Promise<{ content: DigestContent | undefined; throughPosition: number; stories?: StoryDigest }> {
  const cursor = await deps.deliveries.cursor(subscription.id);
  const selection = await selectDigest(deps.library, {
    cursor,
    startPosition: subscription.startPosition,
    backfill: subscription.backfill ?? deps.settings.backfill,
    maxItems: deps.settings.maxItems,
  });
  const previous = await deps.deliveries.latest(subscription.id, ['delivered', 'skipped']);
  const options = { timezone: subscription.timezone, ...(previous ? { since: previous.slot } : {}) };
  if (selection.entries.length > 0) {
    if (!deps.stories) return { content: composeDigest(selection, options), throughPosition: selection.throughPosition };
    const stories = await composeStoryDigest(deps.stories, subscription, selection, options);
    if (stories) return { content: storyDigestContent(stories), throughPosition: selection.throughPosition, stories };
  }
  const policy = subscription.nothingNew ?? deps.settings.nothingNew;
  return { content: policy === 'note' ? nothingNewNote(options) : undefined, throughPosition: selection.throughPosition };
}

/**
 * A story digest as parts, with the plan the delivery records beside them. Threads off: the
 * digest's messages as for any digest. Threads on: the header (and the quiet lines) first, then
 * each story as its own message, opening the story's thread or posted in it.
 */
export function renderStoryDigest(render: DigestRenderer, platform: Subscription['platform'], digest: StoryDigest, threads: boolean): { parts: unknown[]; plan: DeliveryPlan } {
  if (!threads) return { parts: render(platform, storyDigestContent(digest)), plan: { told: digest.tellings } };
  const parts: unknown[] = [...render(platform, { text: digest.text, cards: quietCards(digest), items: 0 })];
  const planned: Array<PlannedThread | null> = parts.map(() => null);
  const threadPart = new Map<string, number>();
  for (const item of digest.items) {
    const own = render(platform, { text: '', cards: [item.card], items: 1 });
    own.forEach((part, i) => {
      // A card too long for one message goes on in the story's thread when it has one; the rest of a new story's card, after its first message, in the channel.
      const thread = i === 0 || item.thread?.mode === 'reply' ? (item.thread ?? null) : null;
      if (i === 0 && item.thread) threadPart.set(item.story, parts.length);
      parts.push(part);
      planned.push(thread);
    });
  }
  const told = digest.tellings.map((t) => (threadPart.has(t.story) ? { ...t, threadPart: threadPart.get(t.story)! } : t));
  return { parts, plan: { threads: planned, told } };
}

/**
 * Records a subscription's slot (once) and returns the delivery row: new (claimed by this process),
 * or the one already there. Composing and recording are not one transaction: two firings (or two
 * replicas) may both compose, and the unique (subscription, slot) constraint keeps one record.
 */
export async function recordSlot(
  deps: DigestJobDeps,
  subscription: Subscription,
  slot: Date,
  now: Date,
  cache?: Map<string, unknown[]>,
): Promise<{ delivery: Delivery; created: boolean }> {
  const iso = slot.toISOString();
  const existing = await deps.deliveries.find(subscription.id, iso);
  if (existing) return { delivery: existing, created: false };
  const { content, throughPosition, stories } = await composeFor(deps, subscription);
  let parts: unknown[] = [];
  let plan: DeliveryPlan | undefined;
  if (stories) {
    ({ parts, plan } = renderStoryDigest(deps.render, subscription.platform, stories, subscription.threads ?? false));
  } else if (content) {
    // Many channels get the same digest at the same slot: render it once per platform.
    const key = `${subscription.platform}\n${content.text}\n${content.cards.map((c) => c.footer).join('\n')}`;
    parts = cache?.get(key) ?? deps.render(subscription.platform, content);
    cache?.set(key, parts);
  }
  return deps.deliveries.record(
    { subscriptionId: subscription.id, slot: iso, status: content ? 'pending' : 'skipped', items: content?.items ?? 0, throughPosition, parts, ...(plan ? { plan } : {}) },
    now,
  );
}

export const digestJob = {
  name: 'digest',

  async run(deps: DigestJobDeps, now: Date, only?: readonly number[]): Promise<DigestJobReport> {
    const report: DigestJobReport = { recorded: 0, skipped: 0, resumed: 0, expired: 0, failed: 0, outcomes: {} };
    const runs: Array<Promise<Outcome | undefined>> = [];
    const windowStart = new Date(now.getTime() - deps.settings.catchUpHours * 3_600_000).toISOString();
    const wanted = only ? new Set(only) : undefined;

    // Pending deliveries nobody sends: left by a crash or a shutdown, by a replica that died, or
    // let go by one without the platform. Claimed here, so no other process takes them too.
    for (const pending of await deps.deliveries.claimPending(now, only ? { subscriptionIds: only } : {})) {
      if (pending.slot < windowStart) {
        // Too late to be news: its briefings come in the next digest instead (failed and expired ones do not move the cursor).
        await deps.deliveries.finish(pending.id, 'expired', now, 'not sent within the catch-up window');
        deps.logger.warn({ subscriptionId: pending.subscriptionId, slot: pending.slot }, 'digest expired before it could be sent');
        report.expired++;
        continue;
      }
      report.resumed++;
      runs.push(deps.runner.run(pending, { now }));
    }

    const cache = new Map<string, unknown[]>();
    const record = async (subscription: Subscription, slot: Date): Promise<Outcome | undefined> => {
      if (await deps.deliveries.hasAtOrAfter(subscription.id, slot.toISOString())) return undefined;
      let recorded: Awaited<ReturnType<typeof recordSlot>>;
      try {
        recorded = await recordSlot(deps, subscription, slot, now, cache);
      } catch (error) {
        // One bad subscription (a platform this build does not know) must not hold up the others' digests.
        report.failed++;
        deps.logger.error({ err: error, subscriptionId: subscription.id, platform: subscription.platform }, 'digest could not be recorded');
        return undefined;
      }
      const { delivery, created } = recorded;
      if (!created) return undefined;
      report.recorded++;
      if (delivery.status === 'skipped') {
        report.skipped++;
        deps.logger.info({ subscriptionId: subscription.id, slot: delivery.slot }, 'digest skipped: nothing new');
        return undefined;
      }
      return deps.runner.run(delivery, { now });
    };
    let sinceYield = 0;
    for (const subscription of await deps.subscriptions.active()) {
      if (wanted && !wanted.has(subscription.id)) continue;
      // A large fan-out records in batches, letting the first sends go out while the rest are recorded.
      if (++sinceYield % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
      const slot = dueSlot(subscription, now, deps.settings.catchUpHours);
      if (!slot || (await deps.deliveries.hasAtOrAfter(subscription.id, slot.toISOString()))) continue;
      // An earlier digest of this channel still being sent ends by this slot (its deadline). The new one
      // is composed after it ends, so that if it failed, its briefings are in the new one.
      const earlier = deps.runner.settled(subscription.id);
      runs.push(earlier ? earlier.then(() => record(subscription, slot)) : record(subscription, slot));
    }

    for (const outcome of await Promise.all(runs)) if (outcome) report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
    return report;
  },
};
