import type { Logger } from 'pino';
import { describeError } from '../errors.js';
import type { Delivery, DeliveryStore } from '../store/deliveries.js';
import type { Subscription, SubscriptionStore } from '../store/subscriptions.js';
import { rateLimitDelay, retryDelay, sleep as defaultSleep, type RetryPolicy } from './retry.js';
import { DeliveryError, deliveryKey, type DigestSender, type OutgoingPart, type PartThread } from './sender.js';
import type { PlatformName } from '../platforms/names.js';

/**
 * Sends recorded deliveries, part by part, writing each step to the store first: "about to send
 * part i" before the request, "part i sent as <ref>" after. A delivery found half-done (after a
 * crash, or a retry) carries on from the first part not confirmed; a part that may have landed
 * is looked for first where the platform needs it (Slack), and sent with the same nonce where
 * the platform de-duplicates (Discord). One delivery per subscription at a time, in slot order.
 *
 * What ends a delivery: it is sent; a permanent error (the subscription pauses) or a refused
 * message; or its deadline, the subscription's next slot, after which it fails and its briefings
 * go into that next digest. Nothing is counted toward giving up: a rate limit (429) is waited out
 * (its retry-after, with jitter) as often as it comes, and other transient failures back off up
 * to `retry.maxDelayMs` and are tried again until the deadline. A part is left marked "may have
 * landed" only after an unknown outcome (a timeout, a connection lost after sending, a 5xx);
 * after a 429 or a refused connection it certainly did not land, so no history is read for it.
 */

export type Outcome = 'delivered' | 'failed' | 'paused' | 'interrupted' | 'unavailable';

export interface DeliveryRunnerOptions {
  deliveries: DeliveryStore;
  subscriptions: SubscriptionStore;
  senders: Partial<Record<PlatformName, DigestSender>>;
  retry: RetryPolicy;
  logger: Logger;
  /**
   * When a delivery stops being worth sending (the subscription's next slot); none means it is
   * tried until sent or stopped.
   */
  deadline?: (subscription: Subscription, delivery: Delivery) => Date | undefined;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /**
   * While a part's send is in flight, this process's claim is renewed this often (real time). A
   * send can wait long in the platform client's own queue (replicas sharing one bot token share
   * Discord's global limit), and a claim that expired under it would let another replica send the
   * part too. Unset: renewed only by the writes about the send, as on a store no one else shares.
   */
  renewClaimEveryMs?: number;
}

export interface RunOptions {
  /**
   * The caller's present (the digest job's `now`): the delivery has until its deadline as seen
   * from then, measured on this runner's clock from the moment it is handed over.
   */
  now?: Date;
}

export interface DeliveryRunner {
  /** Sends (or finishes sending) a pending delivery; the same delivery twice at once shares one run. */
  run(delivery: Delivery, options?: RunOptions): Promise<Outcome>;
  /** Resolves when the subscription's deliveries in hand are finished; undefined when there are none. */
  settled(subscriptionId: number): Promise<void> | undefined;
  /** Deliveries being sent or waiting their turn. */
  readonly inFlight: number;
  /** Resolves when nothing is in flight. */
  idle(): Promise<void>;
  /**
   * Stops starting new attempts, cuts backoff waits short and waits up to `graceMs` for sends
   * already on the wire. Returns how many deliveries were left unfinished (they stay pending
   * and are resumed at the next start).
   */
  stop(graceMs: number): Promise<number>;
}

/**
 * A reply part whose thread an earlier part of the same delivery found gone: that part opened a new
 * thread (kept in threadRefs, so this holds after a restart too), and the story's later parts
 * follow it there instead of each opening one more.
 */
function movedThread(delivery: Delivery, index: number): PartThread | undefined {
  const planned = delivery.plan?.threads;
  const thread = planned?.[index];
  if (thread?.mode !== 'reply') return undefined;
  for (let j = index - 1; j >= 0; j--) {
    const earlier = planned![j];
    const went = delivery.threadRefs[j];
    if (earlier?.mode === 'reply' && earlier.ref === thread.ref && went && went !== thread.ref) return { ...thread, ref: went };
  }
  return undefined;
}

export function createDeliveryRunner(options: DeliveryRunnerOptions): DeliveryRunner {
  const { deliveries, subscriptions, senders, retry, logger } = options;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const running = new Map<number, Promise<Outcome>>();
  /** The tail of each subscription's queue. */
  const queues = new Map<number, Promise<unknown>>();
  const abort = new AbortController();
  let stopping = false;

  const finishFailed = async (delivery: Delivery, subscription: Subscription, reason: string): Promise<void> => {
    await deliveries.finish(delivery.id, 'failed', now(), reason);
    logger.warn({ subscriptionId: subscription.id, platform: subscription.platform, channel: subscription.channelId, slot: delivery.slot, reason }, 'digest failed');
  };

  /** This process's claim was taken over (it had expired): the replica that holds it now carries on. */
  /**
   * Runs a send, renewing the claim every `renewClaimEveryMs` until it settles. A renewal still
   * under way when it settles is awaited, so it never lands after the write that follows.
   */
  const whileRenewing = async <T>(id: number, part: number, log: Logger, work: () => Promise<T>): Promise<T> => {
    const every = options.renewClaimEveryMs;
    if (!every) return work();
    let renewal: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      renewal = renewal.then(() =>
        deliveries.markAttempt(id, part, now()).then(
          (held) => {
            if (!held) log.warn({ part }, 'digest claim lost while a send was in flight');
          },
          (error: unknown) => log.warn({ err: error, part }, 'digest claim could not be renewed'),
        ),
      );
    }, every);
    // Never what keeps the process alive: a send in flight at exit is the platform client's to end.
    timer.unref();
    try {
      return await work();
    } finally {
      clearInterval(timer);
      await renewal;
    }
  };

  const lost = (log: Logger): Outcome => {
    log.warn('digest claim taken over by another process: it carries on from the last part recorded');
    return 'interrupted';
  };

  async function send(start: Delivery, handedAt: Date, handedOver: number): Promise<Outcome> {
    let delivery = (await deliveries.get(start.id)) ?? start;
    if (delivery.status !== 'pending') return delivery.status === 'delivered' ? 'delivered' : 'failed';
    // Another replica holds it (it took the delivery over after this one's claim expired): it sends.
    if (delivery.claimedBy !== undefined && delivery.claimedBy !== deliveries.owner) return 'interrupted';
    const subscription = await subscriptions.get(delivery.subscriptionId);
    if (!subscription || subscription.status !== 'active') {
      await deliveries.finish(delivery.id, 'failed', now(), `subscription ${subscription?.status ?? 'missing'}`);
      return 'failed';
    }
    const sender = senders[subscription.platform];
    if (!sender) {
      logger.warn({ subscriptionId: subscription.id, platform: subscription.platform }, 'digest waiting: the platform is not configured');
      // Let go of it, for a replica (or a later start) that runs this platform.
      await deliveries.release(delivery.id);
      return 'unavailable';
    }
    const key = deliveryKey(subscription.id, delivery.slot);
    const log = logger.child({ subscriptionId: subscription.id, platform: subscription.platform, channel: subscription.channelId, slot: delivery.slot });
    const deadline = options.deadline?.(subscription, delivery);
    // On this runner's clock: the time the delivery had left when it was handed over, from then.
    const endsAt = deadline ? handedOver + (deadline.getTime() - handedAt.getTime()) : Number.POSITIVE_INFINITY;
    let rateLimits = 0;

    while (delivery.partsSent < delivery.parts.length) {
      if (stopping) {
        await deliveries.release(delivery.id);
        return 'interrupted';
      }
      if (now().getTime() >= endsAt) {
        const last = delivery.lastError ? `; the last error: ${delivery.lastError}` : '';
        await finishFailed(delivery, subscription, `not delivered by ${deadline!.toISOString()}, the subscription's next slot${last}`);
        return 'failed';
      }
      const index = delivery.partsSent;
      const part: OutgoingPart = {
        channelId: subscription.channelId,
        deliveryKey: key,
        index,
        count: delivery.parts.length,
        payload: delivery.parts[index],
        since: new Date(delivery.createdAt),
      };
      // A story digest in a channel with threads on: where this part goes, as planned when it was recorded.
      const thread = delivery.plan?.threads?.[index];
      if (thread) part.thread = movedThread(delivery, index) ?? thread;
      let sending = false;
      try {
        // An earlier attempt at this part may have landed: where the platform cannot de-duplicate, look first.
        if (delivery.attemptedPart === index && sender.findSent) {
          const found = await sender.findSent(part);
          if (found) {
            log.info({ part: index, ref: found.ref }, 'digest part was already posted');
            const marked = await deliveries.markSent(delivery.id, index, found.ref, now(), found.thread);
            if (!marked) return lost(log);
            delivery = marked;
            continue;
          }
        }
        if (!(await deliveries.markAttempt(delivery.id, index, now()))) return lost(log);
        delivery.attemptedPart = index;
        sending = true;
        const sent = await whileRenewing(delivery.id, index, log, () => sender.send(part));
        // The thread the part went to or opened is kept with it: finishing applies it to the story ledger.
        const marked = await deliveries.markSent(delivery.id, index, sent.ref, now(), sent.thread);
        if (!marked) return lost(log);
        delivery = marked;
        rateLimits = 0;
      } catch (error) {
        const failure = error instanceof DeliveryError ? error : new DeliveryError('retry', describeError(error), undefined, { cause: error });
        if (failure.kind === 'permanent') {
          await finishFailed(delivery, subscription, failure.message);
          await subscriptions.pause(subscription.id, failure.message, now());
          log.warn({ reason: failure.message }, 'digest subscription paused');
          return 'paused';
        }
        if (failure.kind === 'rejected') {
          await finishFailed(delivery, subscription, failure.message);
          return 'failed';
        }
        const limited = failure.kind === 'rate-limited';
        // Only the send's own outcome says anything about the part; a failed history read leaves it as it was.
        const notSent = sending && failure.outcome === 'not-sent';
        delivery.lastError = failure.message;
        let wait: number;
        if (limited) {
          rateLimits += 1;
          wait = rateLimitDelay(retry, rateLimits, failure.retryAfterMs, random);
        } else {
          rateLimits = 0;
          delivery.attempts += 1;
          wait = retryDelay(retry, delivery.attempts, failure.retryAfterMs, random);
        }
        // Never past the deadline: the next slot's digest waits for this one to end.
        wait = Math.max(0, Math.min(wait, endsAt - now().getTime()));
        // The claim is held through the wait, so no other replica takes the delivery meanwhile.
        if (!(await deliveries.markRetry(delivery.id, { error: failure.message, counts: !limited, notSent, holdMs: wait }, now()))) return lost(log);
        if (notSent) delivery.attemptedPart = undefined;
        // A rate limit is routine under load (debug); a failure is worth seeing (info).
        const fields = { part: index, attempt: delivery.attempts, rateLimited: limited, waitMs: wait, reason: failure.message };
        if (limited) log.debug(fields, 'digest part waits out a rate limit');
        else log.info(fields, 'digest part will be retried');
        await sleep(wait, abort.signal);
        // Something else may have ended it meanwhile (an expiry at a restart's catch-up).
        const current = await deliveries.get(delivery.id);
        if (!current || current.status !== 'pending') return current?.status === 'delivered' ? 'delivered' : 'failed';
      }
    }
    if (!(await deliveries.finish(delivery.id, 'delivered', now()))) return lost(log);
    log.info({ parts: delivery.parts.length, items: delivery.items }, 'digest delivered');
    return 'delivered';
  }

  return {
    run(delivery, runOptions = {}) {
      const existing = running.get(delivery.id);
      if (existing) return existing;
      if (stopping) return Promise.resolve('interrupted');
      const handedAt = runOptions.now ?? now();
      const handedOver = now().getTime();
      const previous = queues.get(delivery.subscriptionId) ?? Promise.resolve();
      const result = previous.then(() => send(delivery, handedAt, handedOver)).catch((error: unknown) => {
        // Only the store can throw here (a disk problem): leave the delivery pending for the next start.
        logger.error({ err: error, deliveryId: delivery.id }, 'digest delivery stopped by an error');
        return 'interrupted' as const;
      });
      running.set(delivery.id, result);
      queues.set(delivery.subscriptionId, result);
      void result.then(() => {
        running.delete(delivery.id);
        if (queues.get(delivery.subscriptionId) === result) queues.delete(delivery.subscriptionId);
      });
      return result;
    },
    settled(subscriptionId) {
      const tail = queues.get(subscriptionId);
      return tail ? tail.then(() => undefined) : undefined;
    },
    get inFlight() {
      return running.size;
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running.values()]);
    },
    async stop(graceMs) {
      stopping = true;
      abort.abort();
      const all = Promise.all([...running.values()]);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      return running.size;
    },
  };
}
