import { asyncIngestState, createProcessClaims, type ArticleRevision, type FeedSource, type IngestState, type SeenItem, type SeenQuery, type SeenStatus, type SyncIngestState } from './ingest-state.js';
import { storeOpenError, type Store } from '../store/store.js';
import { revisionFromRow, seenFields, seenFromRow, sourceFields, sourceFromRow, type RevisionRow, type SeenRow, type SourceRow, type SqlValue } from './ingest-rows.js';

/**
 * Ingestion state on the SQLite store, so the bot remembers across restarts which feeds are
 * primed (and their validators), every item already seen, and each article's revisions: an item
 * published or edited while the bot was down is delivered when it comes back, not filed as backlog.
 * Behaves like `createMemoryIngestState` (test/store/sqlite-ingest-state.test.ts runs the same
 * contract). Where several seen items share a canonical URL, the one saved last answers, as in memory.
 * Claims on items (claimSeen) are kept in the process, not the file: one process has the file at a
 * time (../store/lock.ts), so a claim has no other process to exclude and dies with its holder.
 * A revision number an article already has is recorded once: the first stays, a second append of
 * it is ignored (the table's primary key with ON CONFLICT DO NOTHING), as in memory.
 */

/** better-sqlite3 binds no booleans: `primed` is stored as 0 or 1. */
function sourceParams(s: FeedSource): Record<keyof FeedSource, SqlValue> {
  return { ...sourceFields(s), primed: s.primed ? 1 : 0 };
}

function revisionParams(r: ArticleRevision): Record<keyof ArticleRevision, SqlValue> {
  return {
    articleId: r.articleId,
    number: r.number,
    contentHash: r.contentHash,
    at: r.at,
    source: r.source,
    changes: r.changes ? JSON.stringify(r.changes) : null,
  };
}

/** Statements are prepared here: a damaged table is reported as a damaged store naming the file. */
export function createSqliteIngestState(store: Store): IngestState {
  try {
    return asyncIngestState(buildSqliteIngestState(store));
  } catch (error) {
    throw storeOpenError(store.path, error);
  }
}

function buildSqliteIngestState(store: Store): SyncIngestState {
  const db = store.db;

  const listSources = db.prepare<[], SourceRow>('SELECT * FROM feed_sources ORDER BY added_at, first_saved');
  const sourceById = db.prepare<[string], SourceRow>('SELECT * FROM feed_sources WHERE id = ?');
  // An upsert rather than INSERT OR REPLACE, so a source keeps its place among those added at the same instant.
  const saveSource = db.prepare<[Record<keyof FeedSource, SqlValue>]>(`
    INSERT INTO feed_sources (id, first_saved, url, name, title, origin, added_by, added_at, interval_minutes, etag, last_modified,
      primed, last_polled_at, last_success_at, next_poll_at, consecutive_failures, last_error, status, delivered)
    VALUES (@id, (SELECT COALESCE(MAX(first_saved), 0) + 1 FROM feed_sources), @url, @name, @title, @origin, @addedBy, @addedAt,
      @intervalMinutes, @etag, @lastModified, @primed, @lastPolledAt, @lastSuccessAt, @nextPollAt, @consecutiveFailures, @lastError,
      @status, @delivered)
    ON CONFLICT (id) DO UPDATE SET url = excluded.url, name = excluded.name, title = excluded.title, origin = excluded.origin,
      added_by = excluded.added_by, added_at = excluded.added_at, interval_minutes = excluded.interval_minutes, etag = excluded.etag,
      last_modified = excluded.last_modified, primed = excluded.primed, last_polled_at = excluded.last_polled_at,
      last_success_at = excluded.last_success_at, next_poll_at = excluded.next_poll_at,
      consecutive_failures = excluded.consecutive_failures, last_error = excluded.last_error, status = excluded.status,
      delivered = excluded.delivered`);
  const removeSource = db.prepare<[string]>('DELETE FROM feed_sources WHERE id = ?');

  const seenByKey = db.prepare<[string, string], SeenRow>('SELECT * FROM seen_items WHERE source_id = ? AND key = ?');
  const seenByUrl = db.prepare<[string], SeenRow>('SELECT * FROM seen_items WHERE canonical_url = ? ORDER BY last_saved DESC LIMIT 1');
  const saveSeen = db.prepare<[Record<keyof SeenItem, SqlValue>]>(`
    INSERT INTO seen_items (source_id, key, guid, canonical_url, content_hash, article_id, status, first_seen_at, last_seen_at, error, last_saved)
    VALUES (@sourceId, @key, @guid, @canonicalUrl, @contentHash, @articleId, @status, @firstSeenAt, @lastSeenAt, @error,
      (SELECT COALESCE(MAX(last_saved), 0) + 1 FROM seen_items))
    ON CONFLICT (source_id, key) DO UPDATE SET guid = excluded.guid, canonical_url = excluded.canonical_url,
      content_hash = excluded.content_hash, article_id = excluded.article_id, status = excluded.status,
      first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at, error = excluded.error,
      last_saved = excluded.last_saved`);
  const countSeen = db.prepare<[string], { status: SeenStatus; n: number }>('SELECT status, COUNT(*) AS n FROM seen_items WHERE source_id = ? GROUP BY status');

  const appendRevision = db.prepare<[Record<keyof ArticleRevision, SqlValue>]>(`
    INSERT INTO article_revisions (article_id, number, content_hash, at, source, changes)
    VALUES (@articleId, @number, @contentHash, @at, @source, @changes)
    ON CONFLICT (article_id, number) DO NOTHING`);
  const revisionsOf = db.prepare<[string], RevisionRow>('SELECT * FROM article_revisions WHERE article_id = ? ORDER BY number');

  const findSeen = ({ sourceId, key, canonicalUrl }: SeenQuery): SeenItem | undefined => {
    const row = seenByKey.get(sourceId, key) ?? (canonicalUrl ? seenByUrl.get(canonicalUrl) : undefined);
    return row ? seenFromRow(row) : undefined;
  };

  return {
    listSources: () => listSources.all().map(sourceFromRow),
    getSource: (id) => {
      const row = sourceById.get(id);
      return row ? sourceFromRow(row) : undefined;
    },
    saveSource: (source) => {
      saveSource.run(sourceParams(source));
    },
    removeSource: (id) => removeSource.run(id).changes > 0,

    findSeen,
    ...createProcessClaims(findSeen),
    saveSeen: (item) => {
      saveSeen.run(seenFields(item));
    },
    countSeen: (sourceId) => {
      const counts: Record<SeenStatus, number> = { backlog: 0, delivered: 0, failed: 0 };
      for (const row of countSeen.all(sourceId)) counts[row.status] = row.n;
      return counts;
    },

    appendRevision: (revision) => appendRevision.run(revisionParams(revision)).changes > 0,
    listRevisions: (articleId) => revisionsOf.all(articleId).map(revisionFromRow),
  };
}
