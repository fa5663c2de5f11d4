import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBriefingsFolder } from '../../src/ingest/briefings-folder.js';
import { describeChanges } from '../../src/commands/present.js';
import { createFolderWatcher, folderSourceId, type FolderWatcher } from '../../src/ingest/folder-watcher.js';
import { createMemoryIngestState } from '../../src/ingest/ingest-state.js';
import type { IngestEvent } from '../../src/ingest/record-article.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import { silentLogger } from './feed-server.js';

const ARTICLE = `---
title: Council approves harbour wall repair
author: Mara Quinn
published: 2025-06-11
---
The town council approved a $4.2 million repair of the harbour wall on Tuesday, ending months of debate over how to pay for the work.

"We cannot let the sea decide for us," said Mayor Ann Smith, who had pushed for the repair since the winter storms.

About 300 residents attended the meeting, according to the town clerk, and the vote passed by seven votes to two.
`;

const EDITED = ARTICLE.replace('title: Council approves harbour wall repair', 'title: Council approves costlier harbour wall repair')
  .replace('$4.2 million', '$5.1 million')
  .replace('votes to two.', 'votes to two.\n\n"The price went up, but so did the risk," said Omar Haddad, the town treasurer.');

function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (check()) resolve(Date.now() - started);
      else if (Date.now() - started > timeoutMs) reject(new Error(`not within ${timeoutMs} ms`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

let dir: string;
let watcher: FolderWatcher | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'briefbot-watch-'));
});
afterEach(() => {
  watcher?.stop();
  watcher = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function setup(options: { rescanMs?: number; debounceMs?: number; now?: () => Date } = {}) {
  const library = createMemoryLibrary();
  const state = createMemoryIngestState();
  const events: IngestEvent[] = [];
  watcher = createFolderWatcher({
    dirs: [dir],
    library,
    state,
    logger: silentLogger(),
    debounceMs: options.debounceMs ?? 100,
    rescanMs: options.rescanMs ?? 60_000,
    onEvent: (e) => events.push(e),
    ...(options.now ? { now: options.now } : {}),
  });
  return { library, state, events, watcher };
}

describe('briefings folder watcher (e2e on a real folder)', () => {
  it('briefs a file dropped into the folder within seconds', async () => {
    const { library, events, watcher } = setup();
    await watcher.start();
    expect(events).toEqual([]);
    writeFileSync(join(dir, 'harbour.md'), ARTICLE);
    const took = await waitFor(() => events.length === 1);
    expect(took).toBeLessThan(3_000);
    expect(events[0]).toMatchObject({ kind: 'new' });
    expect((await library.get(events[0]!.entry.briefing.id))?.briefing.title).toBe('Council approves harbour wall repair');
  });

  it('files an edited article as a new revision of the same article, saying what changed and when', async () => {
    let clock = new Date('2025-06-11T09:00:00Z');
    const { library, state, events, watcher } = setup({ now: () => clock });
    writeFileSync(join(dir, 'harbour.md'), ARTICLE);
    await watcher.start();
    // A file already there when the watcher starts (and not yet in the library) is new.
    expect(events.map((e) => e.kind)).toEqual(['new']);
    events.length = 0;
    const id = (await library.list()).items[0]!.briefing.id;
    clock = new Date('2025-06-11T15:30:00Z');
    writeFileSync(join(dir, 'harbour.md'), EDITED);
    await waitFor(() => events.length === 1);

    const [event] = events;
    expect(event!.kind).toBe('revised');
    // A new headline, the same article.
    expect(event!.entry.briefing.id).toBe(id);
    expect(await library.size).toBe(1);
    expect(event!.entry.revision).toMatchObject({ number: 2, revisedAt: '2025-06-11T15:30:00.000Z' });
    expect(event!.changes!.headline).toEqual({ before: 'Council approves harbour wall repair', after: 'Council approves costlier harbour wall repair' });
    const lines = describeChanges(event!.changes!).join('\n');
    expect(lines).toMatch(/5\.1 million/);
    expect(lines).toMatch(/New quote: “The price went up, but so did the risk” — Omar Haddad/);
    expect((await state.listRevisions(id)).map((r) => r.number)).toEqual([1, 2]);
  });

  it('reads a burst of writes to one file once, after it settles (no storm)', async () => {
    const { events, watcher } = setup({ debounceMs: 150 });
    await watcher.start();
    const path = join(dir, 'burst.md');
    for (let i = 0; i < 20; i++) {
      writeFileSync(path, ARTICLE.replace('300 residents', `${300 + i} residents`));
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitFor(() => events.length >= 1);
    await watcher.idle();
    await new Promise((r) => setTimeout(r, 300));
    expect(events.map((e) => e.kind)).toEqual(['new']);
    expect(events[0]!.entry.briefing.keyPoints.map((k) => k.text).join(' ') + events[0]!.entry.briefing.tldr).not.toMatch(/\b30[0-8] residents/);
  });

  it('catches what the watcher missed on the periodic rescan, reading only changed files', async () => {
    const { events, watcher } = setup({ rescanMs: 60_000 });
    writeFileSync(join(dir, 'a.md'), ARTICLE);
    await watcher.start();
    events.length = 0;
    // Stop the file-system watch so only the rescan can notice (as on a network share).
    watcher.stop();
    writeFileSync(join(dir, 'a.md'), EDITED);
    utimesSync(join(dir, 'a.md'), new Date(), new Date(Date.now() + 5_000));
    writeFileSync(join(dir, 'b.txt'), 'Ferry timetable changes\n\nThe island ferry will run 14 crossings a day from next Monday, up from nine, the operator said.');
    const report = await watcher.rescan();
    expect(report).toMatchObject({ files: 2, added: 1, revised: 1 });
    expect(events.map((e) => e.kind).sort()).toEqual(['new', 'revised']);
    const again = await watcher.rescan();
    expect(again).toMatchObject({ files: 2, added: 0, revised: 0, unchanged: 2 });
  });

  it('keeps other files loading when one is broken, and ignores files that are not articles', async () => {
    const { events, watcher } = setup();
    await watcher.start();
    writeFileSync(join(dir, 'broken.md'), '---\ntitle: [unclosed\n---\nBody text here.');
    writeFileSync(join(dir, '.harbour.md.swp'), 'swap');
    writeFileSync(join(dir, 'README.md'), '# How to use this folder');
    writeFileSync(join(dir, 'good.md'), ARTICLE);
    await waitFor(() => events.length === 1);
    await watcher.idle();
    expect(events.map((e) => e.entry.source)).toEqual([join(dir, 'good.md')]);
  });

  it('recognises files the plain loader already read at start-up as unchanged', async () => {
    writeFileSync(join(dir, 'harbour.md'), ARTICLE);
    const { library, events, watcher } = setup();
    // The app passes the configured folder as written ("briefings"), the watcher resolves it.
    await loadBriefingsFolder(relative(process.cwd(), dir), library);
    const report = await watcher.start();
    expect(report).toMatchObject({ added: 0, revised: 0, unchanged: 1 });
    expect(events).toEqual([]);
    expect(await library.size).toBe(1);
  });

  it('leaves an article another replica has claimed, and briefs it at the next rescan once the claim is let go of', async () => {
    const clock = new Date('2025-06-11T09:00:00Z');
    const { library, state, events, watcher } = setup({ now: () => clock });
    writeFileSync(join(dir, 'harbour.md'), ARTICLE);
    // Another replica sharing the folder is briefing this file right now.
    const other = await state.claimSeen({ sourceId: folderSourceId(dir), key: 'file:harbour.md' }, { now: clock });
    expect(other).toBeDefined();
    const first = await watcher.start();
    expect(first).toMatchObject({ files: 1, added: 0, elsewhere: 1 });
    expect(await library.size).toBe(0);
    // The other replica died before saving it: its claim goes, and the next rescan reads the file again although it did not change.
    await state.releaseSeen(other!.claim);
    expect(await watcher.rescan()).toMatchObject({ files: 1, added: 1, elsewhere: 0 });
    expect(events.map((e) => e.kind)).toEqual(['new']);
    expect(await state.findSeen({ sourceId: folderSourceId(dir), key: 'file:harbour.md' })).toMatchObject({ status: 'delivered' });
  });
});
