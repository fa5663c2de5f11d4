import { randomUUID } from 'node:crypto';
import type { PostgresPool } from '../store/postgres/pool.js';
import { revisionFromRow, seenFields, seenFromRow, sourceFields, sourceFromRow, type RevisionRow, type SeenRow, type SourceRow } from './ingest-rows.js';
import { claimKeyFor, DEFAULT_SEEN_CLAIM_MS, type IngestState, type SeenItem, type SeenQuery, type SeenStatus } from './ingest-state.js';

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

const SOURCE_COLUMNS = 'id, url, name, title, origin, added_by, added_at, interval_minutes, etag, last_modified, primed, last_polled_at, last_success_at, next_poll_at, consecutive_failures, last_error, status, delivered';
const SEEN_COLUMNS = 'source_id, key, guid, canonical_url, content_hash, article_id, status, first_seen_at, last_seen_at, error';

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
      await pool.query(`INSERT INTO feed_sources (${SOURCE_COLUMNS}) VALUES (${placeholders(1, 18)}) ON CONFLICT (id) DO UPDATE SET ${updates}`, Object.values(sourceFields(source)));
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
        Object.values(seenFields(item)),
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
