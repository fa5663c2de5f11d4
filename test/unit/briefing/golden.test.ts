import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArticleText } from '../../../src/articles/index.js';
import { BriefingSchema, createBriefing, ENGINE_VERSION } from '../../../src/briefing/index.js';
import { articleFromHtml } from '../../../src/ingest/extract-html.js';
import { goldenVersionFile, goldenVersionProblem } from '../../helpers/golden-version.js';

/**
 * Golden briefings: the engine over a handful of articles written for the project (and the seed
 * article the project started from), compared with the briefings committed beside them. Any
 * change of output shows up in review as a diff of a `.briefing.json`; when it is intended, run
 * `npx vitest run test/unit/briefing/golden.test.ts -u` and commit the new files with the change.
 *
 * `expected/engine-version.json` records the ENGINE_VERSION the committed briefings were accepted
 * under. A changed briefing fails with a request to bump ENGINE_VERSION when it still equals that
 * record (with or without -u: nothing is written then), because the version is what makes stores
 * re-brief what they hold; `-u` writes the current version into the record.
 */

const GOLDEN = join(import.meta.dirname, '../../fixtures/golden');
const VERSION_RECORD = join(GOLDEN, 'expected', 'engine-version.json');
/** Read before any test runs: -u rewrites the record at the end. */
const accepted = (JSON.parse(readFileSync(VERSION_RECORD, 'utf8')) as { engineVersion: number }).engineVersion;
const SEED = join(import.meta.dirname, '../../../briefings/000_85307bba339e5121.txt');

function articleOf(path: string) {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.html')) return articleFromHtml(text, `https://fixtures.invalid/${path.split('/').pop()}`).article;
  return readArticleText(text, path.split('/').pop()!);
}

const articles = [
  ...readdirSync(GOLDEN)
    .filter((f) => /\.(?:txt|md|html)$/.test(f) && f !== 'README.md')
    .sort()
    .map((f) => ({ name: f.replace(/\.\w+$/, ''), path: join(GOLDEN, f) })),
  { name: 'seed-000', path: SEED },
];

describe('golden briefings', () => {
  it('has articles to compare', () => {
    expect(articles.length).toBeGreaterThanOrEqual(6);
  });

  it.each(articles)('$name', async ({ name, path }) => {
    const briefing = BriefingSchema.parse(createBriefing(articleOf(path)));
    const text = JSON.stringify(briefing, null, 2) + '\n';
    const expected = join(GOLDEN, 'expected', `${name}.briefing.json`);
    const changed = existsSync(expected) && readFileSync(expected, 'utf8') !== text ? [name] : [];
    const problem = goldenVersionProblem({ changed, accepted, current: ENGINE_VERSION });
    if (problem) expect.fail(problem);
    await expect(text).toMatchFileSnapshot(expected, 'a changed golden briefing is accepted with -u once ENGINE_VERSION is bumped');
  });

  it('records the engine version the golden briefings were accepted under', async () => {
    await expect(goldenVersionFile(ENGINE_VERSION)).toMatchFileSnapshot(VERSION_RECORD, 'ENGINE_VERSION changed: accept the golden briefings under it with -u');
  });
});
