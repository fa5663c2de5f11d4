import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createFakeDiscord } from '../test/fakes/fake-discord.js';
import { createFakeSlack } from '../test/fakes/fake-slack.js';

/**
 * `npm run bench -- startup [--runs 7] [--ready-runs 3] [--node-flags=--max-semi-space-size=1]`
 *
 * Whole processes, in one run, alternating so both sides see the same machine load:
 * 1. `briefbot brief <seed> --json` through tsx (`node bin/run-ts.js src/cli/bin.ts`, how the
 *    sources ran before the compiled build) against the compiled build (`node bin/briefbot.js`):
 *    wall time and peak RSS, medians. Targets: <= 0.6x the tsx time, <= 110 MB.
 * 2. `briefbot start` with Discord and Slack against the local stand-ins, from dist/ (and through
 *    tsx, for comparison): RSS when it logs "briefbot is running" and its first /metrics answers,
 *    medians; and from dist/ as `npm start` runs it (with the Node flags of package.json's start
 *    script, which the container's CMD repeats). Target: <= 130 MB as npm start runs it. With
 *    --node-flags, the dist/ start is measured once more with those flags, to weigh a lever.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const SEED = join(root, 'briefings', '000_85307bba339e5121.txt');
const RSS_PRELOAD = join(root, 'bench', 'report-max-rss.js');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (n: number, digits = 0): string => n.toFixed(digits);

const ENTRIES = {
  tsx: [join(root, 'bin', 'run-ts.js'), join(root, 'src', 'cli', 'bin.ts')],
  dist: [join(root, 'bin', 'briefbot.js')],
} as const;
type Entry = keyof typeof ENTRIES;

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...extra };
}

/** One `brief <seed> --json` run: wall time from spawn to exit, and the child's peak RSS. */
function briefOnce(entry: Entry): Promise<{ ms: number; peakMb: number }> {
  return new Promise((resolve, reject) => {
    const at = performance.now();
    const child = spawn(process.execPath, ['--import', RSS_PRELOAD, ...ENTRIES[entry], 'brief', SEED, '--json'], { cwd: root, env: baseEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - at;
      const kb = /bench-max-rss-kb (\d+)/.exec(stderr)?.[1];
      if (code !== 0 || !kb) reject(new Error(`brief via ${entry} exited with ${code}: ${stderr}`));
      else resolve({ ms, peakMb: Number(kb) / 1024 });
    });
  });
}

/** The Node flags of package.json's start script: what comes between `node` and `bin/briefbot.js`. */
export function npmStartFlags(): string[] {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = script.split(/\s+/);
  const at = words.indexOf('bin/briefbot.js');
  if (words[0] !== 'node' || at < 0) throw new Error(`package.json's start script is not "node [flags] bin/briefbot.js start": ${script}`);
  return words.slice(1, at);
}

/** One `start` with both platforms against the stand-ins: RSS once it is ready, read from its own /metrics. */
async function readyOnce(entry: Entry, env: Record<string, string>, nodeFlags: string[] = []): Promise<{ readyMb: number; heapMb: number; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-startup-'));
  const at = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, ...ENTRIES[entry], 'start'], {
    cwd: dir,
    env: baseEnv({ ...env, BRIEFBOT_CONFIG_DIR: dir, BRIEFINGS_DIR: join(root, 'briefings'), DATABASE_PATH: join(dir, 'briefbot.db'), LOG_LEVEL: 'info', PORT: '0' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString('utf8');
        const line = stderr.split('\n').find((l) => l.includes('"briefbot is running"'));
        if (line) resolve((JSON.parse(line) as { port: number }).port);
      });
      child.on('close', (code) => reject(new Error(`start via ${entry} exited with ${code}: ${stderr}`)));
    });
    const ms = performance.now() - at;
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const mb = (name: string): number => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? NaN) / 1024 / 1024;
    return { readyMb: mb('briefbot_process_resident_memory_bytes'), heapMb: mb('briefbot_nodejs_heap_size_used_bytes'), ms };
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runStartupBench(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { runs: { type: 'string' }, 'ready-runs': { type: 'string' }, 'node-flags': { type: 'string' } } });
  const nodeFlags = values['node-flags']?.split(/\s+/).filter(Boolean) ?? [];
  const runs = Number(values.runs ?? 7);
  const readyRuns = Number(values['ready-runs'] ?? 3);

  console.log(`\nbriefbot brief ${SEED.slice(root.length)} --json, ${runs} runs each, alternating (after one warm-up run each)`);
  const brief: Record<Entry, Array<{ ms: number; peakMb: number }>> = { tsx: [], dist: [] };
  await briefOnce('tsx');
  await briefOnce('dist');
  for (let i = 0; i < runs; i++) for (const entry of ['tsx', 'dist'] as const) brief[entry].push(await briefOnce(entry));
  for (const entry of ['tsx', 'dist'] as const) {
    const r = brief[entry];
    console.log(`  ${entry === 'tsx' ? 'through tsx (src/)' : 'compiled (dist/)  '}  median ${fmt(median(r.map((x) => x.ms)))} ms (min ${fmt(Math.min(...r.map((x) => x.ms)))})   peak RSS median ${fmt(median(r.map((x) => x.peakMb)))} MB (max ${fmt(Math.max(...r.map((x) => x.peakMb)))})`);
  }
  const ratio = median(brief.dist.map((x) => x.ms)) / median(brief.tsx.map((x) => x.ms));
  console.log(`  compiled / tsx time: ${fmt(ratio, 2)}x (target <= 0.6x) · compiled peak ${fmt(median(brief.dist.map((x) => x.peakMb)))} MB (target <= 110 MB)`);

  const [discord, slack] = await Promise.all([createFakeDiscord({ token: 'startup-token' }), createFakeSlack({ botToken: 'xoxb-startup' })]);
  const env = {
    DISCORD_TOKEN: 'startup-token',
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    SLACK_BOT_TOKEN: 'xoxb-startup',
    SLACK_SIGNING_SECRET: 'startup-secret',
    SLACK_API_URL: slack.apiUrl,
  };
  try {
    console.log(`\nbriefbot start, Discord and Slack against the stand-ins, the bundled briefings, ${readyRuns} runs each, alternating`);
    // `npm start` (and the container's CMD) pass Node flags of their own: the start is measured as they run it.
    const startFlags = npmStartFlags();
    const ready: Record<Entry | 'npmStart', Array<{ readyMb: number; heapMb: number; ms: number }>> = { tsx: [], dist: [], npmStart: [] };
    for (let i = 0; i < readyRuns; i++) {
      ready.npmStart.push(await readyOnce('dist', env, startFlags));
      for (const entry of ['dist', 'tsx'] as const) ready[entry].push(await readyOnce(entry, env));
    }
    const rows = [
      ['through tsx (src/)', ready.tsx],
      ['dist/, V8 defaults (npx briefbot start)', ready.dist],
      [`dist/ as npm start runs it (node ${startFlags.join(' ')})`, ready.npmStart],
    ] as const;
    for (const [label, r] of rows) {
      console.log(`  ${label}: ready RSS median ${fmt(median(r.map((x) => x.readyMb)))} MB (heap in use ${fmt(median(r.map((x) => x.heapMb)))} MB), ready in ${fmt(median(r.map((x) => x.ms)))} ms`);
    }
    console.log(`  ready RSS as npm start runs it: ${fmt(median(ready.npmStart.map((x) => x.readyMb)))} MB (target <= 130 MB)`);
    if (nodeFlags.length) {
      const flagged = [];
      for (let i = 0; i < readyRuns; i++) flagged.push(await readyOnce('dist', env, nodeFlags));
      console.log(`  from dist/ with node ${nodeFlags.join(' ')}: ready RSS median ${fmt(median(flagged.map((x) => x.readyMb)))} MB (heap in use ${fmt(median(flagged.map((x) => x.heapMb)))} MB), ready in ${fmt(median(flagged.map((x) => x.ms)))} ms`);
    }
  } finally {
    await discord.stop();
    await slack.stop();
  }
}
