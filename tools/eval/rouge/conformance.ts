/**
 * One-off conformance check against the official ROUGE-1.5.5 outputs in the shared eval data
 * (not part of the unit tests, which use the copies in test/fixtures/rouge/):
 *
 *   npx tsx tools/eval/rouge/conformance.ts [dir]      (dir defaults to ../shared/eval/rouge)
 *
 * Prints, for official-pairs.jsonl, how many pairs match within 1e-4 (all nine numbers) and exactly
 * (5-decimal rounding as the Perl prints it), against both the REALSumm-stored scores (`rouge155`)
 * and the scores re-run here with the same input (`rouge155_rerun_here_stem` / `_nostem`); for
 * edge-cases.jsonl each variant; for stem-vectors.tsv the Porter and final `-m` tokens.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { porterStem, scoreRougeMulti, stem, type RougeOptions, type RougeScores } from './index.js';

type Triple = { r: number; p: number; f: number };
type Official = Record<string, Triple>;

const dir = resolve(process.argv[2] ?? join(process.cwd(), '..', 'shared', 'eval', 'rouge'));
const readJsonl = (name: string): Record<string, unknown>[] =>
  readFileSync(join(dir, name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

function compare(ours: RougeScores, official: Official, tol: number): string[] {
  const bad: string[] = [];
  for (const [metric, key] of [
    ['rouge1', 'rouge1'],
    ['rouge2', 'rouge2'],
    ['rougeL', official.rougeL ? 'rougeL' : 'rougel'],
  ] as const) {
    const o = official[key];
    if (!o) throw new Error(`missing ${key}`);
    for (const k of ['r', 'p', 'f'] as const) {
      if (Math.abs(ours[metric][k] - o[k]) > tol) bad.push(`${metric}.${k} ours=${ours[metric][k]} official=${o[k]}`);
    }
  }
  return bad;
}

const t0 = performance.now();
const pairs = readJsonl('official-pairs.jsonl');
const fields = ['rouge155', 'rouge155_rerun_here_stem', 'rouge155_rerun_here_nostem'] as const;
const tally: Record<string, { tol: number; exact: number; misses: string[] }> = {};
for (const f of fields) tally[f] = { tol: 0, exact: 0, misses: [] };
for (const rec of pairs) {
  const summary = rec.summary_sentences as string[];
  const reference = rec.reference_sentences as string[];
  for (const field of fields) {
    const opts: RougeOptions = { stemming: field !== 'rouge155_rerun_here_nostem' };
    const raw = scoreRougeMulti(summary, [reference], opts);
    const rounded = scoreRougeMulti(summary, [reference], { ...opts, officialRounding: true });
    const official = rec[field] as Official;
    const t = tally[field]!;
    const bad = compare(raw, official, 1e-4);
    if (bad.length === 0) t.tol++;
    else t.misses.push(`${String(rec.id)} verified=${String(rec.verified_by_rerun_here)}: ${bad.join('; ')}`);
    if (compare(rounded, official, 1e-9).length === 0) t.exact++;
  }
}
// The stored `rouge155` scores of REALSumm's bottom_up_out system were computed on the reference
// split into sentences at runs of spaces (the records hold it as one line); scored that way, as
// REALSumm did, they are reproduced too.
let asScored = 0;
for (const rec of pairs) {
  const reference = (rec.reference_sentences as string[]).flatMap((r) => (String(rec.system) === 'bottom_up_out' ? r.split(/\s{2,}/) : [r])).filter((r) => r.trim() !== '');
  const raw = scoreRougeMulti(rec.summary_sentences as string[], [reference], { stemming: true });
  if (compare(raw, rec.rouge155 as Official, 1e-4).length === 0) asScored++;
}
const elapsed = performance.now() - t0;
console.log(`official-pairs.jsonl: ${pairs.length} pairs (${(elapsed / 3 / 2).toFixed(0)} ms per full pass)`);
for (const f of fields) {
  const t = tally[f]!;
  console.log(
    `  vs ${f}: ${t.tol}/${pairs.length} (${((100 * t.tol) / pairs.length).toFixed(2)}%) within 1e-4, ${t.exact} exact`,
  );
  for (const m of t.misses.slice(0, Number(process.env.SHOW ?? 5))) console.log(`    ${m}`);
}
console.log(`  vs rouge155, bottom_up references split as REALSumm scored them: ${asScored}/${pairs.length} (${((100 * asScored) / pairs.length).toFixed(2)}%) within 1e-4`);

const edges = readJsonl('edge-cases.jsonl');
const variants: Record<string, RougeOptions> = {
  stem_fullDB: {},
  stem_emptyDB: { exceptions: new Map() },
  nostem: { stemming: false },
};
for (const [variant, opts] of Object.entries(variants)) {
  let ok = 0;
  let exact = 0;
  for (const rec of edges) {
    const refs = rec.reference_sentences as string[] | string[][];
    const references = Array.isArray(refs[0]) ? (refs as string[][]) : [refs as string[]];
    const official = (rec.rouge155 as Record<string, Official>)[variant]!;
    const summary = rec.summary_sentences as string[];
    const bad = compare(scoreRougeMulti(summary, references, opts), official, 1e-4);
    if (bad.length === 0) ok++;
    else console.log(`    edge ${String(rec.id)} ${variant}: ${bad.join('; ')}`);
    if (compare(scoreRougeMulti(summary, references, { ...opts, officialRounding: true }), official, 1e-9).length === 0)
      exact++;
  }
  console.log(`edge-cases.jsonl ${variant}: ${ok}/${edges.length} within 1e-4, ${exact} exact`);
}

const vectors = readFileSync(join(dir, 'stem-vectors.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
let porterOk = 0;
let finalOk = 0;
for (const line of vectors) {
  const [word, porter, final] = line.split('\t') as [string, string, string];
  if (porterStem(word) === porter) porterOk++;
  else console.log(`    porter ${word}: ours=${porterStem(word)} official=${porter}`);
  if (stem(word) === final) finalOk++;
  else console.log(`    -m ${word}: ours=${stem(word)} official=${final}`);
}
console.log(`stem-vectors.tsv: Porter ${porterOk}/${vectors.length}, final -m token ${finalOk}/${vectors.length}`);
