/**
 * What `npm pack` would publish: the compiled build and what it reads at run time, never tests,
 * fixtures, benchmarks, sources or the eval tooling. `--dry-run` with `--ignore-scripts` lists the
 * files without running `prepare` again (the global setup has just built dist/).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';

interface PackResult {
  files: { path: string }[];
}

function packedPaths(): string[] {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  const [result] = JSON.parse(out) as PackResult[];
  if (!result) throw new Error(`npm pack printed no result: ${out}`);
  return result.files.map((f) => f.path);
}

describe('the published package', () => {
  const paths = packedPaths();

  it('holds the compiled command line and the bin that runs it', () => {
    expect(paths).toContain('dist/cli/main.js');
    expect(paths).toContain('bin/briefbot.js');
    expect(paths).toContain('package.json');
  });

  it('holds no tests, fixtures, benchmarks, sources, tools (tools/eval) or build state', () => {
    const unwanted = paths.filter((p) => /^(test|tools|bench|src|dist\/eval)\//.test(p) || /(^|\/)fixtures\//.test(p) || p.endsWith('.tsbuildinfo') || p === 'bin/run-ts.js');
    expect(unwanted).toEqual([]);
  });
});
