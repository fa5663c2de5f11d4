/**
 * The `briefbot` command line as a person runs it: its exit code and both streams. Loading the
 * engine costs a process about a second, so the command lines whose answer does not depend on
 * being a process of their own run together in one briefbot process (test/helpers/cli-host.ts);
 * everything about the process itself (the real binary's exit status, standard input, pipes, a
 * crash) runs as its own process. All of them run in beforeAll, a few at a time; each test then
 * checks what one of them printed.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BriefingSchema } from '../../src/briefing/index.js';
import { FIXTURES, SEED, STACK_FRAME, createPool, describeRun, linesOf, runBriefbot, runBriefbotMany, type CliOptions, type CliRun, type HostedInvocation } from '../helpers/run-cli.js';

const SEED_ID = 'north-korea-deploys-6000-engineers-to-kursk-as-military';
const STREAM_LINES = 3000;

/** What is wrong with generated line i, if anything: three lines in every fifty are not articles. */
function problemOf(i: number): RegExp | undefined {
  if (i % 50 === 7) return /not valid JSON/;
  if (i % 50 === 19) return /missing "text"/;
  if (i % 50 === 33) return /not valid UTF-8/;
  return undefined;
}

/** One generated JSON Lines record: a short article, or (see problemOf) something that is not one. */
function generatedLine(i: number): Buffer {
  if (i % 50 === 7) return Buffer.from(`not json, line ${i + 1}`);
  if (i % 50 === 19) return Buffer.from(JSON.stringify({ id: `r${i}`, title: 'No text here' }));
  const record = {
    id: `r${i}`,
    title: `Council approves budget number ${i}`,
    text: `The city council approved a budget of ${i} million euros on Monday. The vote was 31 to 9.`,
  };
  // Encoded as Latin-1, the "é" is the single byte 0xE9 where UTF-8 needs two.
  if (i % 50 === 33) return Buffer.from(JSON.stringify({ ...record, text: `Café owners protest. ${record.text}` }), 'latin1');
  return Buffer.from(JSON.stringify(record));
}

function generatedInput(lines: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < lines; i++) yield Buffer.concat([generatedLine(i), Buffer.from('\n')]);
    })(),
  );
}

let tmp: string;
const pool = createPool();
const runs = new Map<string, Promise<CliRun>>();
const hosted: Array<HostedInvocation & { name: string }> = [];

/** A command line that needs a process of its own. */
function spawned(name: string, args: string[], options?: CliOptions): void {
  runs.set(
    name,
    pool(() => runBriefbot(args, options)),
  );
}

/** A command line that can share the hosted process. */
function shared(name: string, args: string[], env?: Record<string, string>): void {
  // A store of its own that does not exist: the commands read the briefings folder (and keep their cache in tmp), whatever data/ holds.
  hosted.push({ name, args, env: { DATABASE_PATH: join(tmp, 'data', 'briefbot.db'), ...env } });
}

function startShared(): void {
  const all = pool(() => runBriefbotMany(hosted));
  hosted.forEach(({ name }, i) => runs.set(name, all.then((results) => results[i]!)));
}

async function result(name: string): Promise<CliRun> {
  const run = runs.get(name);
  if (!run) throw new Error(`no run named ${name}`);
  const done = await run;
  expect(done.timedOut, describeRun(done)).toBe(false);
  return done;
}

/** A failure as the issue asks for it: this exit code, one line on stderr naming the problem, no stack trace, nothing on stdout. */
function expectOneLineFailure(run: CliRun, code: number, message: RegExp): void {
  const context = describeRun(run);
  expect(run.code, context).toBe(code);
  expect(run.stderr, context).not.toMatch(STACK_FRAME);
  const lines = linesOf(run.stderr);
  if (code === 2) {
    // A usage error may add where to read more.
    expect(lines.slice(1), context).toEqual(lines.length > 1 ? ['Run "briefbot --help" for usage.'] : []);
  } else {
    expect(lines, context).toHaveLength(1);
  }
  expect(lines[0], context).toMatch(/^briefbot: /);
  expect(lines[0], context).toMatch(message);
  expect(run.stdout, context).toBe('');
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'briefbot-cli-'));
  const huge = join(tmp, 'huge.txt');
  await writeFile(huge, Buffer.alloc(20 * 1024 * 1024, 'The council met again on Monday. '));

  // Most command lines share one process; it starts first, being the longest.
  shared('help', ['--help']);
  for (const command of ['brief', 'quote', 'articles', 'start']) shared(`help ${command}`, [command, '--help']);
  shared('unknown command', ['frobnicate']);
  shared('points 0', ['brief', SEED, '--points', '0']);
  shared('points 6', ['brief', SEED, '--points', '6']);
  shared('by id', ['brief', 'north korea deploys', '--points', '2', '--json']);
  shared('bad yaml', ['brief', join(FIXTURES, 'bad-yaml.md')]);
  shared('binary', ['brief', join(FIXTURES, 'binary.dat')]);
  shared('huge', ['brief', huge]);
  shared('invalid utf-8', ['brief', join(FIXTURES, 'invalid-utf8.txt')]);
  shared('no sentences', ['brief', join(FIXTURES, 'no-sentences.txt')]);
  shared('unknown id', ['brief', 'no-such-article-anywhere']);
  shared('jsonl fixture', ['brief', '--jsonl', join(FIXTURES, 'records.jsonl'), '--points', '5']);
  shared('jsonl missing', ['brief', '--jsonl', join(tmp, 'missing.jsonl')]);
  shared('quote', ['quote', 'Peskov', '--json']);
  shared('quote by surname', ['quote', 'zelensky', '--json']);
  // Only the fixture folder: an empty config folder keeps any folders the repository's config adds out.
  shared('articles', ['articles', '--json'], { BRIEFINGS_DIR: FIXTURES, BRIEFBOT_CONFIG_DIR: tmp });
  shared('config errors', ['articles'], { PORT: 'eighty', LOG_LEVEL: 'loud', DISCORD_API_URL: 'not a url' });
  startShared();

  // Processes of their own: the real binary's exit statuses, standard input, pipes.
  spawned('seed json', ['brief', SEED, '--json']);
  spawned('empty', ['brief', join(FIXTURES, 'empty.txt')]);
  spawned('stdin', ['brief', '-', '--length', 'full'], { input: readFileSync(join(FIXTURES, 'front-matter.md')) });
  spawned('jsonl stream', ['brief', '--jsonl', '--points', '1'], { input: generatedInput(STREAM_LINES), timeoutMs: 60_000 });
  spawned('jsonl reader stops early', ['brief', '--jsonl'], { input: generatedInput(STREAM_LINES), onStdout: (out) => out.includes('\n'), timeoutMs: 60_000 });

  // Wait for all of them here, so no test's own time limit depends on how busy the machine is.
  await Promise.allSettled(runs.values());
}, 120_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('help and usage', () => {
  it('an unknown command is a usage error: exit 2, naming it and the commands there are', async () => {
    expectOneLineFailure(await result('unknown command'), 2, /unknown command "frobnicate" \(commands: start, brief, read, quote, articles, stories, backup, rebrief, help\)/);
  });

  it('briefbot --help lists every command and exits 0', async () => {
    const run = await result('help');
    expect(run.code, describeRun(run)).toBe(0);
    for (const line of ['briefbot start', 'briefbot brief <file|id|->', 'briefbot brief --jsonl', 'briefbot quote <query>', 'briefbot articles']) expect(run.stdout).toContain(line);
    expect(run.stderr).toBe('');
  });

  it.each([
    ['brief', ['--json', '--length', 'tldr', 'short', 'full', '--points', '1 to 5', '--jsonl']],
    ['quote', ['--speaker', '--json']],
    ['articles', ['--json']],
    ['start', ['--console']],
  ])('briefbot %s --help explains its options and exits 0', async (command, words) => {
    const run = await result(`help ${command}`);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: briefbot ${command}`));
    for (const word of words) expect(run.stdout).toContain(word);
    expect(run.stderr).toBe('');
  });
});

describe('brief', () => {
  it('--json prints the seed’s briefing, valid against the exported BriefingSchema', async () => {
    const run = await result('seed json');
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stderr).toBe('');
    const parsed = BriefingSchema.safeParse(JSON.parse(run.stdout));
    expect(parsed.error?.issues ?? []).toEqual([]);
    const briefing = parsed.data!;
    expect(briefing.id).toBe(SEED_ID);
    expect(briefing.title).toBe('North Korea deploys 6,000 engineers to Kursk as military alliance with Russia escalates');
    expect(briefing.byline).toMatchObject({ author: 'kevinhughes', published: '2025-11-17' });
    expect(briefing.highlights).toHaveLength(5);
    expect(briefing.keyPoints.length).toBeGreaterThanOrEqual(3);
    expect(briefing.quotes.find((q) => q.speaker === 'Dmitry Peskov')?.text).toBe(
      'We will never forget this help. This work continues. It is dangerous and difficult, but our Korean friends are truly helping us, and we greatly appreciate it.',
    );
  });

  it('reads an article from standard input with -, in the format its content shows', async () => {
    const run = await result('stdin');
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('# Wind farm off Galway cleared for construction');
    expect(run.stdout).toContain('https://example.org/news/galway-wind-farm');
    expect(run.stdout).toContain('TL;DR: ');
    expect(run.stdout).toContain("The publisher's highlights (not our summary):\n  • The farm will have 35 turbines.");
    expect(run.stdout).toContain('The Example Times · by Aoife Byrne, Sean Murphy · 2024-06-12');
    expect(run.stderr).toBe('');
  });

  it('briefs an article of the briefings folder found by words of its title, with --points fixing the key points', async () => {
    const run = await result('by id');
    expect(run.code, describeRun(run)).toBe(0);
    const briefing = BriefingSchema.parse(JSON.parse(run.stdout));
    expect(briefing.id).toBe(SEED_ID);
    expect(briefing.keyPoints).toHaveLength(2);
  });

  it.each(['0', '6'])('--points %s is a usage error: exit 2 and a line naming the allowed range', async (n) => {
    expectOneLineFailure(await result(`points ${n}`), 2, new RegExp(`--points must be a whole number from 1 to 5, got "${n}"`));
  });

  it.each<[string, RegExp]>([
    ['empty', /empty\.txt is empty/],
    ['binary', /binary\.dat looks like a binary file/],
    ['huge', /huge\.txt is 20\.0 MB; articles are limited to 2\.0 MB/],
    ['invalid utf-8', /invalid-utf8\.txt is not valid UTF-8/],
    ['no sentences', /no-sentences\.txt has no sentences/],
    ['unknown id', /no article matches "no-such-article-anywhere"\. Use briefbot articles/],
    ['bad yaml', /front matter is not valid YAML/],
  ])('refuses the %s input: exit 1, one line naming the problem, no stack trace', async (name, message) => {
    expectOneLineFailure(await result(name), 1, message);
  });
});

describe('brief --jsonl', () => {
  it('answers every line of the file in order: a briefing, or { id, error } naming the line and the problem', async () => {
    const run = await result('jsonl fixture');
    expect(run.code, describeRun(run)).toBe(0);
    const inputLines = linesOf(readFileSync(join(FIXTURES, 'records.jsonl'), 'utf8'));
    const out = linesOf(run.stdout).map((line) => JSON.parse(line) as { id: string; error?: string });
    expect(out).toHaveLength(inputLines.length);
    expect(out.map((o) => (o.error === undefined ? o.id : `${o.id}: ${o.error}`))).toEqual([
      'bridge-reopens',
      'line-2: line 2: not valid JSON',
      'no-text: line 3: missing "text"',
      'line-4: line 4: expected a JSON object with "text"',
      'line-5: line 5: expected a JSON object with "text"',
      '7',
      'line-7: line 7: "text" must be a string',
      'blank-text: line 8: record has an empty "text"',
      'rail-strike-called-off',
    ]);
    for (const o of out.filter((o) => o.error !== undefined)) expect(Object.keys(o)).toEqual(['id', 'error']);
    for (const o of out.filter((o) => o.error === undefined)) expect(BriefingSchema.safeParse(o).success).toBe(true);
    // --points 5 fixes the number of key points for an article long enough to have them.
    expect(BriefingSchema.parse(out[0]).keyPoints).toHaveLength(5);
    expect(BriefingSchema.parse(out[0]).byline).toEqual({ author: 'Tom Hale', published: '2024-04-02', outlet: 'Riverside Gazette', url: 'https://example.org/local/old-mill-bridge' });
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(linesOf(run.stderr)).toEqual(['briefbot: 6 of 9 records could not be briefed (see their "error")']);
  });

  it('names a JSON Lines file that does not exist in one line, with no stack trace', async () => {
    expectOneLineFailure(await result('jsonl missing'), 1, /no such file: .*missing\.jsonl/);
  });

  it(`streams ${STREAM_LINES} piped lines: one output line per input line, in order, bad ones (not JSON, no text, not UTF-8) reported and passed`, async () => {
    const run = await result('jsonl stream');
    expect(run.code, describeRun(run)).toBe(0);
    const out = linesOf(run.stdout);
    expect(out).toHaveLength(STREAM_LINES);
    let failures = 0;
    out.forEach((line, i) => {
      const record = JSON.parse(line) as { id: string; error?: string; keyPoints?: unknown[] };
      const problem = problemOf(i);
      if (problem === undefined) {
        expect(record.error, `line ${i + 1}`).toBeUndefined();
        expect(record.id).toBe(`r${i}`);
        expect(record.keyPoints).toHaveLength(1);
      } else {
        failures++;
        expect(record.error, `line ${i + 1}`).toMatch(new RegExp(`^line ${i + 1}: `));
        expect(record.error, `line ${i + 1}`).toMatch(problem);
      }
    });
    expect(failures).toBe((STREAM_LINES / 50) * 3);
    expect(linesOf(run.stderr)).toEqual([`briefbot: ${failures} of ${STREAM_LINES} records could not be briefed (see their "error")`]);
  });

  it('stops quietly when its reader goes away (briefbot brief --jsonl | head -1): no stack trace', async () => {
    const run = await result('jsonl reader stops early');
    expect(run.stderr, describeRun(run)).not.toMatch(STACK_FRAME);
    expect(linesOf(run.stderr).length, describeRun(run)).toBeLessThanOrEqual(1);
  });
});

describe('quote and articles', () => {
  it('quote Peskov --json finds Dmitry Peskov’s quote with its speaker, role, article title, id and date', async () => {
    const run = await result('quote');
    expect(run.code, describeRun(run)).toBe(0);
    const hits = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(hits[0]).toMatchObject({
      quote: expect.stringMatching(/^We will never forget this help\. This work continues\./),
      speaker: 'Dmitry Peskov',
      role: 'spokesman',
      articleId: SEED_ID,
      articleTitle: 'North Korea deploys 6,000 engineers to Kursk as military alliance with Russia escalates',
      published: '2025-11-17',
    });
  });

  it('quote zelensky finds Volodymyr Zelensky: a surname in lower case is enough', async () => {
    const run = await result('quote by surname');
    expect(run.code, describeRun(run)).toBe(0);
    const hits = JSON.parse(run.stdout) as Array<{ speaker?: string }>;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.speaker === 'Volodymyr Zelensky')).toBe(true);
  });

  it('articles --json reads every format in the briefings folder and skips what it cannot read', async () => {
    const run = await result('articles');
    expect(run.code, describeRun(run)).toBe(0);
    const items = JSON.parse(run.stdout) as Array<{ id: string; title: string }>;
    expect(items.map((i) => i.id).sort()).toEqual(
      ['7', 'bridge-reopens', 'harbour-authority-approves-2-4-billion-euro-expansion-of', 'rail-strike-called-off', 'the-city-council-voted-on-monday-to-extend-the-night-bus', 'wind-farm-off-galway-cleared-for-construction'].sort(),
    );
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  it('lists every configuration problem at once as "path: message", exit 1, no stack trace', async () => {
    const run = await result('config errors');
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    const lines = linesOf(run.stderr);
    expect(lines[0]).toBe('briefbot: configuration problems:');
    expect(lines.slice(1).map((l) => l.trim())).toEqual(
      expect.arrayContaining(['PORT: expected a number, got "eighty"', expect.stringMatching(/^log\.level: /), expect.stringMatching(/^discord\.apiUrl: /)]),
    );
    expect(lines).toHaveLength(4);
    expect(run.stdout).toBe('');
  });
});
