/**
 * `briefbot read` as a person runs it: a saved page, a URL (against 127.0.0.1, allowed by config),
 * standard input and the other article formats, plain and --json, and bad input (one line on
 * stderr, a non-zero exit, no stack). Command lines that need no standard input run together in
 * one process (test/helpers/cli-host.ts); the rest run as their own processes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../ingest/feed-server.js';
import { FIXTURES, ROOT, STACK_FRAME, describeRun, linesOf, runBriefbot, runBriefbotMany, type CliRun } from '../helpers/run-cli.js';

const PAGE = join(ROOT, 'test', 'fixtures', 'pages', 'ferry-timetable.html');
const BODY_START = 'The harbour ferry will run every thirty minutes from May';

/** A page in Greek, written for the test: another script, the same reader. */
const GREEK_PAGE = `<!doctype html><html lang="el"><head><meta charset="utf-8"><title>Το πλοίο της γραμμής διπλασιάζει τα δρομολόγια</title></head><body><article><h1>Το πλοίο της γραμμής διπλασιάζει τα δρομολόγια</h1>
<p>Το πλοίο του λιμανιού θα εκτελεί δρομολόγιο κάθε τριάντα λεπτά από τον Μάιο, ανακοίνωσε την Τρίτη το γραφείο μεταφορών, μετά από έναν χρόνο παραπόνων.</p>
<p>Δύο νέα πλοία, με τριακόσιους επιβάτες το καθένα, θα μπουν στον στόλο τον Απρίλιο, και τα βραδινά δρομολόγια θα συνεχίζονται ως τη μία τα ξημερώματα.</p>
<p>Το εισιτήριο θα μείνει στα δύο ευρώ για το υπόλοιπο του χρόνου, αν και το φθινόπωρο θα εξεταστούν οι τιμές.</p></article></body></html>`;

let dir: string;
let configDir: string;
let server: FeedServer;
let hosted: CliRun[];

const files = {
  empty: 'empty.html',
  noArticle: 'menu-only.html',
  greek: 'greek.html',
  savedAsText: 'saved-page.txt',
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'briefbot-read-'));
  configDir = mkdtempSync(join(tmpdir(), 'briefbot-config-'));
  writeFileSync(join(configDir, 'fetch.yaml'), 'fetch:\n  allow: ["127.0.0.1"]\n  timeoutMs: 5000\n');
  writeFileSync(join(dir, files.empty), '');
  writeFileSync(join(dir, files.noArticle), '<!doctype html><html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><p>Menu</p></body></html>');
  writeFileSync(join(dir, files.greek), GREEK_PAGE);
  writeFileSync(join(dir, files.savedAsText), await readFile(PAGE));
  server = await startFeedServer();
  server.serve('/news/ferry', await readFile(PAGE, 'utf8'), 'text/html; charset=utf-8');
  server.route('/report.pdf', { headers: { 'content-type': 'application/pdf' }, body: Buffer.from('%PDF-1.4 not a page') });
  const env = { BRIEFBOT_CONFIG_DIR: configDir };
  hosted = await runBriefbotMany([
    { args: ['read', PAGE] },
    { args: ['read', PAGE, '--json'] },
    { args: ['read', join(FIXTURES, 'front-matter.md'), '--json'] },
    { args: ['read', `${server.origin}/news/ferry`, '--json'], env },
    { args: ['read', `${server.origin}/report.pdf`], env },
    { args: ['read', join(dir, files.empty)] },
    { args: ['read', join(dir, files.noArticle)] },
    { args: ['read', join(dir, files.greek), '--json'] },
    { args: ['read', join(dir, files.savedAsText), '--json'] },
    { args: ['read'] },
    { args: ['read', join(dir, 'missing.html')] },
    { args: ['read', '--help'] },
  ]);
}, 60_000);

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(configDir, { recursive: true, force: true });
});

function ok(run: CliRun): CliRun {
  expect(run.stderr, describeRun(run)).toBe('');
  expect(run.code, describeRun(run)).toBe(0);
  return run;
}

function failsInOneLine(run: CliRun, message: RegExp, code = 1): void {
  expect(run.code, describeRun(run)).toBe(code);
  expect(run.stdout).toBe('');
  expect(linesOf(run.stderr)[0]).toMatch(message);
  expect(run.stderr).not.toMatch(STACK_FRAME);
}

describe('briefbot read: a saved page', () => {
  it('prints the metadata, the standfirst and the body as people read it', () => {
    const out = ok(hosted[0]!).stdout;
    const [head, ...paragraphs] = out.trimEnd().split('\n\n');
    expect(head!.split('\n')).toEqual([
      'title: Ferry service doubles from May',
      'byline: Dana Ruiz',
      'published: 2020-03-03T08:38:00+01:00',
      'outlet: Harbour News',
      'url: https://harbour.example/news/ferry-service-doubles',
      'standfirst: Riders asked for more boats for years; now the island gets them, and the fares stay put.',
    ]);
    expect(paragraphs).toHaveLength(4);
    expect(paragraphs[0]).toMatch(new RegExp(`^${BODY_START}`));
    expect(paragraphs[1]).toBe('The plan was announced by Mayor Ann Smith at the pier, where two new boats will join the fleet in April.');
    expect(out).not.toMatch(/Photo: Otto Berg|Read more|Sign up|Pier repairs|Home|Facebook|Updated:|All rights reserved/);
  });

  it('--json gives every field, null where the page does not say, and the body as text', () => {
    const json = JSON.parse(ok(hosted[1]!).stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['title', 'byline', 'published', 'outlet', 'url', 'standfirst', 'text']);
    expect(json).toMatchObject({ title: 'Ferry service doubles from May', byline: 'Dana Ruiz', outlet: 'Harbour News' });
    expect((json.text as string).split('\n\n')).toHaveLength(4);
  });

  it('reads a page by what it is, whatever the file is called', () => {
    const json = JSON.parse(ok(hosted[8]!).stdout) as { title: string; standfirst: string };
    expect(json.title).toBe('Ferry service doubles from May');
    expect(json.standfirst).toMatch(/^Riders asked/);
  });

  it('reads a page in another script by the same rules', () => {
    const json = JSON.parse(ok(hosted[7]!).stdout) as { title: string; outlet: unknown; text: string };
    expect(json.title).toBe('Το πλοίο της γραμμής διπλασιάζει τα δρομολόγια');
    expect(json.outlet).toBeNull();
    expect(json.text.split('\n\n')).toHaveLength(3);
  });
});

describe('briefbot read: other sources', () => {
  it('reads the article formats brief reads', () => {
    const json = JSON.parse(ok(hosted[2]!).stdout) as { title: string; standfirst: unknown; text: string };
    expect(json.title.length).toBeGreaterThan(0);
    expect(json.standfirst).toBeNull();
    expect(json.text.length).toBeGreaterThan(100);
  });

  it('fetches a URL through the safe fetcher; without a canonical link the url is where it was fetched', () => {
    const json = JSON.parse(ok(hosted[3]!).stdout) as { url: string; text: string };
    expect(json.url).toBe(`${server.origin}/news/ferry`);
    expect(json.text.startsWith(BODY_START)).toBe(true);
    expect(server.hits('/news/ferry')).toBe(1);
  });

  it('reads a page from standard input', async () => {
    const run = ok(await runBriefbot(['read', '-', '--json'], { input: await readFile(PAGE) }));
    expect((JSON.parse(run.stdout) as { byline: string }).byline).toBe('Dana Ruiz');
  });

  it('reads a plain-text article from standard input', async () => {
    const run = ok(await runBriefbot(['read', '-'], { input: 'Ferry service doubles\n\nThe harbour ferry will run every thirty minutes from May, the transport office said on Tuesday.\n' }));
    expect(run.stdout).toContain('The harbour ferry will run every thirty minutes from May');
  });
});

describe('briefbot read: bad input is one line and a non-zero exit', () => {
  it('a response that is not a page', () => failsInOneLine(hosted[4]!, /^briefbot: .*application\/pdf/));
  it('an empty page', () => failsInOneLine(hosted[5]!, /^briefbot: empty\.html is empty$/));
  it('a page with no article', () => failsInOneLine(hosted[6]!, /^briefbot: the page in menu-only\.html has no article text to brief$/));
  it('no article named, and a file that is not there', () => {
    failsInOneLine(hosted[9]!, /^briefbot: read needs an article/, 2);
    failsInOneLine(hosted[10]!, /^briefbot: no such file: .*missing\.html$/);
  });
  it('empty standard input', async () => failsInOneLine(await runBriefbot(['read', '-']), /^briefbot: standard input is empty$/));
  it('has its own help', () => expect(ok(hosted[11]!).stdout).toMatch(/^Usage: briefbot read <file\|url\|-> \[--json\]/));
});
