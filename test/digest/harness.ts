import type { Logger } from 'pino';
import { silentLogger } from '../../src/logging/logger.js';
import { createDeliveryRunner, type DeliveryRunner } from '../../src/digest/delivery-runner.js';
import { deliveryDeadline, type DigestJobDeps, type DigestSettings } from '../../src/digest/digest-job.js';
import type { RetryPolicy } from '../../src/digest/retry.js';
import { parseSchedule } from '../../src/digest/schedule.js';
import type { DigestSender, OutgoingPart, SentRef } from '../../src/digest/sender.js';
import type { Library } from '../../src/library/library.js';
import { createSqliteLibrary } from '../../src/library/sqlite-library.js';
import { createDeliveryStore } from '../../src/store/deliveries.js';
import { openStore, type Store } from '../../src/store/store.js';
import { createSubscriptionStore, type Subscription, type SubscriptionInput } from '../../src/store/subscriptions.js';
import { makeBriefing, makeEntry } from '../store/helpers.js';
import type { PlatformName } from '../../src/platforms/names.js';
import { renderDigest } from '../../src/platforms/index.js';

/** A stand-in sender: records what it posts, and can be told how to answer each attempt. */
export interface FakeSender extends DigestSender {
  /** Every part posted, in order (a retried part appears once per successful post). */
  posted: OutgoingPart[];
  attempts: OutgoingPart[];
  /** Answers an attempt: return a ref, or throw; undefined means "post it". */
  behaviour?: (part: OutgoingPart, attempt: number) => SentRef | undefined;
  /** When set, findSent looks through `posted` (as Slack's history would). */
  history: boolean;
  lookups: number;
}

export function fakeSender(platform: PlatformName, history = platform === 'slack'): FakeSender {
  const sender: FakeSender = {
    platform,
    posted: [],
    attempts: [],
    history,
    lookups: 0,
    async send(part) {
      sender.attempts.push(part);
      const n = sender.attempts.filter((p) => p.deliveryKey === part.deliveryKey && p.index === part.index).length;
      const answer = sender.behaviour?.(part, n);
      if (answer) return answer;
      sender.posted.push(part);
      return { ref: `${part.channelId}/${sender.posted.length}` };
    },
  };
  if (history) {
    sender.findSent = async (part) => {
      sender.lookups++;
      const found = sender.posted.find((p) => p.deliveryKey === part.deliveryKey && p.index === part.index && p.channelId === part.channelId);
      return found ? { ref: 'found' } : undefined;
    };
  }
  return sender;
}

export interface Harness {
  store: Store;
  library: Library;
  deps: DigestJobDeps;
  runner: DeliveryRunner;
  senders: Record<PlatformName, FakeSender>;
  sleeps: number[];
  logger: Logger;
  clock: { now: Date };
  subscribe(over: Partial<SubscriptionInput> & { schedule?: string; at?: string }): Promise<Subscription>;
  addBriefings(ids: string[], options?: { published?: (i: number) => string }): Promise<void>;
  close(): void;
}

export const FAST_RETRY: RetryPolicy = { attempts: 5, minDelayMs: 1, maxDelayMs: 4 };

export function createHarness(options: { settings?: Partial<DigestSettings>; retry?: RetryPolicy; now?: string } = {}): Harness {
  const store = openStore({ path: ':memory:' });
  const library = createSqliteLibrary(store);
  const subscriptions = createSubscriptionStore(store.db);
  const deliveries = createDeliveryStore(store.db);
  const senders = { discord: fakeSender('discord'), slack: fakeSender('slack') };
  const sleeps: number[] = [];
  const clock = { now: new Date(options.now ?? '2025-03-01T00:00:00Z') };
  const logger = silentLogger();
  const runner = createDeliveryRunner({
    deliveries,
    subscriptions,
    senders,
    retry: options.retry ?? FAST_RETRY,
    logger,
    now: () => clock.now,
    deadline: (subscription, delivery) => deliveryDeadline(subscription, delivery.slot),
    // Time is injected: backoff waits are recorded and move the clock on, not slept.
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now = new Date(clock.now.getTime() + ms);
    },
    random: () => 0.5,
  });
  const deps: DigestJobDeps = {
    render: renderDigest,
    library,
    subscriptions,
    deliveries,
    runner,
    settings: { catchUpHours: 12, backfill: 3, nothingNew: 'skip', maxItems: 20, ...options.settings },
    logger,
  };
  let channel = 0;
  return {
    store,
    library,
    deps,
    runner,
    senders,
    sleeps,
    logger,
    clock,
    async subscribe(over) {
      const parsed = parseSchedule(over.schedule ?? 'daily 08:00', over.timezone ?? 'UTC');
      if (!parsed.ok) throw new Error(parsed.message);
      channel++;
      const input: SubscriptionInput = {
        platform: 'discord',
        channelId: `C${channel}`,
        source: 'chat',
        ...over,
        schedule: parsed.schedule.label,
        cron: parsed.schedule.cron,
        timezone: parsed.schedule.timezone,
      };
      return (await subscriptions.save(input, new Date(over.at ?? clock.now), await library.position)).subscription;
    },
    async addBriefings(ids, opts = {}) {
      for (const [i, id] of ids.entries()) await library.add(makeEntry(makeBriefing(id, { published: opts.published?.(i) ?? `2025-02-${String(10 + (i % 18)).padStart(2, '0')}` })));
    },
    close: () => store.close(),
  };
}

/** The briefing ids a posted Discord part shows, from its embeds' footers. */
export function idsInDiscordPart(part: OutgoingPart): string[] {
  const payload = part.payload as { embeds: Array<{ footer?: { text: string } }> };
  return payload.embeds.map((e) => e.footer?.text.replace(/^id: /, '') ?? '');
}
