import type { Database } from 'better-sqlite3';
import type { PlatformName } from '../platforms/names.js';

/**
 * Subscriptions as the store keeps them: one live subscription per channel. The port is async so
 * that a server database can implement it: this file holds the port and the SQLite implementation,
 * postgres/subscriptions.ts the PostgreSQL one, and test/store/contract/ holds both to one contract.
 */

export type SubscriptionStatus = 'active' | 'paused' | 'removed';
export type NothingNewPolicy = 'skip' | 'note';
/** What a story digest does with a story that has nothing material new for the channel: leave it out, or give it one line. */
export type UnchangedPolicy = 'skip' | 'line';

/** What an unset `threads` and `unchanged` mean: no threads, and a story with nothing new left out. */
export const STORY_DIGEST_DEFAULTS: { threads: boolean; unchanged: UnchangedPolicy } = { threads: false, unchanged: 'skip' };

export interface Subscription {
  id: number;
  platform: PlatformName;
  channelId: string;
  workspace?: string;
  channelName?: string;
  /** What the person (or the config file) wrote: "daily 08:00". */
  schedule: string;
  /** The normalised five-field cron expression the schedule stands for. */
  cron: string;
  /** IANA time zone the schedule is read in. */
  timezone: string;
  /** Overrides the configured backfill for the first digest. */
  backfill?: number;
  nothingNew?: NothingNewPolicy;
  /** Story digests: each story gets its own thread in the channel, and its updates go there (unset: off). */
  threads?: boolean;
  /** Story digests: a story with nothing material new is left out or shown in one line (unset: left out). */
  unchanged?: UnchangedPolicy;
  source: 'chat' | 'config';
  status: SubscriptionStatus;
  pausedReason?: string;
  pausedAt?: string;
  /** Slots before this instant are never delivered: creation, or the last resume. */
  activeSince: string;
  /** The library position when the subscription began. */
  startPosition: number;
  createdAt: string;
  createdBy?: string;
  updatedAt: string;
}

/** What a new subscription is made of; the store adds the id, status and bookkeeping. */
export type SubscriptionInput = Pick<Subscription, 'platform' | 'channelId' | 'schedule' | 'cron' | 'timezone' | 'source'> &
  Partial<Pick<Subscription, 'workspace' | 'channelName' | 'backfill' | 'nothingNew' | 'threads' | 'unchanged' | 'createdBy'>>;

interface Row {
  id: number;
  platform: PlatformName;
  channel_id: string;
  workspace: string | null;
  channel_name: string | null;
  schedule: string;
  cron: string;
  timezone: string;
  backfill: number | null;
  nothing_new: NothingNewPolicy | null;
  threads: number | null;
  unchanged: UnchangedPolicy | null;
  source: 'chat' | 'config';
  status: SubscriptionStatus;
  paused_reason: string | null;
  paused_at: string | null;
  active_since: string;
  start_position: number;
  created_at: string;
  created_by: string | null;
  updated_at: string;
}

function fromRow(row: Row): Subscription {
  const s: Subscription = {
    id: row.id,
    platform: row.platform,
    channelId: row.channel_id,
    schedule: row.schedule,
    cron: row.cron,
    timezone: row.timezone,
    source: row.source,
    status: row.status,
    activeSince: row.active_since,
    startPosition: row.start_position,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.workspace !== null) s.workspace = row.workspace;
  if (row.channel_name !== null) s.channelName = row.channel_name;
  if (row.backfill !== null) s.backfill = row.backfill;
  if (row.nothing_new !== null) s.nothingNew = row.nothing_new;
  if (row.threads !== null) s.threads = row.threads === 1;
  if (row.unchanged !== null) s.unchanged = row.unchanged;
  if (row.paused_reason !== null) s.pausedReason = row.paused_reason;
  if (row.paused_at !== null) s.pausedAt = row.paused_at;
  if (row.created_by !== null) s.createdBy = row.created_by;
  return s;
}

export interface SaveResult {
  subscription: Subscription;
  /** 'created': a new subscription; 'resumed': a paused one is active again; 'updated': a live one changed; 'unchanged'. */
  change: 'created' | 'resumed' | 'updated' | 'unchanged';
}

export interface SubscriptionStore {
  /** Creates the channel's subscription, or updates (and resumes) the live one. */
  save(input: SubscriptionInput, now: Date, position: number): Promise<SaveResult>;
  get(id: number): Promise<Subscription | undefined>;
  /** The channel's live (active or paused) subscription. */
  forChannel(platform: PlatformName, channelId: string): Promise<Subscription | undefined>;
  /** Active and paused subscriptions. */
  live(): Promise<Subscription[]>;
  active(): Promise<Subscription[]>;
  pause(id: number, reason: string, now: Date): Promise<void>;
  remove(id: number, now: Date): Promise<void>;
}

/** Whether saving `input` over `existing` changes nothing (both implementations decide alike). */
export function unchangedBy(existing: Subscription, input: SubscriptionInput): boolean {
  return (
    existing.status === 'active' &&
    existing.cron === input.cron &&
    existing.timezone === input.timezone &&
    existing.schedule === input.schedule &&
    existing.backfill === input.backfill &&
    existing.nothingNew === input.nothingNew &&
    existing.threads === input.threads &&
    existing.unchanged === input.unchanged &&
    existing.source === input.source
  );
}

export function createSubscriptionStore(db: Database): SubscriptionStore {
  const byId = db.prepare<[number], Row>('SELECT * FROM subscriptions WHERE id = ?');
  const byChannel = db.prepare<[string, string], Row>("SELECT * FROM subscriptions WHERE platform = ? AND channel_id = ? AND status <> 'removed'");
  const live = db.prepare<[], Row>("SELECT * FROM subscriptions WHERE status <> 'removed' ORDER BY id");
  const active = db.prepare<[], Row>("SELECT * FROM subscriptions WHERE status = 'active' ORDER BY id");
  const insert = db.prepare(`
    INSERT INTO subscriptions (platform, channel_id, workspace, channel_name, schedule, cron, timezone, backfill, nothing_new,
      threads, unchanged, source, status, active_since, start_position, created_at, created_by, updated_at)
    VALUES (@platform, @channelId, @workspace, @channelName, @schedule, @cron, @timezone, @backfill, @nothingNew,
      @threads, @unchanged, @source, 'active', @now, @position, @now, @createdBy, @now)`);
  const update = db.prepare(`
    UPDATE subscriptions SET workspace = COALESCE(@workspace, workspace), channel_name = COALESCE(@channelName, channel_name),
      schedule = @schedule, cron = @cron, timezone = @timezone, backfill = @backfill, nothing_new = @nothingNew,
      threads = @threads, unchanged = @unchanged, source = @source,
      status = 'active', paused_reason = NULL, paused_at = NULL,
      active_since = CASE WHEN status = 'paused' THEN @now ELSE active_since END, updated_at = @now
    WHERE id = @id`);
  const pause = db.prepare("UPDATE subscriptions SET status = 'paused', paused_reason = ?, paused_at = ?, updated_at = ? WHERE id = ? AND status = 'active'");
  const remove = db.prepare("UPDATE subscriptions SET status = 'removed', updated_at = ? WHERE id = ? AND status <> 'removed'");

  const saveNow = db.transaction((input: SubscriptionInput, now: Date, position: number): SaveResult => {
    const iso = now.toISOString();
    const params = {
      platform: input.platform,
      channelId: input.channelId,
      workspace: input.workspace ?? null,
      channelName: input.channelName ?? null,
      schedule: input.schedule,
      cron: input.cron,
      timezone: input.timezone,
      backfill: input.backfill ?? null,
      nothingNew: input.nothingNew ?? null,
      threads: input.threads === undefined ? null : input.threads ? 1 : 0,
      unchanged: input.unchanged ?? null,
      source: input.source,
      createdBy: input.createdBy ?? null,
      now: iso,
      position,
    };
    const existing = byChannel.get(input.platform, input.channelId);
    if (!existing) {
      const id = Number(insert.run(params).lastInsertRowid);
      return { subscription: fromRow(byId.get(id)!), change: 'created' };
    }
    if (unchangedBy(fromRow(existing), input)) return { subscription: fromRow(existing), change: 'unchanged' };
    update.run({ ...params, id: existing.id });
    return { subscription: fromRow(byId.get(existing.id)!), change: existing.status === 'paused' ? 'resumed' : 'updated' };
  });

  const store: SubscriptionStore = {
    save: async (input, now, position) => saveNow(input, now, position),
    get: async (id) => {
      const row = byId.get(id);
      return row ? fromRow(row) : undefined;
    },
    forChannel: async (platform, channelId) => {
      const row = byChannel.get(platform, channelId);
      return row ? fromRow(row) : undefined;
    },
    live: async () => live.all().map(fromRow),
    active: async () => active.all().map(fromRow),
    pause: async (id, reason, now) => {
      const iso = now.toISOString();
      pause.run(reason, iso, iso, id);
    },
    remove: async (id, now) => {
      remove.run(now.toISOString(), id);
    },
  };
  return store;
}
