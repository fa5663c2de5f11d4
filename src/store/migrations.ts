import type { Database } from 'better-sqlite3';

/**
 * The store's schema, as numbered steps. A database records the last step applied in
 * `PRAGMA user_version`; opening it applies the steps after that one, each in its own
 * transaction. Steps are append-only: a released step is never edited, a change is a new step.
 */

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'briefings, quote search, subscriptions, deliveries',
    up(db) {
      db.exec(`
        -- position: ingestion order, never reused (AUTOINCREMENT), what digests count "new" by.
        CREATE TABLE briefings (
          position     INTEGER PRIMARY KEY AUTOINCREMENT,
          id           TEXT NOT NULL UNIQUE,
          title        TEXT NOT NULL,
          published    TEXT,
          -- published date, else ingestion time: the "newest first" order of every listing.
          sort_key     TEXT NOT NULL,
          ingested_at  TEXT NOT NULL,
          content_hash TEXT NOT NULL,
          source       TEXT,
          -- folded file name of the source without extension, for "find by file name".
          source_key   TEXT,
          -- folded title, TL;DR, id and tags, for listing filters.
          search_text  TEXT NOT NULL,
          -- the whole library entry (briefing, revision record, anything added later), as JSON.
          json         TEXT NOT NULL
        );
        CREATE INDEX briefings_newest ON briefings (sort_key DESC, ingested_at DESC, id);
        CREATE INDEX briefings_source_key ON briefings (source_key);

        CREATE TABLE quotes (
          quote_id   INTEGER PRIMARY KEY,
          position   INTEGER NOT NULL REFERENCES briefings (position) ON DELETE CASCADE,
          idx        INTEGER NOT NULL,
          speaker    TEXT,
          UNIQUE (position, idx)
        );
        CREATE INDEX quotes_speaker ON quotes (speaker);

        -- Quote words and speaker names, already folded by the library (lower case, no accents,
        -- no stop words) so that FTS5 tokens are exactly the in-memory index's terms.
        CREATE VIRTUAL TABLE quotes_fts USING fts5 (words, speaker, tokenize = 'unicode61 remove_diacritics 0');

        CREATE TABLE subscriptions (
          id             INTEGER PRIMARY KEY,
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
          paused_at      TEXT,
          -- slots before this instant are never delivered (creation, or the last resume).
          active_since   TEXT NOT NULL,
          -- the library position when the subscription began: its first digest starts there.
          start_position INTEGER NOT NULL,
          created_at     TEXT NOT NULL,
          created_by     TEXT,
          updated_at     TEXT NOT NULL
        );
        -- One live subscription per channel; removed ones stay as history.
        CREATE UNIQUE INDEX subscriptions_channel ON subscriptions (platform, channel_id) WHERE status <> 'removed';

        CREATE TABLE deliveries (
          id               INTEGER PRIMARY KEY,
          subscription_id  INTEGER NOT NULL REFERENCES subscriptions (id),
          -- the scheduled instant this digest is for (ISO 8601, UTC).
          slot             TEXT NOT NULL,
          status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'skipped', 'failed', 'expired')),
          items            INTEGER NOT NULL,
          -- the library position the digest covers up to: the next one starts after it.
          through_position INTEGER NOT NULL,
          -- the rendered messages, fixed when the slot is recorded so a resumed send repeats them exactly.
          parts            TEXT NOT NULL,
          parts_sent       INTEGER NOT NULL DEFAULT 0,
          refs             TEXT NOT NULL DEFAULT '[]',
          -- a part whose send started and was not confirmed: it may have landed.
          attempted_part   INTEGER,
          attempts         INTEGER NOT NULL DEFAULT 0,
          last_error       TEXT,
          created_at       TEXT NOT NULL,
          updated_at       TEXT NOT NULL,
          finished_at      TEXT,
          UNIQUE (subscription_id, slot)
        );
        CREATE INDEX deliveries_pending ON deliveries (status) WHERE status = 'pending';
        CREATE INDEX deliveries_by_subscription ON deliveries (subscription_id, slot DESC);
      `);
    },
  },
  {
    version: 2,
    name: 'quote text, role and sentence beside the index, so a search needs no briefing JSON',
    up(db) {
      db.exec(`
        ALTER TABLE quotes ADD COLUMN text TEXT NOT NULL DEFAULT '';
        ALTER TABLE quotes ADD COLUMN role TEXT;
        ALTER TABLE quotes ADD COLUMN sentence INTEGER NOT NULL DEFAULT 0;
      `);
      const update = db.prepare('UPDATE quotes SET text = ?, role = ?, sentence = ? WHERE position = ? AND idx = ?');
      // Read in pages: better-sqlite3 cannot write while a read is still iterating on the same connection.
      const page = db.prepare<[number], { position: number; json: string }>('SELECT position, json FROM briefings WHERE position > ? ORDER BY position LIMIT 500');
      for (let rows = page.all(0); rows.length > 0; rows = page.all(rows[rows.length - 1]!.position)) {
        for (const row of rows) {
          const entry = JSON.parse(row.json) as { briefing: { quotes: Array<{ text: string; role?: string; sentence: number }> } };
          entry.briefing.quotes.forEach((q, idx) => update.run(q.text, q.role ?? null, q.sentence, row.position, idx));
        }
      }
    },
  },
  {
    version: 3,
    name: 'ingestion state: feed sources, seen items, article revisions',
    up(db) {
      db.exec(`
        CREATE TABLE feed_sources (
          id                   TEXT PRIMARY KEY,
          -- the order the source was first saved in, never changed by a later save: sources added
          -- at the same instant list in this order (an explicit column, as VACUUM may renumber rowids).
          first_saved          INTEGER NOT NULL,
          url                  TEXT NOT NULL,
          name                 TEXT,
          title                TEXT,
          origin               TEXT NOT NULL CHECK (origin IN ('config', 'chat')),
          added_by             TEXT,
          added_at             TEXT NOT NULL,
          interval_minutes     INTEGER NOT NULL,
          etag                 TEXT,
          last_modified        TEXT,
          primed               INTEGER NOT NULL CHECK (primed IN (0, 1)),
          last_polled_at       TEXT,
          last_success_at      TEXT,
          next_poll_at         TEXT,
          consecutive_failures INTEGER NOT NULL,
          last_error           TEXT,
          status               TEXT NOT NULL CHECK (status IN ('ok', 'failing')),
          delivered            INTEGER NOT NULL
        );

        -- No foreign key to feed_sources: a removed source's items stay seen, and folders and links
        -- record items under source ids that are not feeds.
        CREATE TABLE seen_items (
          source_id     TEXT NOT NULL,
          key           TEXT NOT NULL,
          guid          TEXT,
          canonical_url TEXT,
          content_hash  TEXT NOT NULL,
          article_id    TEXT,
          status        TEXT NOT NULL CHECK (status IN ('backlog', 'delivered', 'failed')),
          first_seen_at TEXT NOT NULL,
          last_seen_at  TEXT NOT NULL,
          error         TEXT,
          -- raised on every save: when several items share a canonical URL, the last one saved answers.
          last_saved    INTEGER NOT NULL,
          PRIMARY KEY (source_id, key)
        );
        CREATE INDEX seen_items_canonical_url ON seen_items (canonical_url, last_saved) WHERE canonical_url IS NOT NULL;
        CREATE INDEX seen_items_last_saved ON seen_items (last_saved);

        CREATE TABLE article_revisions (
          article_id   TEXT NOT NULL,
          number       INTEGER NOT NULL,
          content_hash TEXT NOT NULL,
          at           TEXT NOT NULL,
          source       TEXT NOT NULL,
          -- what changed since the previous revision, as JSON; NULL for revision 1.
          changes      TEXT,
          PRIMARY KEY (article_id, number)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 4,
    name: 'versioned briefings: the engine and schema version beside each briefing, and the article it was made from',
    up(db) {
      db.exec(`
        -- NULL on rows stored before versions were recorded: older than any engine, so re-briefed.
        ALTER TABLE briefings ADD COLUMN engine_version INTEGER;
        ALTER TABLE briefings ADD COLUMN schema_version INTEGER;
        -- The article as briefed (JSON), so any row can be re-briefed without its source (a feed
        -- item cannot be read twice). NULL on older rows: re-briefing reads their source file again.
        ALTER TABLE briefings ADD COLUMN article TEXT;
        -- Covers the search for out-of-date rows, newest first, without reading any briefing JSON.
        CREATE INDEX briefings_versions ON briefings (engine_version, schema_version, sort_key DESC, ingested_at DESC, id);
      `);
    },
  },
  {
    version: 5,
    name: 'delivery claims: which process is sending a pending delivery, and until when',
    up(db) {
      db.exec(`
        -- The same claim as on PostgreSQL (src/store/postgres/migrations.ts), so one contract holds for
        -- both: a delivery is sent by the process that claimed it, and a claim left by a process that
        -- is gone expires (on SQLite, one process per file: opening the store lets go of them all).
        ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
        ALTER TABLE deliveries ADD COLUMN claimed_until TEXT;
      `);
    },
  },
  {
    version: 6,
    name: 'feed polling leases: which process polls a feed, and until when',
    up(db) {
      db.exec(`
        -- No foreign key to feed_sources: a lease outlives nothing, and is taken before the poll reads the source.
        CREATE TABLE feed_leases (
          source_id   TEXT PRIMARY KEY,
          owner       TEXT NOT NULL,
          lease_until TEXT NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 7,
    name: 'story digests: a delivery\'s plan and the thread each part went to, and the ledger of what each channel was told of each story',
    up(db) {
      db.exec(`
        -- What a story digest carries beside its parts (JSON: each part's thread, the facts it tells);
        -- NULL for a digest of briefings.
        ALTER TABLE deliveries ADD COLUMN plan TEXT;
        -- One entry per part sent, beside refs: the thread the part went to or opened, or null.
        ALTER TABLE deliveries ADD COLUMN thread_refs TEXT NOT NULL DEFAULT '[]';
        -- Parts sent before this step went to the channel itself: one null each keeps the two lists in step.
        UPDATE deliveries SET thread_refs = (SELECT json_group_array(NULL) FROM json_each(deliveries.refs)) WHERE json_array_length(refs) > 0;

        -- Written only in the transaction that marks a delivery delivered, from its plan: the
        -- channel's record of a story (its thread) and of each fact, with the slot that told it.
        CREATE TABLE story_ledger (
          subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
          story           TEXT NOT NULL,
          thread          TEXT,
          told_at         TEXT NOT NULL,
          delivery_id     INTEGER NOT NULL REFERENCES deliveries (id),
          PRIMARY KEY (subscription_id, story)
        ) WITHOUT ROWID;
        CREATE TABLE story_facts (
          subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
          story           TEXT NOT NULL,
          key             TEXT NOT NULL,
          kind            TEXT NOT NULL CHECK (kind IN ('point', 'figure', 'quote', 'outlet')),
          value           TEXT NOT NULL,
          text            TEXT NOT NULL,
          -- the fact's place in its telling: facts told together come back in the order told.
          position        INTEGER NOT NULL,
          told_at         TEXT NOT NULL,
          delivery_id     INTEGER NOT NULL REFERENCES deliveries (id),
          PRIMARY KEY (subscription_id, story, key)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 8,
    name: 'subscription settings for story digests: threads, and what to do with a story with nothing new',
    up(db) {
      db.exec(`
        -- NULL: not set (threads off; a story with nothing new left out).
        ALTER TABLE subscriptions ADD COLUMN threads INTEGER CHECK (threads IN (0, 1));
        ALTER TABLE subscriptions ADD COLUMN unchanged TEXT CHECK (unchanged IN ('skip', 'line'));
      `);
    },
  },
  {
    version: 9,
    name: 'housekeeping: the story ledger by when each story was last told, deliveries by when they finished',
    up(db) {
      db.exec(`
        CREATE INDEX story_ledger_told_at ON story_ledger (told_at);
        CREATE INDEX deliveries_finished_at ON deliveries (finished_at) WHERE finished_at IS NOT NULL;
      `);
    },
  },
  {
    version: 10,
    name: 'the source of a quote whose speaker the article describes but does not name, beside the index',
    up(db) {
      db.exec('ALTER TABLE quotes ADD COLUMN source TEXT');
      const update = db.prepare('UPDATE quotes SET source = ? WHERE position = ? AND idx = ?');
      // Read in pages, as in version 2: no write while a read is still iterating on the connection.
      const page = db.prepare<[number], { position: number; json: string }>('SELECT position, json FROM briefings WHERE position > ? ORDER BY position LIMIT 500');
      for (let rows = page.all(0); rows.length > 0; rows = page.all(rows[rows.length - 1]!.position)) {
        for (const row of rows) {
          // A row that does not read is left as it is: the library reports it and re-briefs it,
          // which writes its quotes again.
          let entry: { briefing?: { quotes?: Array<{ source?: unknown }> } };
          try {
            entry = JSON.parse(row.json) as typeof entry;
          } catch {
            continue;
          }
          const quotes = entry?.briefing?.quotes;
          if (!Array.isArray(quotes)) continue;
          quotes.forEach((q, idx) => {
            if (typeof q?.source === 'string' && q.source) update.run(q.source, row.position, idx);
          });
        }
      }
    },
  },
];

/** Applies the steps the database has not seen; returns the versions before and after. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (from > latest) {
    throw new Error(`the database is at schema version ${from}, newer than this briefbot knows (${latest}); upgrade briefbot`);
  }
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return { from, to: Math.max(from, latest) };
}
