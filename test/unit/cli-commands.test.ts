/**
 * The command line in-process (main/runCli with injected io): brief <id>, quote and articles run
 * the chat's commands, so for the same library and the same words they print what the console
 * chat renders for the same command, and read the bot's store when there is one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { commands, runTextCommand } from '../../src/commands/index.js';
import { QUOTE_LIMIT } from '../../src/commands/quote.js';
import { loadBriefingsFolder } from '../../src/ingest/briefings-folder.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import { createSqliteLibrary } from '../../src/library/sqlite-library.js';
import { renderText } from '../../src/render/text.js';
import { openStore } from '../../src/store/store.js';
import { aBriefing, anEntry } from '../helpers/briefings.js';
import { FIXTURES, ROOT } from '../helpers/run-cli.js';

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'briefbot-cli-unit-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Runs one command line in this process; returns its exit code and both streams. */
async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString('utf8'));
        done();
      },
    });
  const io: CliIo = {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: Readable.from([]),
    env: { BRIEFBOT_CONFIG_DIR: join(tmp, 'no-config'), ...env },
    cwd: tmp,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** What the console chat shows for a typed command over the same folders, with shell-style hints. */
async function chat(line: string, folders: string[]): Promise<string> {
  const library = createMemoryLibrary();
  for (const dir of folders) await loadBriefingsFolder(dir, library);
  const services = { library, logger: pino({ level: 'silent' }), now: () => new Date() };
  const { reply } = await runTextCommand(commands, line, { platform: 'console', user: { id: 'u', canManageChannel: false }, channel: { id: 'c' } }, services);
  return renderText(reply, { commandPrefix: 'briefbot ' }) + '\n';
}

describe('the command line runs the chat commands', () => {
  const folderEnv = (): Record<string, string> => ({ BRIEFINGS_DIR: join(ROOT, 'briefings'), DATABASE_PATH: join(tmp, 'folder', 'briefbot.db') });

  it('brief <words> prints what /brief prints for the same words', async () => {
    const run = await cli(['brief', 'north korea deploys'], folderEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(await chat('/brief north korea deploys', [join(ROOT, 'briefings')]));
    expect(run.stdout).toContain('More: Key figures, Quotes, Full briefing: briefbot brief north-korea-deploys');
  });

  it('brief <words> full and --length full are the same command', async () => {
    const typed = await cli(['brief', 'north', 'korea', 'full'], folderEnv());
    const flagged = await cli(['brief', 'north korea', '--length', 'full'], folderEnv());
    expect(typed.code).toBe(0);
    expect(flagged.stdout).toBe(typed.stdout);
    expect(typed.stdout).toBe(await chat('/brief north korea full', [join(ROOT, 'briefings')]));
  });

  it(`quote prints /quote's answer: at most ${QUOTE_LIMIT} quotes, the same ones`, async () => {
    const run = await cli(['quote', 'zelensky'], folderEnv());
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(await chat('/quote zelensky', [join(ROOT, 'briefings')]));
    const json = await cli(['quote', 'zelensky', '--json'], folderEnv());
    const hits = JSON.parse(json.stdout) as unknown[];
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(QUOTE_LIMIT);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('  • '))).toHaveLength(hits.length);
  });

  it('articles prints /articles for the same folder', async () => {
    const env = { BRIEFINGS_DIR: FIXTURES, DATABASE_PATH: join(tmp, 'fixtures', 'briefbot.db') };
    const run = await cli(['articles'], env);
    expect(run.code).toBe(0);
    // Undated articles are ordered by when they were read, which differs between two loads: compare the lines.
    const lines = (text: string): string[] => text.split('\n').sort();
    expect(lines(run.stdout)).toEqual(lines(await chat('/articles', [FIXTURES])));
    const korea = await cli(['articles', 'wind'], env);
    expect(korea.stdout).toBe(await chat('/articles wind', [FIXTURES]));
  });

  it('an option the declaration refuses is a usage error in the validator’s words', async () => {
    const run = await cli(['brief', 'north korea', '--length', 'huge'], folderEnv());
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('briefbot: length must be one of: tldr, short, full');
    const page = await cli(['articles', '--page', '0'], folderEnv());
    expect(page.code).toBe(2);
    expect(page.stderr).toMatch(/^briefbot: page must be at least 1/);
  });

  it('a refusal is one line on stderr with a shell hint, exit 1', async () => {
    const run = await cli(['quote', 'peskov', '--article', 'nothing-like-this'], folderEnv());
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('briefbot: no article matches "nothing-like-this". Use briefbot articles to see what is loaded.\n');
  });

  it('help lists the flags generated from the declared options', async () => {
    const run = await cli(['articles', '--help'], {});
    expect(run.stdout).toMatch(/^Usage: briefbot articles/);
    expect(run.stdout).toContain('--query QUERY');
    expect(run.stdout).toContain('--page PAGE');
    expect(run.stdout).toContain('(1 to 1000)');
  });
});

describe('the command line reads the bot’s store', () => {
  it('lists what the store holds, read-only, while the bot holds its lock', async () => {
    const path = join(tmp, 'bot', 'briefbot.db');
    const store = openStore({ path });
    try {
      const library = createSqliteLibrary(store);
      await library.add(anEntry(aBriefing('from-a-feed', { title: 'Harbour dredging starts' })));
      const run = await cli(['articles', '--json'], { BRIEFINGS_DIR: join(tmp, 'empty-folder'), DATABASE_PATH: path });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect((JSON.parse(run.stdout) as Array<{ id: string }>).map((a) => a.id)).toEqual(['from-a-feed']);
      // The store is untouched and still the bot's: it goes on writing.
      await library.add(anEntry(aBriefing('second', { title: 'Second item' })));
      expect(await library.size).toBe(2);
    } finally {
      store.close();
    }
  });
});
