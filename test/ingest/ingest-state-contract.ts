/**
 * What every IngestState must do, written once so every implementation runs the same checks
 * (memory, SQLite, PostgreSQL):
 *
 *     describeIngestStateContract('sqlite', () => createSqliteIngestState(openTestDb()));
 */
import { describe, expect, it } from 'vitest';
import type { FeedSource, IngestState, SeenItem } from '../../src/ingest/ingest-state.js';

const T0 = new Date('2025-06-11T12:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

export function aSource(id: string, over: Partial<FeedSource> = {}): FeedSource {
  return { id, url: `https://${id}.test/feed.xml`, origin: 'chat', addedAt: '2025-06-11T12:00:00.000Z', intervalMinutes: 15, primed: false, consecutiveFailures: 0, status: 'ok', delivered: 0, ...over };
}

export function aSeen(sourceId: string, key: string, over: Partial<SeenItem> = {}): SeenItem {
  return { sourceId, key, contentHash: 'h1', status: 'delivered', firstSeenAt: '2025-06-11T12:00:00.000Z', lastSeenAt: '2025-06-11T12:00:00.000Z', ...over };
}

/**
 * `replicas` opens the same state twice as two processes would (on PostgreSQL: two pools); the
 * in-process stores hand back one state twice, since there one process holds the store.
 */
export function describeIngestStateContract(name: string, make: () => IngestState | Promise<IngestState>, replicas?: () => Promise<[IngestState, IngestState]>): void {
  const two = replicas ?? (async (): Promise<[IngestState, IngestState]> => {
    const state = await make();
    return [state, state];
  });
  describe(`IngestState contract: ${name}`, () => {
    it('keeps sources oldest first, replaces by id, returns copies, and removes', async () => {
      const state = await make();
      await state.saveSource(aSource('b', { addedAt: '2025-06-11T12:00:00.000Z' }));
      await state.saveSource(aSource('a', { addedAt: '2025-06-10T12:00:00.000Z', etag: '"v1"', lastModified: 'Tue, 10 Jun 2025 04:00:00 GMT', lastError: 'boom', name: 'A' }));
      await state.saveSource(aSource('c', { addedAt: '2025-06-11T12:00:00.000Z' }));
      expect((await state.listSources()).map((s) => s.id)).toEqual(['a', 'b', 'c']);
      expect(await state.getSource('a')).toEqual(aSource('a', { addedAt: '2025-06-10T12:00:00.000Z', etag: '"v1"', lastModified: 'Tue, 10 Jun 2025 04:00:00 GMT', lastError: 'boom', name: 'A' }));
      const copy = (await state.getSource('b'))!;
      copy.status = 'failing';
      expect((await state.getSource('b'))!.status).toBe('ok');
      await state.saveSource({ ...(await state.getSource('b'))!, status: 'failing', consecutiveFailures: 3, primed: true });
      expect(await state.getSource('b')).toMatchObject({ status: 'failing', consecutiveFailures: 3, primed: true });
      // A field left out of the replacement is gone (replace, not merge).
      const { lastError: _dropped, ...withoutError } = (await state.getSource('a'))!;
      await state.saveSource(withoutError);
      expect((await state.getSource('a'))!.lastError).toBeUndefined();
      expect(await state.removeSource('b')).toBe(true);
      expect(await state.removeSource('b')).toBe(false);
      expect(await state.getSource('b')).toBeUndefined();
    });

    it('finds seen items by (source, key), else by canonical URL in any source', async () => {
      const state = await make();
      await state.saveSeen(aSeen('feed-a', 'guid:1', { canonicalUrl: 'https://news.test/a', articleId: 'story-a', guid: '1' }));
      expect(await state.findSeen({ sourceId: 'feed-a', key: 'guid:1' })).toMatchObject({ articleId: 'story-a', guid: '1' });
      expect(await state.findSeen({ sourceId: 'feed-b', key: 'guid:other', canonicalUrl: 'https://news.test/a' })).toMatchObject({ sourceId: 'feed-a', articleId: 'story-a' });
      expect(await state.findSeen({ sourceId: 'feed-b', key: 'guid:1' })).toBeUndefined();
      await state.saveSeen(aSeen('feed-a', 'guid:1', { canonicalUrl: 'https://news.test/a', contentHash: 'h2', status: 'delivered' }));
      expect((await state.findSeen({ sourceId: 'feed-a', key: 'guid:1' }))!.contentHash).toBe('h2');
    });

    it('counts seen items by status per source, and keeps them when the source is removed', async () => {
      const state = await make();
      await state.saveSource(aSource('feed-a'));
      await state.saveSeen(aSeen('feed-a', 'guid:1', { status: 'backlog' }));
      await state.saveSeen(aSeen('feed-a', 'guid:2', { status: 'backlog' }));
      await state.saveSeen(aSeen('feed-a', 'guid:3', { status: 'delivered', articleId: 'x' }));
      await state.saveSeen(aSeen('feed-a', 'guid:4', { status: 'failed', error: 'no text' }));
      await state.saveSeen(aSeen('feed-b', 'guid:1', { status: 'delivered' }));
      expect(await state.countSeen('feed-a')).toEqual({ backlog: 2, delivered: 1, failed: 1 });
      await state.removeSource('feed-a');
      expect(await state.findSeen({ sourceId: 'feed-a', key: 'guid:3' })).toMatchObject({ articleId: 'x' });
    });

    it('keeps revisions per article, oldest first, with their changes', async () => {
      const state = await make();
      await state.appendRevision({ articleId: 'a', number: 1, contentHash: 'h1', at: '2025-06-11T09:00:00.000Z', source: 'x.md' });
      const changes = { headline: { before: 'A', after: 'B' }, figuresChanged: [], figuresAdded: ['3 things'], figuresRemoved: [], quotesAdded: [], quotesRemoved: [], keyPointsAdded: [] };
      await state.appendRevision({ articleId: 'a', number: 2, contentHash: 'h2', at: '2025-06-11T10:00:00.000Z', source: 'x.md', changes });
      await state.appendRevision({ articleId: 'b', number: 1, contentHash: 'h9', at: '2025-06-11T10:00:00.000Z', source: 'y.md' });
      expect((await state.listRevisions('a')).map((r) => [r.number, r.contentHash])).toEqual([
        [1, 'h1'],
        [2, 'h2'],
      ]);
      expect((await state.listRevisions('a'))[1]!.changes).toEqual(changes);
      expect(await state.listRevisions('none')).toEqual([]);
    });

    it('gives an item to the first claimant only, until it lets go; then the next sees what was saved', async () => {
      const state = await make();
      const query = { sourceId: 'feed-a', key: 'guid:1' };
      const first = await state.claimSeen(query, { now: T0 });
      expect(first).toBeDefined();
      expect(first!.seen).toBeUndefined();
      expect(first!.claim.until).toBe(at(600).toISOString());
      // Not re-entrant: the same caller asking again is refused too.
      expect(await state.claimSeen(query, { now: at(1) })).toBeUndefined();
      // Another item is another claim.
      expect(await state.claimSeen({ sourceId: 'feed-a', key: 'guid:2' }, { now: at(1) })).toBeDefined();
      await state.saveSeen(aSeen('feed-a', 'guid:1', { articleId: 'story-1' }));
      await state.releaseSeen(first!.claim);
      const next = await state.claimSeen(query, { now: at(2) });
      expect(next?.seen).toMatchObject({ sourceId: 'feed-a', key: 'guid:1', articleId: 'story-1' });
      expect(next!.claim.token).not.toBe(first!.claim.token);
    });

    it('collides on a canonical URL across sources, and on (source, key) without one', async () => {
      const state = await make();
      const url = 'https://news.test/story';
      expect(await state.claimSeen({ sourceId: 'feed-a', key: 'guid:1', canonicalUrl: url }, { now: T0 })).toBeDefined();
      expect(await state.claimSeen({ sourceId: 'feed-b', key: 'guid:77', canonicalUrl: url }, { now: T0 })).toBeUndefined();
      expect(await state.claimSeen({ sourceId: 'feed-b', key: 'guid:1' }, { now: T0 })).toBeDefined();
      expect(await state.claimSeen({ sourceId: 'feed-b', key: 'guid:1' }, { now: T0 })).toBeUndefined();
      expect(await state.claimSeen({ sourceId: 'feed-c', key: 'guid:1' }, { now: T0 })).toBeDefined();
    });

    it("takes over a dead claimant's claim once it expires, and the old holder's release leaves the new claim alone", async () => {
      const [a, b] = await two();
      const query = { sourceId: 'feed-a', key: 'guid:1', canonicalUrl: 'https://news.test/1' };
      const dead = await a.claimSeen(query, { now: T0, ttlMs: 60_000 });
      expect(dead).toBeDefined();
      expect(await b.claimSeen(query, { now: at(59.999) })).toBeUndefined();
      const taken = await b.claimSeen(query, { now: at(60), ttlMs: 60_000 });
      expect(taken).toBeDefined();
      expect(taken!.seen).toBeUndefined();
      // The first holder was only slow: its late release must not free the item under b.
      await a.releaseSeen(dead!.claim);
      expect(await a.claimSeen(query, { now: at(61) })).toBeUndefined();
      await b.releaseSeen(taken!.claim);
      expect(await a.claimSeen(query, { now: at(62) })).toBeDefined();
    });

    it('gives one item to exactly one of many claimants asking at once', async () => {
      const [a, b] = await two();
      for (let round = 0; round < 5; round++) {
        const query = { sourceId: `feed-${round}`, key: 'guid:1', canonicalUrl: `https://news.test/${round}` };
        const results = await Promise.all([a, b, a, b, a, b].map((state) => state.claimSeen(query, { now: T0 })));
        expect(results.filter(Boolean)).toHaveLength(1);
      }
    });

    it('records revision N of an article once, however many append it, at once or one after another', async () => {
      const [a, b] = await two();
      const revision = (contentHash: string) => ({ articleId: 'story', number: 2, contentHash, at: '2025-06-11T10:00:00.000Z', source: 'x.md' });
      expect(await a.appendRevision({ ...revision('h1'), number: 1 })).toBe(true);
      const appended = await Promise.all([a, b, a, b].map((state, i) => state.appendRevision(revision(`h2-${i}`))));
      expect(appended.filter(Boolean)).toHaveLength(1);
      const stored = await b.listRevisions('story');
      expect(stored.map((r) => r.number)).toEqual([1, 2]);
      // The one recorded is the one whose append said so.
      expect(stored[1]!.contentHash).toBe(`h2-${appended.indexOf(true)}`);
      expect(await a.appendRevision(revision('later'))).toBe(false);
      expect((await a.listRevisions('story'))[1]!.contentHash).toBe(`h2-${appended.indexOf(true)}`);
    });
  });
}
