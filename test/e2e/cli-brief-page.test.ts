/**
 * `briefbot brief page.html` reads a saved web page the way `briefbot read` shows it: through the
 * page reader, not as plain text with its markup in the TL;DR.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRun, runBriefbot } from '../helpers/run-cli.js';

const PAGE = join(import.meta.dirname, '../fixtures/golden/museum-page.html');

describe('briefbot brief on a saved web page', () => {
  it('briefs the article the page reader finds, from a file and from standard input', async () => {
    const fromFile = await runBriefbot(['brief', PAGE, '--json']);
    const fromStdin = await runBriefbot(['brief', '-', '--json'], { input: readFileSync(PAGE, 'utf8') });
    for (const run of [fromFile, fromStdin]) {
      expect(run.code, describeRun(run)).toBe(0);
      const briefing = JSON.parse(run.stdout) as { title: string; tldr: string; standfirst?: string; byline: { outlet?: string } };
      expect(briefing.title).toBe('River museum reopens after flood repairs');
      expect(briefing.tldr).not.toMatch(/[<>]/);
      expect(briefing.standfirst).toMatch(/^Two years after the flood/);
      expect(briefing.byline.outlet).toBe('The Valley Courier');
    }
  });
});
