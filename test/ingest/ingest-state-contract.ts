/**
 * What every IngestState must do, written once so the SQLite store can run the same checks:
 *
 *     describeIngestStateContract('sqlite', () => createSqliteIngestState(openTestDb()));
 */
import { describe, expect, it } from 'vitest';
import type { FeedSource, IngestState, SeenItem } from '../../src/ingest/ingest-state.js';

export function aSource(id: string, over: Partial<FeedSource> = {}): FeedSource {
  return { id, url: `https://${id}.test/feed.xml`, origin: 'chat', addedAt: '2025-06-11T12:00:00.000Z', intervalMinutes: 15, primed: false, consecutiveFailures: 0, status: 'ok', delivered: 0, ...over };
}

export function aSeen(sourceId: string, key: string, over: Partial<SeenItem> = {}): SeenItem {
  return { sourceId, key, contentHash: 'h1', status: 'delivered', firstSeenAt: '2025-06-11T12:00:00.000Z', lastSeenAt: '2025-06-11T12:00:00.000Z', ...over };
}

export function describeIngestStateContract(name: string, make: () => IngestState): void {
  describe(`IngestState contract: ${name}`, () => {
    it('keeps sources oldest first, replaces by id, returns copies, and removes', () => {
      const state = make();
      state.saveSource(aSource('b', { addedAt: '2025-06-11T12:00:00.000Z' }));
      state.saveSource(aSource('a', { addedAt: '2025-06-10T12:00:00.000Z', etag: '"v1"', lastModified: 'Tue, 10 Jun 2025 04:00:00 GMT', lastError: 'boom', name: 'A' }));
      state.saveSource(aSource('c', { addedAt: '2025-06-11T12:00:00.000Z' }));
      expect(state.listSources().map((s) => s.id)).toEqual(['a', 'b', 'c']);
      expect(state.getSource('a')).toEqual(aSource('a', { addedAt: '2025-06-10T12:00:00.000Z', etag: '"v1"', lastModified: 'Tue, 10 Jun 2025 04:00:00 GMT', lastError: 'boom', name: 'A' }));
      const copy = state.getSource('b')!;
      copy.status = 'failing';
      expect(state.getSource('b')!.status).toBe('ok');
      state.saveSource({ ...state.getSource('b')!, status: 'failing', consecutiveFailures: 3, primed: true });
      expect(state.getSource('b')).toMatchObject({ status: 'failing', consecutiveFailures: 3, primed: true });
      // A field left out of the replacement is gone (replace, not merge).
      const { lastError: _dropped, ...withoutError } = state.getSource('a')!;
      state.saveSource(withoutError);
      expect(state.getSource('a')!.lastError).toBeUndefined();
      expect(state.removeSource('b')).toBe(true);
      expect(state.removeSource('b')).toBe(false);
      expect(state.getSource('b')).toBeUndefined();
    });

    it('finds seen items by (source, key), else by canonical URL in any source', () => {
      const state = make();
      state.saveSeen(aSeen('feed-a', 'guid:1', { canonicalUrl: 'https://news.test/a', articleId: 'story-a', guid: '1' }));
      expect(state.findSeen({ sourceId: 'feed-a', key: 'guid:1' })).toMatchObject({ articleId: 'story-a', guid: '1' });
      expect(state.findSeen({ sourceId: 'feed-b', key: 'guid:other', canonicalUrl: 'https://news.test/a' })).toMatchObject({ sourceId: 'feed-a', articleId: 'story-a' });
      expect(state.findSeen({ sourceId: 'feed-b', key: 'guid:1' })).toBeUndefined();
      state.saveSeen(aSeen('feed-a', 'guid:1', { canonicalUrl: 'https://news.test/a', contentHash: 'h2', status: 'delivered' }));
      expect(state.findSeen({ sourceId: 'feed-a', key: 'guid:1' })!.contentHash).toBe('h2');
    });

    it('counts seen items by status per source, and keeps them when the source is removed', () => {
      const state = make();
      state.saveSource(aSource('feed-a'));
      state.saveSeen(aSeen('feed-a', 'guid:1', { status: 'backlog' }));
      state.saveSeen(aSeen('feed-a', 'guid:2', { status: 'backlog' }));
      state.saveSeen(aSeen('feed-a', 'guid:3', { status: 'delivered', articleId: 'x' }));
      state.saveSeen(aSeen('feed-a', 'guid:4', { status: 'failed', error: 'no text' }));
      state.saveSeen(aSeen('feed-b', 'guid:1', { status: 'delivered' }));
      expect(state.countSeen('feed-a')).toEqual({ backlog: 2, delivered: 1, failed: 1 });
      state.removeSource('feed-a');
      expect(state.findSeen({ sourceId: 'feed-a', key: 'guid:3' })).toMatchObject({ articleId: 'x' });
    });

    it('keeps revisions per article, oldest first, with their changes', () => {
      const state = make();
      state.appendRevision({ articleId: 'a', number: 1, contentHash: 'h1', at: '2025-06-11T09:00:00.000Z', source: 'x.md' });
      const changes = { headline: { before: 'A', after: 'B' }, figuresChanged: [], figuresAdded: ['3 things'], figuresRemoved: [], quotesAdded: [], quotesRemoved: [], keyPointsAdded: [] };
      state.appendRevision({ articleId: 'a', number: 2, contentHash: 'h2', at: '2025-06-11T10:00:00.000Z', source: 'x.md', changes });
      state.appendRevision({ articleId: 'b', number: 1, contentHash: 'h9', at: '2025-06-11T10:00:00.000Z', source: 'y.md' });
      expect(state.listRevisions('a').map((r) => [r.number, r.contentHash])).toEqual([
        [1, 'h1'],
        [2, 'h2'],
      ]);
      expect(state.listRevisions('a')[1]!.changes).toEqual(changes);
      expect(state.listRevisions('none')).toEqual([]);
    });
  });
}
