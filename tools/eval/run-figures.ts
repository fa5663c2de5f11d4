import { articleFromRecord } from '../../src/articles/index.js';
import { createBriefing } from '../../src/briefing/index.js';
import {
  FigureRecordSchema,
  figureReport,
  formatFigureReport,
  scoreSentenceFigures,
  type FigureRecord,
  type FigureReport,
  type SentenceFigureResult,
  type ShownFigure,
} from './figure-metrics.js';
import { readJsonlRecords } from './read-input.js';
import { createProgress } from '../../src/util/index.js';

/**
 * `npm run eval -- figures <file.jsonl>`: each record's sentence is briefed as an article of its
 * own, and the briefing's figures are scored against the sentence's gold quantities.
 */

export interface FigureEvalResult {
  file: string;
  report: FigureReport;
  /** records the engine threw on (scored as showing no figures), with the message */
  failures: { id: string; error: string }[];
  perSentence: SentenceFigureResult[];
  millisecondsPerSentence: number;
}

function figuresOf(record: FigureRecord): ShownFigure[] {
  const briefing = createBriefing(articleFromRecord({ id: record.id, title: null, text: record.text }));
  return briefing.figures.map((f) => ({ value: f.value, quantity: f.quantity, what: f.what, ...(f.unit !== undefined ? { unit: f.unit } : {}) }));
}

export async function evalFigures(path: string, options: { examples?: number } = {}): Promise<{ result: FigureEvalResult; text: string }> {
  const records = await readJsonlRecords(path, FigureRecordSchema);
  const perSentence: SentenceFigureResult[] = [];
  const failures: FigureEvalResult['failures'] = [];
  const shownBy = new Map<string, ShownFigure[]>();
  let elapsed = 0;
  const progress = createProgress({ label: 'briefing sentences', total: records.length });
  for (const record of records) {
    progress.tick();
    let shown: ShownFigure[] = [];
    const started = performance.now();
    try {
      shown = figuresOf(record);
    } catch (error) {
      failures.push({ id: record.id, error: error instanceof Error ? error.message : String(error) });
    }
    elapsed += performance.now() - started;
    shownBy.set(record.id, shown);
    perSentence.push(scoreSentenceFigures(record.id, shown, record.quantities));
  }
  progress.done();
  const result: FigureEvalResult = {
    file: path,
    report: figureReport(perSentence),
    failures,
    perSentence,
    millisecondsPerSentence: records.length > 0 ? elapsed / records.length : 0,
  };
  const lines = [
    `Figures: ${records.length} sentences from ${path}; precision over the figures shown, recall over all gold quantities (a briefing shows key figures only)`,
    '',
    formatFigureReport(result.report),
  ];
  if (failures.length > 0) lines.push('', `engine threw on ${failures.length} sentences (scored as no figures): ` + failures.slice(0, 5).map((f) => `${f.id}: ${f.error}`).join('; '));
  if (options.examples) lines.push('', figureExamples(records, shownBy, perSentence, options.examples));
  return { result, text: lines.join('\n') };
}

const describeFigure = (f: ShownFigure): string => `"${f.value}" (${f.quantity})${f.unit ? ` unit "${f.unit}"` : ''} what "${f.what}"`;

/** Figures shown that matched no gold quantity on value and unit, with the gold, for reading. */
function figureExamples(records: readonly FigureRecord[], shownBy: ReadonlyMap<string, ShownFigure[]>, results: readonly SentenceFigureResult[], limit: number): string {
  const out: string[] = [`Figures shown that did not match on value and unit (first ${limit}):`];
  let count = 0;
  for (const [i, record] of records.entries()) {
    if (count >= limit) break;
    const r = results[i]!;
    const shown = shownBy.get(record.id) ?? [];
    const matchedUnit = new Set(r.valueUnitPairs.map(([f]) => f));
    const byValue = new Map(r.valuePairs);
    const misses = shown.flatMap((f, k) => (matchedUnit.has(k) ? [] : [`  ${byValue.has(k) ? 'UNIT ' : 'VALUE'} ${describeFigure(f)}`]));
    if (misses.length === 0) continue;
    count += misses.length;
    const gold = record.quantities.map((q) => `${q.value} ${q.unit} (${q.normalized_unit})`).join('; ') || '(none)';
    out.push(`--- [${record.id}, half ${r.half}] ${record.text.slice(0, 240)}`, ...misses, `  gold: ${gold}`);
  }
  return out.join('\n');
}
