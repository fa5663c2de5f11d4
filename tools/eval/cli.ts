import { parseArgs } from 'node:util';
import { z } from 'zod';
import { articleFromRecord } from '../../src/articles/index.js';
import { createBriefing, listSentences, type Briefing } from '../../src/briefing/index.js';
import { createProgress } from '../../src/util/index.js';
import { meanRouge, scoreRouge, type RougeScores } from './rouge/index.js';
import { readJsonlRecords } from './read-input.js';
import { evalFigures } from './run-figures.js';
import { evalPages } from './run-pages.js';
import { evalQuotes } from './run-quotes.js';
import { evalStories } from './run-stories.js';

/**
 * `npm run eval -- summaries <file.jsonl> [--sentences N] [--tldr] [--json] [--examples N]`
 * `npm run eval -- quotes <file.jsonl> [--referents <file>] [--json] [--examples N]`
 * `npm run eval -- figures <file.jsonl> [--json] [--examples N]`
 * `npm run eval -- pages <dir> [--json] [--examples N]`
 * `npm run eval -- stories <file.jsonl> [--grouping <file.jsonl>] [--json] [--examples N]`
 *
 * Runs the briefing engine over annotated data and scores it: key points (or the TL;DR) against
 * the reference summaries with ROUGE-1.5.5-conformant ROUGE, beside the Lead-N baseline from the
 * same sentence splitter; direct quotes and their speakers against gold attributions; figures
 * against annotated quantities (value, and value+unit); web pages through the product's HTML reader
 * (body extraction with the benchmark's measure, and whether the briefing's sentences are whole
 * sentences of the marked body). Figures and pages are also scored on two fixed halves.
 * The measures are those of `../shared/eval/README.md`; bad input ends in one line on stderr and a
 * non-zero exit.
 */

const SummaryRecordSchema = z.object({
  id: z.union([z.string(), z.number()]),
  title: z.string().nullish(),
  text: z.string(),
  summary: z.array(z.string()).min(1),
});

const USAGE = `Usage:
  npm run eval -- summaries <file.jsonl> [--sentences N] [--tldr] [--json] [--examples N]
  npm run eval -- quotes <file.jsonl> [--referents <file>] [--json] [--examples N]
  npm run eval -- figures <file.jsonl> [--json] [--examples N]
  npm run eval -- pages <dir> [--json] [--examples N]
  npm run eval -- stories <file.jsonl> [--grouping <file.jsonl>] [--json] [--examples N]

summaries: key points vs the reference summary (ROUGE-1/2/L F1, mean of per-document F),
           beside Lead-3 (or Lead-N with --sentences N); --tldr scores the TL;DR against the
           first reference sentence beside Lead-1.
quotes:    direct-quote precision/recall/F1 at overlap 0.3 and 0.8, and speaker accuracy on gold
           names and on all gold speakers; pronoun and description speakers stand for the
           frozen referents of --referents (default for a file named quotes-dev.jsonl:
           tools/eval/gold/quotes-dev.referents.jsonl); without one they have no referent.
figures:   figures shown vs annotated quantities: value and value+unit precision/recall/F1, for
           the whole set and two fixed halves (A/B, by a hash of the record id); --examples N
           lists figures shown that matched no quantity on value and unit.
pages:     <dir> holds ground-truth.json and html/<id>.html.gz; body extraction precision/recall/F1
           (the benchmark's 4-token shingle measure), and the briefing's key points and TL;DRs:
           % in the marked body, % whole, # of TL;DRs that do not stand alone; whole set and
           halves A/B; --examples N lists the key points and TL;DRs that fail a check.
stories:   records {id, title, text, published, outlet, url, story, split} grouped in file order
           by the story engine (as \`briefbot stories --jsonl\`), scored against \`story\`: B-cubed and
           pairwise precision/recall/F1 for each split and the whole; --examples N lists found
           stories that mix labels and labelled stories that were split; --grouping scores the
           {id, story} lines of a file (\`briefbot stories --jsonl\` output, or a second
           annotator's labels) instead of running the engine.`;

function words(lines: string[]): number {
  return lines.join(' ').split(/\s+/).filter(Boolean).length;
}

const pct = (x: number): string => (100 * x).toFixed(2);

export interface SummaryEvalResult {
  documents: number;
  mode: 'key points' | 'tldr';
  baseline: string;
  ours: RougeScores;
  lead: RougeScores;
  oursWords: number;
  leadWords: number;
  millisecondsPerArticle: number;
}

export async function evalSummaries(path: string, options: { sentences?: number; tldr?: boolean; examples?: number }): Promise<SummaryEvalResult> {
  const records = await readJsonlRecords(path, SummaryRecordSchema);
  const ours: RougeScores[] = [];
  const lead: RougeScores[] = [];
  let oursWords = 0;
  let leadWords = 0;
  let elapsed = 0;
  const n = options.tldr ? 1 : (options.sentences ?? 3);
  const examples: string[] = [];
  const progress = createProgress({ label: 'briefing summaries', total: records.length });
  for (const record of records) {
    progress.tick();
    const article = articleFromRecord({ id: String(record.id), title: record.title ?? null, text: record.text });
    const started = performance.now();
    const briefing: Briefing = createBriefing(article, options.sentences !== undefined ? { points: options.sentences } : {});
    elapsed += performance.now() - started;
    const summary = options.tldr ? [briefing.tldr] : briefing.keyPoints.map((k) => k.text);
    const baseline = listSentences(article).slice(0, n);
    const reference = options.tldr ? record.summary.slice(0, 1) : record.summary;
    const o = scoreRouge(summary, reference);
    const l = scoreRouge(baseline, reference);
    ours.push(o);
    lead.push(l);
    oursWords += words(summary);
    leadWords += words(baseline);
    if (options.examples && examples.length < options.examples && o.rouge1.f < l.rouge1.f - 0.1) {
      examples.push(
        [`--- ${record.id}: ours R-1 ${pct(o.rouge1.f)} vs lead ${pct(l.rouge1.f)}`, 'REF:  ' + reference.join(' '), 'OURS: ' + summary.join(' | '), 'LEAD: ' + baseline.join(' | ')].join('\n'),
      );
    }
  }
  progress.done();
  if (examples.length > 0) console.log(examples.join('\n\n') + '\n');
  return {
    documents: records.length,
    mode: options.tldr ? 'tldr' : 'key points',
    baseline: `Lead-${n}`,
    ours: meanRouge(ours),
    lead: meanRouge(lead),
    oursWords: oursWords / records.length,
    leadWords: leadWords / records.length,
    millisecondsPerArticle: elapsed / records.length,
  };
}

export function formatSummaryReport(r: SummaryEvalResult): string {
  const label = r.mode === 'tldr' ? 'TL;DR' : 'briefbot';
  const rows: string[][] = [['metric (F1, mean per doc)', label, r.baseline, 'difference']];
  for (const [name, key] of [['ROUGE-1', 'rouge1'], ['ROUGE-2', 'rouge2'], ['ROUGE-L', 'rougeL']] as const) {
    const d = r.ours[key].f - r.lead[key].f;
    rows.push([name, pct(r.ours[key].f), pct(r.lead[key].f), `${d >= 0 ? '+' : ''}${pct(d)}`]);
  }
  rows.push(['mean words per summary', r.oursWords.toFixed(1), r.leadWords.toFixed(1), `${r.oursWords - r.leadWords >= 0 ? '+' : ''}${(r.oursWords - r.leadWords).toFixed(1)}`]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const table = rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
  return `Summaries: ${r.documents} articles, ${r.mode} vs ${r.baseline} (same sentence splitter), ROUGE-1.5.5 -n 2 -m\n\n${table}\n\nengine time: ${r.millisecondsPerArticle.toFixed(2)} ms per article (mean)`;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        sentences: { type: 'string' },
        tldr: { type: 'boolean' },
        json: { type: 'boolean' },
        examples: { type: 'string' },
        referents: { type: 'string' },
        grouping: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(`eval: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [kind, path] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!kind || !path || !['summaries', 'quotes', 'figures', 'pages', 'stories'].includes(kind)) {
    console.error(USAGE);
    return 2;
  }
  if (values.grouping !== undefined && kind !== 'stories') {
    console.error('eval: --grouping is for the stories eval');
    return 2;
  }
  const examples = values.examples !== undefined ? Number(values.examples) : undefined;
  if (examples !== undefined && (!Number.isInteger(examples) || examples < 0)) {
    console.error('eval: --examples must be a whole number');
    return 2;
  }
  if (kind === 'summaries') {
    const sentences = values.sentences !== undefined ? Number(values.sentences) : undefined;
    if (sentences !== undefined && (!Number.isInteger(sentences) || sentences < 1 || sentences > 5)) {
      console.error('eval: --sentences must be a whole number from 1 to 5');
      return 2;
    }
    const result = await evalSummaries(path, { ...(sentences !== undefined ? { sentences } : {}), tldr: Boolean(values.tldr), ...(examples ? { examples } : {}) });
    console.log(values.json ? JSON.stringify(result, null, 2) : formatSummaryReport(result));
  } else if (kind === 'figures') {
    const { result, text } = await evalFigures(path, examples ? { examples } : {});
    console.log(values.json ? JSON.stringify({ ...result, perSentence: undefined }, null, 2) : text);
  } else if (kind === 'stories') {
    const { result, text } = await evalStories(path, { ...(examples ? { examples } : {}), ...(values.grouping !== undefined ? { grouping: values.grouping } : {}) });
    console.log(values.json ? JSON.stringify(result, null, 2) : text);
  } else if (kind === 'pages') {
    const { result, text } = await evalPages(path, examples ? { examples } : {});
    console.log(values.json ? JSON.stringify({ ...result, perPage: undefined }, null, 2) : text);
  } else {
    const { report, text } = await evalQuotes(path, { ...(examples ? { examples } : {}), ...(values.referents !== undefined ? { referents: values.referents } : {}) });
    console.log(values.json ? JSON.stringify({ ...report, perArticle: undefined }, null, 2) : text);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`eval: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
