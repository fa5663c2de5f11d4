import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_REFERENTS, evalQuotes } from '../../tools/eval/run-quotes.js';
import { evalFigures } from '../../tools/eval/run-figures.js';
import { evalPages } from '../../tools/eval/run-pages.js';

// The eval commands end to end on tiny inputs written for the test, in a temporary folder.

const run = promisify(execFile);
let dir: string;

const PAGE_BODY = [
  'The city council voted on Tuesday to close the Westfield public pool at the end of May, after engineers found cracks in its concrete shell.',
  'Repairs would cost about $2 million, more than the parks department spends in a year, the council said in a statement.',
  'Swimmers who use the pool every morning said they would petition the council to reconsider before the summer season begins.',
].join('\n\n');
const PAGE_HTML = `<!doctype html><html><head><title>Westfield pool to close</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Westfield pool to close</h1>
${PAGE_BODY.split('\n\n').map((p) => `<p>${p}</p>`).join('\n')}
</article><footer>© Westfield Gazette</footer></body></html>`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'briefbot-eval-'));
  const pages = join(dir, 'pages');
  mkdirSync(join(pages, 'html'), { recursive: true });
  writeFileSync(
    join(pages, 'ground-truth.json'),
    JSON.stringify({ pool: { url: 'https://gazette.example/pool', articleBody: PAGE_BODY }, empty: { url: 'https://gazette.example/empty', articleBody: 'Nothing here to read at all.' } }),
  );
  writeFileSync(join(pages, 'html', 'pool.html.gz'), gzipSync(PAGE_HTML));
  writeFileSync(join(pages, 'html', 'empty.html.gz'), gzipSync('<html><body></body></html>'));
  writeFileSync(
    join(dir, 'figures.jsonl'),
    [
      { id: 'f1', text: 'The council will spend $2 million on repairs to 3 bridges.', quantities: [{ value: '2000000.0', unit: '$', normalized_unit: 'dollar', change: '=', referred_concepts: 'repairs' }, { value: '3', unit: 'bridges', normalized_unit: 'bridge', change: '=', referred_concepts: '-' }] },
      { id: 'f2', text: 'Nobody was hurt.', quantities: [] },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
  writeFileSync(join(dir, 'broken.jsonl'), '{"id": "x", "text": \n');
  writeFileSync(join(dir, 'no-quantities.jsonl'), '{"id": "x", "text": "A sentence."}\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('eval figures', () => {
  it('briefs each sentence and scores the figures', async () => {
    const { result, text } = await evalFigures(join(dir, 'figures.jsonl'), { examples: 5 });
    expect(result.report.all.sentences).toBe(2);
    expect(result.report.all.gold).toBe(2);
    expect(result.report.all.value.matched).toBeGreaterThanOrEqual(1);
    expect(result.report.halves.A.sentences + result.report.halves.B.sentences).toBe(2);
    expect(text).toContain('value+unit');
    expect(text).toContain('half A');
  });

  it('names the file and line of a bad record', async () => {
    await expect(evalFigures(join(dir, 'broken.jsonl'))).rejects.toThrow(/broken\.jsonl:1: not valid JSON/);
    await expect(evalFigures(join(dir, 'no-quantities.jsonl'))).rejects.toThrow(/no-quantities\.jsonl:1: "quantities"/);
    await expect(evalFigures(join(dir, 'missing.jsonl'))).rejects.toThrow(/missing\.jsonl: no such file/);
  });
});

describe('eval pages', () => {
  it('reads each page, scores its body and checks its briefing', async () => {
    const { result, text } = await evalPages(join(dir, 'pages'), { examples: 5 });
    expect(result.report.all.body.pages).toBe(2);
    // The empty page throws in the reader: an empty prediction, counted and explained.
    expect(result.report.all.extractionErrors).toBe(1);
    expect(Object.keys(result.extractionErrors)).toHaveLength(1);
    const pool = result.perPage.find((p) => p.id === 'pool')!;
    expect(pool.counts.tp).toBeGreaterThan(0.9);
    expect(pool.keyPoints.length).toBeGreaterThan(0);
    expect(pool.keyPoints.every((k) => k.inBody)).toBe(true);
    expect(text).toContain('pages the reader threw on');
  });

  it('refuses a missing folder, bad JSON and missing pages in one line', async () => {
    await expect(evalPages(join(dir, 'nowhere'))).rejects.toThrow(/nowhere: no such file or directory/);
    const bad = join(dir, 'bad-pages');
    mkdirSync(join(bad, 'html'), { recursive: true });
    writeFileSync(join(bad, 'ground-truth.json'), '{"a": ');
    await expect(evalPages(bad)).rejects.toThrow(/ground-truth\.json: not valid JSON/);
    writeFileSync(join(bad, 'ground-truth.json'), JSON.stringify({ a: { url: 'https://x.example/', articleBody: 'Text.' } }));
    await expect(evalPages(bad)).rejects.toThrow(/no a\.html\.gz/);
    writeFileSync(join(bad, 'ground-truth.json'), JSON.stringify({ a: { url: 'https://x.example/' } }));
    await expect(evalPages(bad)).rejects.toThrow(/"a\.articleBody"/);
  });
});

describe('eval quotes', () => {
  beforeAll(() => {
    const sample = new URL('./fixtures/quotes-dev.sample.jsonl', import.meta.url);
    mkdirSync(join(dir, 'dev'), { recursive: true });
    copyFileSync(sample, join(dir, 'dev', 'quotes-dev.jsonl'));
    copyFileSync(sample, join(dir, 'other.jsonl'));
  });

  it('uses the committed referents for a file named quotes-dev.jsonl, and none otherwise', async () => {
    const dev = await evalQuotes(join(dir, 'dev', 'quotes-dev.jsonl'), {});
    expect(dev.text).toContain('tools/eval/gold/quotes-dev.referents.jsonl; 9 of 9 pronoun or description speakers');
    expect(DEV_REFERENTS).toMatch(/tools\/eval\/gold\/quotes-dev\.referents\.jsonl$/);
    const other = await evalQuotes(join(dir, 'other.jsonl'), {});
    expect(other.text).toContain('Referents: none; 0 of 9');
    const given = await evalQuotes(join(dir, 'other.jsonl'), { referents: DEV_REFERENTS });
    expect(given.report.nonNameSpeakersWithReferentLine).toBe(9);
    expect(given.report.thresholds[0]!.speaker.all.judged).toBe(dev.report.thresholds[0]!.speaker.all.judged);
  });

  it('refuses a referents file that does not fit', async () => {
    writeFileSync(join(dir, 'bad.referents.jsonl'), '{"article":"politico_2016-09-17_de-blasio-says-chelsea-explosion","quote":3,"speaker":"he","kind":"pronoun","referent":"Bill de Blasio"}\n');
    await expect(evalQuotes(join(dir, 'other.jsonl'), { referents: join(dir, 'bad.referents.jsonl') })).rejects.toThrow(/not a direct quote spoken by "he"/);
    await expect(evalQuotes(join(dir, 'other.jsonl'), { referents: join(dir, 'none.jsonl') })).rejects.toThrow(/none\.jsonl: no such file/);
  });
});

describe('eval command line', () => {
  const cli = (...args: string[]) => run(process.execPath, ['bin/run-ts.js', 'tools/eval/cli.ts', ...args], { cwd: join(import.meta.dirname, '../..') });

  it('ends bad input with one line on stderr and a non-zero exit', async () => {
    for (const args of [
      ['pages', join(dir, 'nowhere')],
      ['figures', join(dir, 'broken.jsonl')],
      ['quotes', join(dir, 'missing.jsonl')],
      ['quotes', join(dir, 'no-quantities.jsonl')],
      ['summaries', join(dir, 'broken.jsonl')],
    ]) {
      const failure = await cli(...args).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr.trim().split('\n')).toHaveLength(1);
      expect(failure?.stderr).toMatch(/^eval: /);
    }
  });

  it('prints the figures report as JSON', async () => {
    const { stdout } = await cli('figures', join(dir, 'figures.jsonl'), '--json');
    const parsed = JSON.parse(stdout) as { report: { all: { sentences: number }; halves: Record<string, unknown> } };
    expect(parsed.report.all.sentences).toBe(2);
    expect(Object.keys(parsed.report.halves)).toEqual(['A', 'B']);
  });

  it('prints usage for an unknown command', async () => {
    const failure = await cli('poems', 'x').then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('npm run eval -- pages <dir>');
  });
});
