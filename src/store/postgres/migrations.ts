import { BriefbotError } from '../../errors.js';
import type { PostgresPool } from './pool.js';

/**
 * The PostgreSQL schema, as numbered SQL steps (the SQLite store's steps are in ../migrations.ts).
 * Steps are append-only: a released step is never edited, a change is a new step. The table
 * `briefbot_migrations` records each step applied, once.
 *
 * Several replicas may start together on one database: each takes the same session-level advisory
 * lock before looking at the recorded version, so one applies the steps while the others wait,
 * then find nothing left to do. A replica that dies holding the lock loses it with its connection.
 */

export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/** The advisory lock key every briefbot migrator takes (an arbitrary constant: "briefbot" in ASCII, 64-bit). */
export const MIGRATION_LOCK_KEY = 0x6272_6965_6662_6f74n;

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'subscriptions and digest deliveries, with delivery claims for several replicas',
    sql: `
      CREATE TABLE subscriptions (
        id             BIGSERIAL PRIMARY KEY,
        platform       TEXT NOT NULL CHECK (platform IN ('discord', 'slack')),
        channel_id     TEXT NOT NULL,
        workspace      TEXT,
        channel_name   TEXT,
        schedule       TEXT NOT NULL,
        cron           TEXT NOT NULL,
        timezone       TEXT NOT NULL,
        backfill       INTEGER,
        nothing_new    TEXT CHECK (nothing_new IN ('skip', 'note')),
        source         TEXT NOT NULL CHECK (source IN ('chat', 'config')),
        status         TEXT NOT NULL CHECK (status IN ('active', 'paused', 'removed')),
        paused_reason  TEXT,
        paused_at      TIMESTAMPTZ,
        -- slots before this instant are never delivered (creation, or the last resume).
        active_since   TIMESTAMPTZ NOT NULL,
        -- the library position when the subscription began: its first digest starts there.
        start_position BIGINT NOT NULL,
        created_at     TIMESTAMPTZ NOT NULL,
        created_by     TEXT,
        updated_at     TIMESTAMPTZ NOT NULL
      );
      -- One live subscription per channel; removed ones stay as history.
      CREATE UNIQUE INDEX subscriptions_channel ON subscriptions (platform, channel_id) WHERE status <> 'removed';

      CREATE TABLE deliveries (
        id               BIGSERIAL PRIMARY KEY,
        subscription_id  BIGINT NOT NULL REFERENCES subscriptions (id),
        -- the scheduled instant this digest is for.
        slot             TIMESTAMPTZ NOT NULL,
        status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'skipped', 'failed', 'expired')),
        items            INTEGER NOT NULL,
        -- the library position the digest covers up to: the next one starts after it.
        through_position BIGINT NOT NULL,
        -- the rendered messages, fixed when the slot is recorded so a resumed send repeats them exactly.
        parts            JSONB NOT NULL,
        parts_sent       INTEGER NOT NULL DEFAULT 0,
        refs             JSONB NOT NULL DEFAULT '[]',
        -- a part whose send started and was not confirmed: it may have landed.
        attempted_part   INTEGER,
        attempts         INTEGER NOT NULL DEFAULT 0,
        last_error       TEXT,
        -- the replica sending this delivery now, and until when its claim holds: a replica that
        -- dies stops renewing, and another takes the delivery over once the claim has expired.
        claimed_by       TEXT,
        claimed_until    TIMESTAMPTZ,
        created_at       TIMESTAMPTZ NOT NULL,
        updated_at       TIMESTAMPTZ NOT NULL,
        finished_at      TIMESTAMPTZ,
        UNIQUE (subscription_id, slot)
      );
      CREATE INDEX deliveries_pending ON deliveries (slot, id) WHERE status = 'pending';
      CREATE INDEX deliveries_by_subscription ON deliveries (subscription_id, slot DESC);
    `,
  },
  {
    version: 2,
    name: 'feed polling leases: which replica polls a feed, and until when',
    sql: `
      CREATE TABLE feed_leases (
        source_id   TEXT PRIMARY KEY,
        owner       TEXT NOT NULL,
        lease_until TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'the briefing library: versioned briefings with their articles, and quote search on tsvector',
    sql: `
      -- Text compared or sorted is COLLATE "C" (byte order), as SQLite compares: both stores list
      -- and page in the same order whatever locale the database was created with.
      CREATE TABLE briefings (
        -- ingestion order, what digests count "new" by: given under a lock at insert (max + 1), so
        -- positions have no gaps and commit in order, and a digest cursor never passes one still to commit.
        position       BIGINT PRIMARY KEY,
        id             TEXT COLLATE "C" NOT NULL UNIQUE,
        title          TEXT NOT NULL,
        published      TEXT COLLATE "C",
        -- published date, else ingestion time: the "newest first" order of every listing.
        sort_key       TEXT COLLATE "C" NOT NULL,
        ingested_at    TEXT COLLATE "C" NOT NULL,
        content_hash   TEXT NOT NULL,
        source         TEXT,
        -- folded file name of the source without extension, for "find by file name".
        source_key     TEXT COLLATE "C",
        -- folded title, TL;DR, id and tags, for listing filters.
        search_text    TEXT NOT NULL,
        -- the whole library entry (briefing, revision record, anything added later).
        entry          JSONB NOT NULL,
        -- the engine and schema that made the briefing, and the article it was made from, so it
        -- can be made again when the engine improves.
        engine_version INTEGER NOT NULL,
        schema_version INTEGER NOT NULL,
        article        JSONB
      );
      CREATE INDEX briefings_newest ON briefings (sort_key DESC, ingested_at DESC, id);
      CREATE INDEX briefings_source_key ON briefings (source_key);
      CREATE INDEX briefings_versions ON briefings (engine_version, schema_version);

      CREATE TABLE quotes (
        position      BIGINT NOT NULL REFERENCES briefings (position) ON DELETE CASCADE,
        idx           INTEGER NOT NULL,
        text          TEXT NOT NULL,
        speaker       TEXT COLLATE "C",
        role          TEXT,
        sentence      INTEGER NOT NULL,
        -- the quote's words and the speaker's name as the library folds them (lower case, no
        -- accents, no stop words), written as tsvector values with their positions: no text search
        -- parser, whose idea of a word depends on the server's locale, stands between them and the
        -- terms FTS5 and the in-memory index hold.
        words         tsvector NOT NULL,
        speaker_words tsvector NOT NULL,
        -- how many terms the quote and its speaker's name hold: BM25's document length.
        tokens        INTEGER NOT NULL,
        PRIMARY KEY (position, idx)
      );
      CREATE INDEX quotes_words ON quotes USING GIN (words);
      CREATE INDEX quotes_speaker_words ON quotes USING GIN (speaker_words);
      CREATE INDEX quotes_speaker ON quotes (speaker);
    `,
  },
  {
    version: 4,
    name: 'ingest state: feed sources, seen items with claims for several replicas, and article revisions',
    sql: `
      -- Times are ISO 8601 text (COLLATE "C", byte order) as the SQLite store keeps them: both
      -- answer with exactly the strings saved, and order alike.
      CREATE TABLE feed_sources (
        id                   TEXT COLLATE "C" PRIMARY KEY,
        -- the order the source was first saved in, never changed by a later save (an upsert keeps
        -- it): sources added at the same instant list in this order.
        first_saved          BIGINT GENERATED ALWAYS AS IDENTITY,
        url                  TEXT NOT NULL,
        name                 TEXT,
        title                TEXT,
        origin               TEXT NOT NULL CHECK (origin IN ('config', 'chat')),
        added_by             TEXT,
        added_at             TEXT COLLATE "C" NOT NULL,
        interval_minutes     INTEGER NOT NULL,
        etag                 TEXT,
        last_modified        TEXT,
        primed               BOOLEAN NOT NULL,
        last_polled_at       TEXT,
        last_success_at      TEXT,
        next_poll_at         TEXT,
        consecutive_failures INTEGER NOT NULL,
        last_error           TEXT,
        status               TEXT NOT NULL CHECK (status IN ('ok', 'failing')),
        delivered            INTEGER NOT NULL
      );
      CREATE INDEX feed_sources_order ON feed_sources (added_at, first_saved);

      -- No foreign key to feed_sources: a removed source's items stay seen, and folders and links
      -- record items under source ids that are not feeds.
      CREATE SEQUENCE seen_items_saved;
      CREATE TABLE seen_items (
        source_id     TEXT COLLATE "C" NOT NULL,
        key           TEXT COLLATE "C" NOT NULL,
        guid          TEXT,
        canonical_url TEXT COLLATE "C",
        content_hash  TEXT NOT NULL,
        article_id    TEXT,
        status        TEXT NOT NULL CHECK (status IN ('backlog', 'delivered', 'failed')),
        first_seen_at TEXT NOT NULL,
        last_seen_at  TEXT NOT NULL,
        error         TEXT,
        -- raised on every save: when several items share a canonical URL, the last one saved answers.
        last_saved    BIGINT NOT NULL DEFAULT nextval('seen_items_saved'),
        PRIMARY KEY (source_id, key)
      );
      CREATE INDEX seen_items_canonical_url ON seen_items (canonical_url, last_saved DESC) WHERE canonical_url IS NOT NULL;

      -- Who is briefing an item now: the first replica to insert the row (the primary key decides)
      -- briefs it. Keyed by the canonical URL when the item has one, so one story in two feeds
      -- collides, else by source and key. A claim past claimed_until belongs to a replica that died
      -- or stalled, and the next claimant takes it over; token names the holder, so a late release
      -- never deletes a takeover.
      CREATE TABLE seen_claims (
        claim_key     TEXT COLLATE "C" PRIMARY KEY,
        token         TEXT NOT NULL,
        claimed_until TIMESTAMPTZ NOT NULL
      );

      -- One row per revision number: two replicas appending the same edit leave one.
      CREATE TABLE article_revisions (
        article_id   TEXT COLLATE "C" NOT NULL,
        number       INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        at           TEXT NOT NULL,
        source       TEXT NOT NULL,
        -- what changed since the previous revision; NULL for revision 1.
        changes      JSONB,
        PRIMARY KEY (article_id, number)
      );
    `,
  },
  {
    version: 5,
    name: 'what replicas share about platform requests: one rate limit kept together (Discord: one global limit per bot token), and the Slack requests already accepted',
    sql: `
      CREATE TABLE request_pace (
        name    TEXT PRIMARY KEY,
        -- the instant the next request may go; each reservation moves it on by one interval.
        next_at TIMESTAMPTZ NOT NULL
      );

      -- Signatures of the Slack requests some replica has accepted, until their timestamps leave
      -- Slack's 5-minute window: a request replayed to any replica is refused.
      CREATE TABLE request_replays (
        key        TEXT PRIMARY KEY,
        expires_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX request_replays_expiry ON request_replays (expires_at);
    `,
  },
  {
    version: 6,
    name: "story digests: a delivery's plan and the thread each part went to, and the ledger of what each channel was told of each story",
    sql: `
      -- What a story digest carries beside its parts (each part's thread, the facts it tells); NULL
      -- for a digest of briefings.
      ALTER TABLE deliveries ADD COLUMN plan JSONB;
      -- One entry per part sent, beside refs: the thread the part went to or opened, or null.
      ALTER TABLE deliveries ADD COLUMN thread_refs JSONB NOT NULL DEFAULT '[]';
      -- Parts sent before this step went to the channel itself: one null each keeps the two lists in step.
      UPDATE deliveries SET thread_refs = (SELECT jsonb_agg(NULL::text) FROM jsonb_array_elements(deliveries.refs)) WHERE jsonb_array_length(refs) > 0;

      -- Written only in the transaction that marks a delivery delivered, from its plan: the
      -- channel's record of a story (its thread) and of each fact, with the slot that told it.
      -- Story ids and keys are compared and ordered as bytes (COLLATE "C"), as SQLite does.
      CREATE TABLE story_ledger (
        subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
        story           TEXT COLLATE "C" NOT NULL,
        thread          TEXT,
        told_at         TIMESTAMPTZ NOT NULL,
        delivery_id     BIGINT NOT NULL REFERENCES deliveries (id),
        PRIMARY KEY (subscription_id, story)
      );
      CREATE TABLE story_facts (
        subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
        story           TEXT COLLATE "C" NOT NULL,
        key             TEXT COLLATE "C" NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('point', 'figure', 'quote', 'outlet')),
        value           TEXT NOT NULL,
        text            TEXT NOT NULL,
        -- the fact's place in its telling: facts told together come back in the order told.
        position        INTEGER NOT NULL,
        told_at         TIMESTAMPTZ NOT NULL,
        delivery_id     BIGINT NOT NULL REFERENCES deliveries (id),
        PRIMARY KEY (subscription_id, story, key)
      );
    `,
  },
  {
    version: 7,
    name: 'subscription settings for story digests: threads, and what to do with a story with nothing new',
    sql: `
      -- NULL: not set (threads off; a story with nothing new left out).
      ALTER TABLE subscriptions ADD COLUMN threads BOOLEAN;
      ALTER TABLE subscriptions ADD COLUMN unchanged TEXT CHECK (unchanged IN ('skip', 'line'));
    `,
  },
  {
    version: 8,
    name: 'housekeeping: the story ledger by when each story was last told, deliveries by when they finished',
    sql: `
      CREATE INDEX story_ledger_told_at ON story_ledger (told_at);
      CREATE INDEX deliveries_finished_at ON deliveries (finished_at) WHERE finished_at IS NOT NULL;
    `,
  },
  {
    version: 9,
    name: 'the source of a quote whose speaker the article describes but does not name, beside the index',
    sql: `
      ALTER TABLE quotes ADD COLUMN source TEXT;
      UPDATE quotes q SET source = b.entry->'briefing'->'quotes'->q.idx->>'source'
        FROM briefings b
       WHERE b.position = q.position AND b.entry->'briefing'->'quotes'->q.idx->>'source' IS NOT NULL;
    `,
  },
];

export interface MigrationResult {
  from: number;
  to: number;
  /** The steps this call applied: empty when another process had already applied them. */
  applied: number[];
}

/** Applies the steps the database has not recorded, under the migration lock. */
export async function migratePostgres(pool: PostgresPool, migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS): Promise<MigrationResult> {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const client = await pool.connect();
  let locked = false;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    locked = true;
    await client.query(`
      CREATE TABLE IF NOT EXISTS briefbot_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM briefbot_migrations');
    const from = rows[0]?.v ?? 0;
    if (from > latest) {
      throw new BriefbotError('unavailable', `the PostgreSQL database is at schema version ${from}, newer than this briefbot knows (${latest}): upgrade briefbot`);
    }
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= from) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO briefbot_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new BriefbotError('io', `PostgreSQL schema step ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(migration.version);
    }
    return { from, to: Math.max(from, latest), applied };
  } finally {
    if (locked) await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]).catch(() => undefined);
    client.release();
  }
}
