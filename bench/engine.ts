import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readPlainText, type Article } from '../src/articles/index.js';
import { createBriefing } from '../src/briefing/index.js';

/**
 * The engine benchmark: time to brief a ~1,000-word article (median and p95 on one core after
 * warm-up), then `briefbot brief --jsonl` over growing batches in a child process: throughput
 * and peak RSS, which must stay flat as the input grows.
 *
 *   npm run bench -- engine [--articles N] [--corpus file.jsonl] [--jobs 1,2]
 *
 * Each batch size is written to a file once and run at every --jobs (default 1 and 2), the
 * outputs compared byte for byte (a difference sets a failing exit code).
 *
 * Without --corpus the articles are built from the bundled briefings: their sentences shuffled
 * into ~1,000-word articles with varied numbers and names, so no two inputs are alike.
 */

const root = fileURLToPath(new URL('..', import.meta.url));

/** A deterministic pseudo-random generator, so runs are comparable. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

let sentencesCache: string[] | undefined;

function sourceParagraphs(): string[] {
  if (sentencesCache) return sentencesCache;
  const seed = readFileSync(`${root}briefings/000_85307bba339e5121.txt`, 'utf8');
  sentencesCache = readPlainText(seed)
    .blocks.filter((b) => b.kind === 'paragraph')
    .flatMap((b) => b.text.split(/(?<=[.!?]["”]?)\s+(?=[A-Z"“])/));
  return sentencesCache;
}

export function makeArticleText(index: number, words = 1000): string {
  const sentences = sourceParagraphs();
  const random = rng(index + 1);
  const out: string[] = [];
  let count = 0;
  while (count < words) {
    const sentence = sentences[Math.floor(random() * sentences.length)]!.replace(/\d[\d,]*/g, (d) => String(Math.max(2, Math.round(Number(d.replace(/,/g, '')) * (0.5 + random())))));
    out.push(sentence);
    count += sentence.split(/\s+/).length;
  }
  const paragraphs: string[] = [];
  for (let i = 0; i < out.length; i += 4) paragraphs.push(out.slice(i, i + 4).join(' '));
  return `Benchmark article ${index}: North Korea and Russia\n\n${paragraphs.join('\n\n')}`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function corpusArticles(path: string): Article[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const r = JSON.parse(l) as { id?: string; title?: string | null; text: string };
      return readPlainText(r.text, { ...(r.title ? { title: r.title } : {}) });
    });
}

/** The batch input for a run: n generated ~1,000-word articles in a JSON Lines file, written once, so every --jobs reads the same bytes. */
function writeBatchInput(dir: string, n: number): string {
  const path = join(dir, `batch-${n}.jsonl`);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(JSON.stringify({ id: `bench-${i}`, text: makeArticleText(i) }));
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** One whole `briefbot brief --jsonl <file> --jobs N` process through the compiled bin: its time, peak RSS and a hash of its output. */
async function batch(file: string, jobs: number): Promise<{ seconds: number; maxRssMb: number; lines: number; sha256: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', `${root}bench/report-max-rss.js`, `${root}bin/briefbot.js`, 'brief', '--jsonl', file, '--jobs', String(jobs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lines = 0;
  let stderr = '';
  const hash = createHash('sha256');
  child.stdout.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    for (const byte of chunk) if (byte === 10) lines++;
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code: number = await new Promise((r) => child.on('close', r));
  if (code !== 0) throw new Error(`briefbot brief --jsonl --jobs ${jobs} exited ${code}: ${stderr.slice(-500)}`);
  const kb = Number(/bench-max-rss-kb (\d+)/.exec(stderr)?.[1] ?? NaN);
  return { seconds: (performance.now() - started) / 1000, maxRssMb: kb / 1024, lines, sha256: hash.digest('hex') };
}

export async function runEngineBench(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { articles: { type: 'string' }, corpus: { type: 'string' }, jobs: { type: 'string' } } });
  const articles = values.corpus ? corpusArticles(values.corpus) : Array.from({ length: 200 }, (_, i) => readPlainText(makeArticleText(i)));
  const words = articles.reduce((n, a) => n + a.blocks.reduce((m, b) => m + b.text.split(/\s+/).length, 0), 0) / articles.length;

  // Warm-up: the JIT and the lexicon.
  for (let i = 0; i < 50; i++) createBriefing(articles[i % articles.length]!);
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const article of articles) {
      const t = performance.now();
      createBriefing(article);
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  console.log(`\nSingle article (${articles.length} articles x 3, mean ${Math.round(words)} words, one thread):`);
  console.log(`  median ${percentile(times, 0.5).toFixed(2)} ms   p95 ${percentile(times, 0.95).toFixed(2)} ms   (target: median <= 10 ms)`);

  const sizes = values.articles ? [Number(values.articles)] : [1000, 2000, 4000];
  const jobsList = values.jobs ? values.jobs.split(',').map(Number) : [1, 2];
  console.log(`\nBatch: briefbot brief --jsonl <file> --jobs N, whole processes through the compiled bin (~1,000-word articles; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}):`);
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-bench-'));
  try {
    for (const n of sizes) {
      const file = writeBatchInput(dir, n);
      const results = [];
      for (const jobs of jobsList) {
        const r = await batch(file, jobs);
        results.push(r);
        console.log(`  ${String(n).padStart(5)} articles, --jobs ${jobs}: ${r.seconds.toFixed(1)} s, ${(n / r.seconds).toFixed(0)} briefings/s, peak RSS ${r.maxRssMb.toFixed(0)} MB, ${r.lines} lines out   (target: RSS <= 250 MB, flat)`);
      }
      const base = results[0]!;
      const same = results.every((r) => r.sha256 === base.sha256);
      console.log(`         output identical across --jobs ${jobsList.join(', ')}: ${same ? 'yes' : 'NO'}; speed-up ${results.map((r) => (base.seconds / r.seconds).toFixed(2) + 'x').join(' / ')}`);
      if (!same) process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`  load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}
