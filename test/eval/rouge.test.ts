import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  meanRouge,
  porterStem,
  rougeCounts,
  scoreRouge,
  scoreRougeMulti,
  stem,
  tokenize,
  type RougeOptions,
  type RougeScores,
} from '../../tools/eval/rouge/index.js';

// Conformance with official ROUGE-1.5.5 (`-n 2 -m`), on copies of the shared evaluation data kept in
// test/fixtures/rouge/ (see the README there for provenance). The full sets are checked by
// `npx tsx tools/eval/rouge/conformance.ts ../shared/eval/rouge`.

type Triple = { r: number; p: number; f: number };
type Official = { rouge1: Triple; rouge2: Triple; rougeL?: Triple; rougel?: Triple };

interface PairRecord {
  id: string;
  system: string;
  system_kind: string;
  summary_sentences: string[];
  reference_sentences: string[];
  rouge155: Official;
  rouge155_rerun_here_stem: Official;
  rouge155_rerun_here_nostem: Official;
  verified_by_rerun_here: boolean;
}

interface EdgeRecord {
  id: string;
  summary_sentences: string[];
  reference_sentences: string[] | string[][];
  rouge155: Record<'stem_fullDB' | 'stem_emptyDB' | 'nostem', Official>;
}

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/rouge/${name}`, import.meta.url), 'utf8');
const jsonl = <T>(name: string): T[] =>
  fixture(name)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);

const pairs = jsonl<PairRecord>('official-pairs.sample.jsonl');
const edges = jsonl<EdgeRecord>('edge-cases.jsonl');
const stemRows = fixture('stem-vectors.sample.tsv')
  .split('\n')
  .slice(1)
  .filter((l) => l !== '')
  .map((l) => l.split('\t') as [string, string, string]);

const METRICS = ['rouge1', 'rouge2', 'rougeL'] as const;

/** Differences beyond `tol` between our scores and an official record, as readable strings. */
function mismatches(ours: RougeScores, official: Official, tol: number): string[] {
  const out: string[] = [];
  for (const metric of METRICS) {
    const o = metric === 'rougeL' ? (official.rougeL ?? official.rougel) : official[metric];
    if (!o) throw new Error(`official record lacks ${metric}`);
    for (const k of ['r', 'p', 'f'] as const) {
      if (!(Math.abs(ours[metric][k] - o[k]) <= tol)) out.push(`${metric}.${k}: ours ${ours[metric][k]} vs ${o[k]}`);
    }
  }
  return out;
}

describe('ROUGE-1.5.5 tokenization', () => {
  it('lower-cases ASCII, splits hyphens off, drops lone hyphens and every other non-alphanumeric', () => {
    expect(tokenize('A top-four finish, e-mail!')).toEqual(['a', 'top', 'four', 'finish', 'e', 'mail']);
    expect(tokenize("He didn't go.")).toEqual(['he', 'didn', 't', 'go']);
    expect(tokenize('-lrb- cnn -rrb- --')).toEqual(['lrb', 'cnn', 'rrb']);
    expect(tokenize('Profits rose 76% to $1.13bn.')).toEqual(['profits', 'rose', '76', 'to', '1', '13bn']);
    expect(tokenize('user_name @handle #tag')).toEqual(['user', 'name', 'handle', 'tag']);
  });

  it('treats every non-ASCII character as a separator, as the byte-oriented Perl does', () => {
    expect(tokenize('Café owner José Mourão')).toEqual(['caf', 'owner', 'jos', 'mour', 'o']);
    expect(tokenize('“We’re ready,” she said\u00a0now')).toEqual(['we', 're', 'ready', 'she', 'said', 'now']);
    // U+212A KELVIN SIGN lower-cases to an ASCII "k" in JavaScript, but not in ROUGE.
    expect(tokenize('\u212Aelvin')).toEqual(['elvin']);
    expect(tokenize('')).toEqual([]);
  });
});

describe('ROUGE-1.5.5 -m stemming', () => {
  it(`reproduces ROUGE's own Porter stems and final -m tokens for ${stemRows.length} sampled words`, () => {
    const wrong: string[] = [];
    for (const [word, porter, final] of stemRows) {
      if (porterStem(word) !== porter) wrong.push(`porter(${word}) = ${porterStem(word)}, expected ${porter}`);
      if (stem(word) !== final) wrong.push(`stem(${word}) = ${stem(word)}, expected ${final}`);
    }
    expect(wrong).toEqual([]);
    expect(stemRows.length).toBeGreaterThan(2000);
  });

  it('carries the 2004 step-4 cascade, the WordNet lookup and the longer-than-3 rule', () => {
    expect(stem('environmental')).toBe('environ');
    expect(stem('agreement')).toBe('agreem');
    expect(stem('said')).toBe('say');
    expect(stem('says')).toBe('sai');
    expect(stem('children')).toBe('child');
    expect(stem('went')).toBe('go');
    expect(stem('cats')).toBe('cat');
    expect(stem('ran')).toBe('ran');
    expect(stem('was')).toBe('was');
    expect(stem('said', { exceptions: new Map() })).toBe('said');
  });
});

describe('ROUGE-1.5.5 edge cases (all variants)', () => {
  const variants: Record<'stem_fullDB' | 'stem_emptyDB' | 'nostem', RougeOptions> = {
    stem_fullDB: {},
    stem_emptyDB: { exceptions: new Map() },
    nostem: { stemming: false },
  };
  for (const [variant, options] of Object.entries(variants) as [keyof typeof variants, RougeOptions][]) {
    it(`matches every case scored with ${variant}`, () => {
      expect(edges.length).toBe(25);
      for (const rec of edges) {
        const refs = rec.reference_sentences;
        const references = Array.isArray(refs[0]) ? (refs as string[][]) : [refs as string[]];
        const official = rec.rouge155[variant];
        const raw = scoreRougeMulti(rec.summary_sentences, references, options);
        expect(mismatches(raw, official, 1e-4), `${rec.id} (${variant})`).toEqual([]);
        const rounded = scoreRougeMulti(rec.summary_sentences, references, { ...options, officialRounding: true });
        expect(mismatches(rounded, official, 1e-12), `${rec.id} (${variant}, exact)`).toEqual([]);
      }
    });
  }
});

describe(`ROUGE-1.5.5 per-pair scores (${pairs.length} REALSumm pairs)`, () => {
  it('samples every system', () => {
    expect(new Set(pairs.map((p) => `${p.system_kind}/${p.system}`)).size).toBe(25);
  });

  for (const [field, options] of [
    ['rouge155_rerun_here_stem', {}],
    ['rouge155_rerun_here_nostem', { stemming: false }],
  ] as const) {
    it(`reproduces ${field} within 1e-4 on at least 99% of pairs, and to the printed digit on all`, () => {
      const wrong: string[] = [];
      const inexact: string[] = [];
      for (const rec of pairs) {
        const ours = scoreRouge(rec.summary_sentences, rec.reference_sentences, options);
        const bad = mismatches(ours, rec[field], 1e-4);
        if (bad.length > 0) wrong.push(`${rec.id}: ${bad.join('; ')}`);
        const rounded = scoreRouge(rec.summary_sentences, rec.reference_sentences, {
          ...options,
          officialRounding: true,
        });
        if (mismatches(rounded, rec[field], 1e-12).length > 0) inexact.push(rec.id);
      }
      expect(1 - wrong.length / pairs.length, wrong.slice(0, 5).join('\n')).toBeGreaterThanOrEqual(0.99);
      expect(inexact).toEqual([]);
    });
  }

  it('reproduces the REALSumm-stored scores wherever a re-run of ROUGE-1.5.5 did', () => {
    const verified = pairs.filter((p) => p.verified_by_rerun_here);
    const wrong = verified.filter((rec) => {
      const ours = scoreRouge(rec.summary_sentences, rec.reference_sentences);
      return mismatches(ours, rec.rouge155, 1e-4).length > 0;
    });
    expect(wrong.map((w) => w.id)).toEqual([]);
  });

  it('explains the bottom_up pairs the stored scores disagree on: REALSumm scored the reference split into sentences', () => {
    // The stored bottom_up reference is one line with sentences separated by runs of spaces;
    // ROUGE-1/2 agree either way, ROUGE-L only once the line is split.
    const bottomUp = pairs.filter((p) => p.system === 'bottom_up_out' && !p.verified_by_rerun_here);
    expect(bottomUp.length).toBeGreaterThan(0);
    for (const rec of bottomUp) {
      const split = rec.reference_sentences.flatMap((s) => s.split(/\s{2,}/)).filter((s) => s.trim() !== '');
      expect(mismatches(scoreRouge(rec.summary_sentences, split), rec.rouge155, 1e-4), rec.id).toEqual([]);
    }
  });
});

describe('scoreRouge API', () => {
  it('accepts a string split into lines the same as an array of sentences', () => {
    const summary = ['Police arrived at the scene.', 'Fans left the stadium quietly.'];
    const reference = ['Fans left quietly and police arrived.', 'The scene was calm.'];
    expect(scoreRouge(summary.join('\n'), reference.join('\n'))).toEqual(scoreRouge(summary, reference));
    expect(scoreRouge(summary, reference).rougeL.f).toBeCloseTo(0.7, 10);
  });

  it('counts bigrams across sentence boundaries and clips repeated n-grams', () => {
    const counts = rougeCounts(['the the the the'], [['the cat the']]);
    expect(counts.rouge1).toEqual({ hits: 2, referenceCount: 3, summaryCount: 4 });
    expect(scoreRouge(['Police arrived.', 'Fans left.'], ['Police arrived fans left.']).rouge2.f).toBe(1);
  });

  it('returns zeros for empty input instead of NaN', () => {
    const empty = scoreRouge([], ['Something here.']);
    expect(empty).toEqual({ rouge1: { r: 0, p: 0, f: 0 }, rouge2: { r: 0, p: 0, f: 0 }, rougeL: { r: 0, p: 0, f: 0 } });
    expect(scoreRouge(['---'], ['...']).rougeL.f).toBe(0);
  });

  it('averages per-document scores with meanRouge', () => {
    const a = scoreRouge(['a b c'], ['a b c']);
    const b = scoreRouge(['x y z'], ['a b c']);
    expect(meanRouge([a, b]).rouge1).toEqual({ r: 0.5, p: 0.5, f: 0.5 });
    expect(meanRouge([]).rouge2).toEqual({ r: 0, p: 0, f: 0 });
  });

  it('scores ~110 documents well under a second', () => {
    const docs = pairs.slice(0, 110);
    const start = performance.now();
    for (const rec of docs) scoreRouge(rec.summary_sentences, rec.reference_sentences);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
