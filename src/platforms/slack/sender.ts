import { webApi } from '@slack/bolt';
import { describeError } from '../../errors.js';
import { DeliveryError, DIGEST_EVENT_TYPE, neverSent, type DigestSender, type OutgoingPart, type SentRef } from '../../digest/sender.js';

/**
 * Digest messages to Slack through the Web API client (`slackApiUrl` from the config). Slack has
 * no idempotent post, so every message carries metadata with the delivery key and part, and
 * before any resend the scheduler asks `findSent`, which reads the channel history for it.
 * Slack allows about one message a second per channel: this sender spaces a channel's posts
 * itself instead of collecting 429s, and hands any 429 back as `rate-limited` with its
 * retry-after: the message was not posted, so the resend needs no history read.
 *
 * Story parts in a channel with threads on (`part.thread`): a `start` is an ordinary post whose ts
 * is the thread; a `reply` is posted with `thread_ts`. Channel history does not list thread
 * replies, so `findSent` looks for a reply in its thread (conversations.replies). A thread whose
 * parent is gone (`thread_not_found`, `message_not_found`) is not the channel being gone: the part
 * is posted in the channel as a new start instead. (`thread_not_found` for a reply to a deleted
 * parent is what Slack's Bolt maintainers describe in slackapi/bolt-js#2307; the fakes cannot tell
 * us more, so both answers are taken.)
 */

export interface SlackSenderOptions {
  token: string;
  /** e.g. https://slack.com/api/ */
  apiUrl: string;
  timeoutMs?: number;
  /** Time from one post's answer to the next post in the same channel (Slack allows about 1 a second). */
  channelIntervalMs?: number;
  /** How many history pages to read looking for an earlier attempt. */
  historyPages?: number;
  maxConcurrency?: number;
}

/** Slack errors that mean the channel or the token is gone or closed to the bot. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'invalid_auth',
  'token_revoked',
  'token_expired',
  'not_authed',
  'no_permission',
  'missing_scope',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'team_access_not_granted',
  'access_denied',
  'ekm_access_denied',
  'org_login_required',
  'team_not_found',
  'enterprise_is_restricted',
]);
/** Answers to `thread_ts` (or conversations.replies' `ts`) naming a message that is gone. */
const THREAD_GONE = new Set(['thread_not_found', 'message_not_found']);

function slackReason(error: unknown): string | undefined {
  const e = error as CodedError;
  return e?.code === webApi.ErrorCode.PlatformError ? e.data?.error : undefined;
}

/** Slack errors after which the request may still have been carried out. */
const TRANSIENT = new Set(['fatal_error', 'internal_error', 'service_unavailable', 'request_timeout', 'timeout']);

interface CodedError {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  statusCode?: number;
  headers?: Record<string, string>;
  original?: unknown;
}

function retryAfterOf(headers: Record<string, string> | undefined): number | undefined {
  const seconds = Number(headers?.['retry-after']);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export function classifySlackError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = error as CodedError;
  switch (e?.code) {
    case webApi.ErrorCode.RateLimitedError:
      return new DeliveryError('rate-limited', `Slack rate limited for ${e.retryAfter} s`, e.retryAfter === undefined ? undefined : e.retryAfter * 1000, { cause: error });
    case webApi.ErrorCode.PlatformError: {
      const reason = e.data?.error ?? 'unknown_error';
      if (reason === 'ratelimited') return new DeliveryError('rate-limited', 'Slack: ratelimited', undefined, { cause: error });
      if (PERMANENT.has(reason)) return new DeliveryError('permanent', `Slack: ${reason}`, undefined, { cause: error });
      if (TRANSIENT.has(reason)) return new DeliveryError('retry', `Slack: ${reason}`, undefined, { cause: error });
      return new DeliveryError('rejected', `Slack: ${reason}`, undefined, { cause: error });
    }
    case webApi.ErrorCode.HTTPError: {
      const status = e.statusCode ?? 0;
      if (status === 429) return new DeliveryError('rate-limited', 'Slack HTTP 429', retryAfterOf(e.headers), { cause: error });
      // A 5xx or 408 may come after Slack carried the request out: the outcome is unknown.
      if (status === 408 || status >= 500) return new DeliveryError('retry', `Slack HTTP ${status}`, retryAfterOf(e.headers), { cause: error });
      if (status === 401 || status === 403 || status === 404) return new DeliveryError('permanent', `Slack HTTP ${status}`, undefined, { cause: error });
      return new DeliveryError('rejected', `Slack HTTP ${status}`, undefined, { cause: error });
    }
    default: {
      // The client's answer to a 429 without a usable Retry-After.
      if (/^Retry header did not contain a valid timeout/.test(describeError(error))) {
        return new DeliveryError('rate-limited', 'Slack HTTP 429 without a retry-after', undefined, { cause: error });
      }
      // A refused connection never sent anything; a timeout or a dropped connection may have: the history check finds out.
      const outcome = neverSent(error) ? 'not-sent' : 'unknown';
      return new DeliveryError('retry', `Slack request failed: ${describeError(error)}`, undefined, { cause: error, outcome });
    }
  }
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { key?: string; part?: number } };
}

export function createSlackSender(options: SlackSenderOptions): DigestSender {
  const client = new webApi.WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    // Retries belong to the scheduler: bounded, logged, with the history check before each.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 15_000,
    maxRequestConcurrency: options.maxConcurrency ?? 50,
    logLevel: webApi.LogLevel.ERROR,
  });
  const interval = options.channelIntervalMs ?? 1000;
  const pages = options.historyPages ?? 3;
  /**
   * When each channel's last post was answered. The next one waits a full interval from then:
   * the answer comes after Slack counted the post, so however long requests take on the way
   * there, two posts never reach Slack closer than the interval.
   */
  const answeredAt = new Map<string, number>();

  const pace = async (channel: string): Promise<void> => {
    const last = answeredAt.get(channel);
    const wait = last === undefined ? 0 : last + interval - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };

  /** Posts in the channel (in the thread `threadTs`, if given), keeping the channel's interval. */
  const post = async (part: OutgoingPart, threadTs: string | undefined): Promise<string> => {
    const message = part.payload as { text: string; blocks: unknown[] };
    await pace(part.channelId);
    try {
      const result = await client.chat.postMessage({
        channel: part.channelId,
        text: message.text,
        blocks: message.blocks as never,
        metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { key: part.deliveryKey, part: part.index, parts: part.count } },
        unfurl_links: false,
        unfurl_media: false,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      });
      return String(result.ts ?? '');
    } finally {
      answeredAt.set(part.channelId, Date.now());
    }
  };

  const isPart = (part: OutgoingPart, m: HistoryMessage): boolean => {
    const meta = m.metadata;
    return meta?.event_type === DIGEST_EVENT_TYPE && meta.event_payload?.key === part.deliveryKey && meta.event_payload.part === part.index;
  };

  /** Reads up to `pages` pages of a listing for the part's message. */
  const search = async (
    part: OutgoingPart,
    read: (cursor: string | undefined) => Promise<{ messages?: unknown[]; has_more?: boolean; response_metadata?: { next_cursor?: string } }>,
  ): Promise<string | undefined> => {
    let cursor: string | undefined;
    for (let page = 0; page < pages; page++) {
      const result = await read(cursor);
      const found = ((result.messages ?? []) as HistoryMessage[]).find((m) => isPart(part, m));
      if (found) return found.ts ?? '';
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!result.has_more || !cursor) return undefined;
    }
    return undefined;
  };

  return {
    platform: 'slack',
    async send(part: OutgoingPart): Promise<SentRef> {
      const thread = part.thread;
      try {
        if (thread?.mode === 'reply') {
          try {
            return { ref: await post(part, thread.ref), thread: thread.ref };
          } catch (error) {
            const reason = slackReason(error);
            if (reason === undefined || !THREAD_GONE.has(reason)) throw error;
          }
          // The parent is gone, and the thread with it: the part starts a new one in the channel.
          const ts = await post(part, undefined);
          return { ref: ts, thread: ts };
        }
        const ts = await post(part, undefined);
        return thread?.mode === 'start' ? { ref: ts, thread: ts } : { ref: ts };
      } catch (error) {
        throw classifySlackError(error);
      }
    },
    async findSent(part: OutgoingPart): Promise<SentRef | undefined> {
      // A few minutes' margin for clocks; Slack's ts are seconds since the epoch.
      const oldest = (Math.floor(part.since.getTime() / 1000) - 600).toString();
      const inHistory = (): Promise<string | undefined> =>
        search(part, (cursor) =>
          client.conversations.history({ channel: part.channelId, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) }),
        );
      const thread = part.thread;
      try {
        if (thread?.mode === 'reply') {
          // Replies are not in the channel's history: read the thread.
          try {
            const ts = await search(part, (cursor) =>
              client.conversations.replies({ channel: part.channelId, ts: thread.ref, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) }),
            );
            return ts === undefined ? undefined : { ref: ts, thread: thread.ref };
          } catch (error) {
            const reason = slackReason(error);
            if (reason === undefined || !THREAD_GONE.has(reason)) throw error;
          }
          // The thread is gone: an earlier attempt may have posted the part in the channel as a new start.
          const ts = await inHistory();
          return ts === undefined ? undefined : { ref: ts, thread: ts };
        }
        const ts = await inHistory();
        if (ts === undefined) return undefined;
        return thread?.mode === 'start' ? { ref: ts, thread: ts } : { ref: ts };
      } catch (error) {
        throw classifySlackError(error);
      }
    },
  };
}
