import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArticleText } from '../../../src/articles/index.js';
import { BriefingSchema, createBriefing } from '../../../src/briefing/index.js';
import { articleFromHtml } from '../../../src/ingest/extract-html.js';

/**
 * Golden briefings: the engine over a handful of articles written for the project (and the seed
 * article the project started from), compared with the briefings committed beside them. Any
 * change of output shows up in review as a diff of a `.briefing.json`; when it is intended, run
 * `npx vitest run test/unit/briefing/golden.test.ts -u` and commit the new files with the change.
 */

const GOLDEN = join(import.meta.dirname, '../../fixtures/golden');
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
    await expect(JSON.stringify(briefing, null, 2) + '\n').toMatchFileSnapshot(join(GOLDEN, 'expected', `${name}.briefing.json`));
  });
});
