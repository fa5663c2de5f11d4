import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArticleText } from '../../src/articles/index.js';
import { createBriefing } from '../../src/briefing/index.js';
import { openBriefingCache } from '../../src/store/briefing-cache.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefbot-cache-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const article = readArticleText('Ferry service doubles\n\nThe harbour ferry will run every thirty minutes from May, the transport office said on Tuesday.\n', 'ferry.txt');

describe('briefing cache', () => {
  it('briefs an article once; an edited article, another engine or a damaged row is briefed again', () => {
    const path = join(dir, 'cache.db');
    let made = 0;
    const brief = (a: typeof article) => (made++, createBriefing(a));
    const first = openBriefingCache(path, { brief, engine: 'e1' });
    const briefing = first.brief(article);
    first.close();
    const second = openBriefingCache(path, { brief, engine: 'e1' });
    expect(second.brief(article)).toEqual(briefing);
    expect([second.hits, second.misses, made]).toEqual([1, 0, 1]);
    second.brief({ ...article, title: 'Ferry service triples' });
    expect(made).toBe(2);
    second.close();

    const db = new Database(path);
    db.prepare("UPDATE briefings SET json = '{\"id\":1}'").run();
    db.close();
    const damaged = openBriefingCache(path, { brief, engine: 'e1' });
    expect(damaged.brief(article)).toEqual(briefing);
    expect(damaged.misses).toBe(1);
    damaged.close();

    const newer = openBriefingCache(path, { brief, engine: 'e2' });
    newer.brief(article);
    expect(newer.misses).toBe(1);
    newer.close();
    expect(made).toBe(4);
  });
});
