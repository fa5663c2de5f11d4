import type { BriefingChanges } from '../library/library.js';
import type { ArticleRevision, FeedSource, SeenItem, SeenStatus, SourceStatus } from './ingest-state.js';

/**
 * The ingest state as table rows, shared by the SQLite and PostgreSQL implementations: both
 * tables have the same columns, so a row is read and written one way. What differs is only how
 * each driver carries a boolean (SQLite 0/1, PostgreSQL boolean) and JSON (SQLite text,
 * PostgreSQL JSONB, parsed by the driver), and both are accepted here.
 */

export type SqlValue = string | number | boolean | null;

export interface SourceRow {
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
  primed: boolean | 0 | 1;
  last_polled_at: string | null;
  last_success_at: string | null;
  next_poll_at: string | null;
  consecutive_failures: number;
  last_error: string | null;
  status: SourceStatus;
  delivered: number;
}

export interface SeenRow {
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

export interface RevisionRow {
  article_id: string;
  number: number;
  content_hash: string;
  at: string;
  source: string;
  changes: string | BriefingChanges | null;
}

/** Every field of a FeedSource as a column value, in column order: a field added to the type and not stored fails to compile. */
export function sourceFields(s: FeedSource): Record<keyof FeedSource, SqlValue> {
  return {
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
}

export function sourceFromRow(row: SourceRow): FeedSource {
  const s: FeedSource = {
    id: row.id,
    url: row.url,
    origin: row.origin,
    addedAt: row.added_at,
    intervalMinutes: row.interval_minutes,
    primed: row.primed === true || row.primed === 1,
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

/** Every field of a SeenItem as a column value, in column order. */
export function seenFields(item: SeenItem): Record<keyof SeenItem, SqlValue> {
  return {
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
}

export function seenFromRow(row: SeenRow): SeenItem {
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

export function revisionFromRow(row: RevisionRow): ArticleRevision {
  const r: ArticleRevision = { articleId: row.article_id, number: row.number, contentHash: row.content_hash, at: row.at, source: row.source };
  if (row.changes !== null) r.changes = typeof row.changes === 'string' ? (JSON.parse(row.changes) as BriefingChanges) : row.changes;
  return r;
}
