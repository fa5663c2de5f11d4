/**
 * `briefbot stories --jsonl` as a person runs it, through bin/briefbot.js (the compiled build):
 * articles written for the test are grouped and written back as { id, story } in input order,
 * from a file and from standard input; the labelled eval set gets exactly the grouping the eval
 * scores (the same engine and defaults); bad lines stop the run with their line number.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupArticles, type StoryArticle } from '../../src/stories/index.js';
import { bridgeGazette, bridgeHerald, libraryOpening, stormOwnReport, stormWire1, stormWire2, unrelated } from '../unit/stories/articles.js';
import { describeRun, linesOf, ROOT, runBriefbot, STACK_FRAME } from '../helpers/run-cli.js';

const ARTICLES: StoryArticle[] = [...unrelated, bridgeGazette, stormWire1, libraryOpening, bridgeHerald, stormWire2, stormOwnReport];
const EVAL_SET = join(ROOT, 'tools', 'eval', 'sets', 'stories', 'stories.jsonl');
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefbot-stories-'));
  file = join(dir, 'articles.jsonl');
  await writeFile(file, ARTICLES.map((a) => JSON.stringify(a)).join('\n') + '\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const parse = (stdout: string): { id: string; story: string }[] => linesOf(stdout).map((l) => JSON.parse(l) as { id: string; story: string });

describe('briefbot stories --jsonl', () => {
  it('writes each article with its story, in input order, the story named by its first article', async () => {
    const run = await runBriefbot(['stories', '--jsonl', file]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(parse(run.stdout)).toEqual([
      { id: 'tech-chip', story: 'tech-chip' },
      { id: 'sport-final', story: 'sport-final' },
      { id: 'gazette-bridge', story: 'gazette-bridge' },
      { id: 'wire-storm-1', story: 'wire-storm-1' },
      { id: 'gazette-library', story: 'gazette-library' },
      { id: 'herald-bridge', story: 'gazette-bridge' },
      { id: 'wire-storm-2', story: 'wire-storm-1' },
      { id: 'herald-storm', story: 'wire-storm-1' },
    ]);
    expect(run.stderr).toBe('');
  });

  it('reads standard input when no file is given', async () => {
    const run = await runBriefbot(['stories', '--jsonl'], { input: readFileSync(file) });
    expect(run.code, describeRun(run)).toBe(0);
    expect(parse(run.stdout).map((r) => r.story)).toEqual(parse((await runBriefbot(['stories', '--jsonl', file])).stdout).map((r) => r.story));
  });

  it('groups the labelled eval set exactly as the eval does', async () => {
    const run = await runBriefbot(['stories', '--jsonl', EVAL_SET], { timeoutMs: 60_000 });
    expect(run.code, describeRun(run)).toBe(0);
    const records = readFileSync(EVAL_SET, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as StoryArticle);
    expect(parse(run.stdout)).toEqual(groupArticles(records).assignments);
  }, 90_000);

  it('stops at a bad line with its number, writing nothing', async () => {
    const good = JSON.stringify(bridgeGazette);
    for (const [bad, message] of [
      ['{"id": "x", "text": ', /line 2: not valid JSON/],
      ['{"title": "no id", "text": "Words."}', /line 2: "id": /],
      ['{"id": "x", "text": "   "}', /line 2: "text" is empty/],
      ['{"id": "x", "text": "Words.", "published": "soon"}', /line 2: article "x": "published" is not a date/],
      [good, /line 2: article "gazette-bridge" was already added/],
      ['[1, 2]', /line 2: expected a JSON object/],
    ] as const) {
      const run = await runBriefbot(['stories', '--jsonl'], { input: `${good}\n${bad}\n` });
      expect(run.code, describeRun(run)).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(STACK_FRAME);
    }
  });

  it('is a usage error without --jsonl or with two files', async () => {
    for (const args of [['stories'], ['stories', '--jsonl', file, file]]) {
      const run = await runBriefbot(args);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(/stories/);
    }
  });
});
