import { randomUUID } from 'node:crypto';
import type { BriefingChanges } from '../library/library.js';
import type { PostgresPool } from '../store/postgres/pool.js';
import { claimKeyFor, DEFAULT_SEEN_CLAIM_MS, type ArticleRevision, type FeedSource, type IngestState, type SeenItem, type SeenQuery, type SeenStatus, type SourceStatus } from './ingest-state.js';

/**
 * The ingest state on PostgreSQL (schema step 4 in ../store/postgres/migrations.ts), for several
 * replicas sharing one database. It answers as the memory and SQLite versions do (the contract in
 * test/ingest/ingest-state-contract.ts runs on all three), and where replicas race it settles the
 * race in the database, in one statement each:
 * - a claim on an item is an INSERT … ON CONFLICT DO UPDATE … WHERE the held claim has expired:
 *   the conflicting row is locked and the condition checked on its latest version, so of replicas
 *   claiming at once exactly one gets a free or expired claim, and the others get no row back;
 * - a revision is INSERT … ON CONFLICT DO NOTHING on (article_id, number): the first stays.
 * It lives in ingest/, not store/postgres/, because it implements an ingest port (store/ may not
 * import ingest/).
 */

interface SourceRow {
  id: string;
  url: string;
  name: string | null;
  title: string | null;
  origin: FeedSource['origin'];
  added_by: string | null;
  added_at: string;
  interval_minutes: number;
  etag: string | null;
  last_modified: string | null;
  primed: boolean;
  last_polled_at: string | null;
  last_success_at: string | null;
  next_poll_at: string | null;
  consecutive_failures: number;
  last_error: string | null;
  status: SourceStatus;
  delivered: number;
}

interface SeenRow {
  source_id: string;
  key: string;
  guid: string | null;
  canonical_url: string | null;
  content_hash: string;
  article_id: string | null;
  status: SeenStatus;
  first_seen_at: string;
  last_seen_at: string;
  error: string | null;
}

interface RevisionRow {
  article_id: string;
  number: number;
  content_hash: string;
  at: string;
  source: string;
  changes: BriefingChanges | null;
}

const SOURCE_COLUMNS = 'id, url, name, title, origin, added_by, added_at, interval_minutes, etag, last_modified, primed, last_polled_at, last_success_at, next_poll_at, consecutive_failures, last_error, status, delivered';
const SEEN_COLUMNS = 'source_id, key, guid, canonical_url, content_hash, article_id, status, first_seen_at, last_seen_at, error';

/** Every field of a FeedSource in column order: a field added to the type and not stored here fails to compile. */
function sourceValues(s: FeedSource): unknown[] {
  const row: Record<keyof FeedSource, unknown> = {
    id: s.id,
    url: s.url,
    name: s.name ?? null,
    title: s.title ?? null,
    origin: s.origin,
    addedBy: s.addedBy ?? null,
    addedAt: s.addedAt,
    intervalMinutes: s.intervalMinutes,
    etag: s.etag ?? null,
    lastModified: s.lastModified ?? null,
    primed: s.primed,
    lastPolledAt: s.lastPolledAt ?? null,
    lastSuccessAt: s.lastSuccessAt ?? null,
    nextPollAt: s.nextPollAt ?? null,
    consecutiveFailures: s.consecutiveFailures,
    lastError: s.lastError ?? null,
    status: s.status,
    delivered: s.delivered,
  };
  return Object.values(row);
}

function sourceFromRow(row: SourceRow): FeedSource {
  const s: FeedSource = {
    id: row.id,
    url: row.url,
    origin: row.origin,
    addedAt: row.added_at,
    intervalMinutes: row.interval_minutes,
    primed: row.primed,
    consecutiveFailures: row.consecutive_failures,
    status: row.status,
    delivered: row.delivered,
  };
  if (row.name !== null) s.name = row.name;
  if (row.title !== null) s.title = row.title;
  if (row.added_by !== null) s.addedBy = row.added_by;
  if (row.etag !== null) s.etag = row.etag;
  if (row.last_modified !== null) s.lastModified = row.last_modified;
  if (row.last_polled_at !== null) s.lastPolledAt = row.last_polled_at;
  if (row.last_success_at !== null) s.lastSuccessAt = row.last_success_at;
  if (row.next_poll_at !== null) s.nextPollAt = row.next_poll_at;
  if (row.last_error !== null) s.lastError = row.last_error;
  return s;
}

function seenValues(item: SeenItem): unknown[] {
  const row: Record<keyof SeenItem, unknown> = {
    sourceId: item.sourceId,
    key: item.key,
    guid: item.guid ?? null,
    canonicalUrl: item.canonicalUrl ?? null,
    contentHash: item.contentHash,
    articleId: item.articleId ?? null,
    status: item.status,
    firstSeenAt: item.firstSeenAt,
    lastSeenAt: item.lastSeenAt,
    error: item.error ?? null,
  };
  return Object.values(row);
}

function seenFromRow(row: SeenRow): SeenItem {
  const item: SeenItem = {
    sourceId: row.source_id,
    key: row.key,
    contentHash: row.content_hash,
    status: row.status,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
  };
  if (row.guid !== null) item.guid = row.guid;
  if (row.canonical_url !== null) item.canonicalUrl = row.canonical_url;
  if (row.article_id !== null) item.articleId = row.article_id;
  if (row.error !== null) item.error = row.error;
  return item;
}

function revisionFromRow(row: RevisionRow): ArticleRevision {
  const r: ArticleRevision = { articleId: row.article_id, number: row.number, contentHash: row.content_hash, at: row.at, source: row.source };
  if (row.changes !== null) r.changes = row.changes;
  return r;
}

const placeholders = (from: number, count: number): string => Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');

export function createPostgresIngestState(pool: PostgresPool): IngestState {
  async function findSeen({ sourceId, key, canonicalUrl }: SeenQuery): Promise<SeenItem | undefined> {
    const own = await pool.query<SeenRow>(`SELECT ${SEEN_COLUMNS} FROM seen_items WHERE source_id = $1 AND key = $2`, [sourceId, key]);
    if (own.rows[0]) return seenFromRow(own.rows[0]);
    if (!canonicalUrl) return undefined;
    const byUrl = await pool.query<SeenRow>(`SELECT ${SEEN_COLUMNS} FROM seen_items WHERE canonical_url = $1 ORDER BY last_saved DESC LIMIT 1`, [canonicalUrl]);
    return byUrl.rows[0] ? seenFromRow(byUrl.rows[0]) : undefined;
  }

  return {
    async listSources() {
      const { rows } = await pool.query<SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM feed_sources ORDER BY added_at, first_saved`);
      return rows.map(sourceFromRow);
    },
    async getSource(id) {
      const { rows } = await pool.query<SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM feed_sources WHERE id = $1`, [id]);
      return rows[0] ? sourceFromRow(rows[0]) : undefined;
    },
    async saveSource(source) {
      // An upsert rather than delete and insert, so a source keeps its place (first_saved) among those added at the same instant.
      const updates = SOURCE_COLUMNS.split(', ')
        .filter((c) => c !== 'id')
        .map((c) => `${c} = EXCLUDED.${c}`)
        .join(', ');
      await pool.query(`INSERT INTO feed_sources (${SOURCE_COLUMNS}) VALUES (${placeholders(1, 18)}) ON CONFLICT (id) DO UPDATE SET ${updates}`, sourceValues(source));
    },
    async removeSource(id) {
      const result = await pool.query('DELETE FROM feed_sources WHERE id = $1', [id]);
      return (result.rowCount ?? 0) > 0;
    },

    findSeen,
    async claimSeen(query, { now, ttlMs = DEFAULT_SEEN_CLAIM_MS }) {
      const claim = { claimKey: claimKeyFor(query), token: randomUUID(), until: new Date(now.getTime() + ttlMs).toISOString() };
      const result = await pool.query(
        `INSERT INTO seen_claims (claim_key, token, claimed_until) VALUES ($1, $2, $3)
         ON CONFLICT (claim_key) DO UPDATE SET token = EXCLUDED.token, claimed_until = EXCLUDED.claimed_until
         WHERE seen_claims.claimed_until <= $4`,
        [claim.claimKey, claim.token, claim.until, now.toISOString()],
      );
      if (result.rowCount !== 1) return undefined;
      // Read after the claim: whatever a previous holder saved before letting go is seen here.
      return { claim, seen: await findSeen(query) };
    },
    async releaseSeen(claim) {
      await pool.query('DELETE FROM seen_claims WHERE claim_key = $1 AND token = $2', [claim.claimKey, claim.token]);
    },
    async saveSeen(item) {
      await pool.query(
        `INSERT INTO seen_items (${SEEN_COLUMNS}) VALUES (${placeholders(1, 10)})
         ON CONFLICT (source_id, key) DO UPDATE SET guid = EXCLUDED.guid, canonical_url = EXCLUDED.canonical_url,
           content_hash = EXCLUDED.content_hash, article_id = EXCLUDED.article_id, status = EXCLUDED.status,
           first_seen_at = EXCLUDED.first_seen_at, last_seen_at = EXCLUDED.last_seen_at, error = EXCLUDED.error,
           last_saved = nextval('seen_items_saved')`,
        seenValues(item),
      );
    },
    async countSeen(sourceId) {
      const counts: Record<SeenStatus, number> = { backlog: 0, delivered: 0, failed: 0 };
      const { rows } = await pool.query<{ status: SeenStatus; n: number }>('SELECT status, COUNT(*) AS n FROM seen_items WHERE source_id = $1 GROUP BY status', [sourceId]);
      for (const row of rows) counts[row.status] = row.n;
      return counts;
    },

    async appendRevision(r) {
      const result = await pool.query(
        `INSERT INTO article_revisions (article_id, number, content_hash, at, source, changes) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (article_id, number) DO NOTHING`,
        [r.articleId, r.number, r.contentHash, r.at, r.source, r.changes ? JSON.stringify(r.changes) : null],
      );
      return result.rowCount === 1;
    },
    async listRevisions(articleId) {
      const { rows } = await pool.query<RevisionRow>('SELECT article_id, number, content_hash, at, source, changes FROM article_revisions WHERE article_id = $1 ORDER BY number', [articleId]);
      return rows.map(revisionFromRow);
    },
  };
}
