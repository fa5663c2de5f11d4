/**
 * Issue 11, point 4, through the command line: `briefbot brief /dev/zero` reached 5.5 GB and a
 * FIFO with no writer hung forever. Both now end at once with one line naming what the path is.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { describeRun, runBriefbot, runBriefbotMany } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'briefbot-cli-bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('briefbot brief and read refuse what is not a regular file', () => {
  it('a device or a FIFO without a writer: exit 1 at once, one line on stderr', async () => {
    const fifo = join(dir, 'article.md');
    execFileSync('mkfifo', [fifo]);
    const cases: Array<[string[], string]> = [
      [['brief', '/dev/zero'], 'briefbot: /dev/zero is a device, not an article file'],
      [['brief', '/dev/urandom'], 'briefbot: /dev/urandom is a device, not an article file'],
      [['brief', fifo], `briefbot: ${fifo} is a named pipe (FIFO), not an article file`],
      [['read', '/dev/zero'], 'briefbot: /dev/zero is a device, not an article file'],
      [['read', fifo], `briefbot: ${fifo} is a named pipe (FIFO), not an article file`],
    ];
    const started = Date.now();
    const runs = await runBriefbotMany(cases.map(([args]) => ({ args })), { timeoutMs: 30_000 });
    expect(Date.now() - started).toBeLessThan(25_000);
    runs.forEach((run, i) => {
      expect(run.code, describeRun(run)).toBe(1);
      expect(run.stderr, describeRun(run)).toBe(`${cases[i]![1]}\n`);
      expect(run.stdout).toBe('');
    });
  });
});

describe('briefbot brief and read stop reading standard input at the limit', () => {
  /** An input that never ends: what `yes | briefbot brief -` or `briefbot brief - < /dev/zero` gives. */
  const endless = () => {
    const line = Buffer.alloc(64 * 1024, 'a');
    return new Readable({
      read() {
        this.push(line);
      },
    });
  };

  it.each([
    [['brief', '-'], 'briefbot: standard input is over 5.0 MB; pages are limited to 5.0 MB and other articles to 2.0 MB'],
    [['read', '-'], 'briefbot: standard input is over 5.0 MB; pages are limited to 5.0 MB and other articles to 2.0 MB'],
  ])('%j on an endless input: exit 1 with one line', async (args, message) => {
    const run = await runBriefbot(args, { input: endless(), timeoutMs: 30_000 });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr, describeRun(run)).toBe(`${message}\n`);
  });
});
