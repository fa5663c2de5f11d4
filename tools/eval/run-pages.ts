import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { createBriefing } from '../../src/briefing/index.js';
import { articleFromHtml } from '../../src/ingest/index.js';
import { formatPageReport, pageReport, scorePage, type PageReport, type PageResult } from './page-metrics.js';
import { EvalInputError, assertDirectory, parseJson, readBytes, readText } from './read-input.js';
import { createProgress } from '../../src/util/index.js';

/**
 * `npm run eval -- pages <dir>`: <dir> holds `ground-truth.json` ({id: {url, articleBody}}) and
 * `html/<id>.html.gz`. Each page goes through the product's own reader (`articleFromHtml`), its
 * body is scored with the benchmark's measure, and its briefing's key points and TL;DR are checked
 * against the human-marked body.
 */

const GroundTruthSchema = z.record(z.string(), z.object({ url: z.string(), articleBody: z.string() }).loose());

export interface PageEvalResult {
  dir: string;
  report: PageReport;
  /** why pages threw, grouped: message (page ids cut) -> count */
  extractionErrors: Record<string, number>;
  briefingErrors: Record<string, number>;
  perPage: PageResult[];
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** An error message with the page's own URL cut out, so that the same reason groups together. */
function reasonOf(message: string, url: string): string {
  return message.split(url.slice(0, 200)).join('<url>').split(url).join('<url>');
}

export async function evalPages(dir: string, options: { examples?: number } = {}): Promise<{ result: PageEvalResult; text: string }> {
  await assertDirectory(dir);
  const truthPath = join(dir, 'ground-truth.json');
  const parsed = GroundTruthSchema.safeParse(parseJson(await readText(truthPath), truthPath));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvalInputError(`${truthPath}: ${issue?.path.length ? `"${issue.path.join('.')}": ` : ''}${issue?.message ?? 'invalid ground truth'}`);
  }
  const truth = parsed.data;
  const htmlDir = join(dir, 'html');
  await assertDirectory(htmlDir);
  const available = new Set(await readdir(htmlDir));
  const missing = Object.keys(truth).filter((id) => !available.has(`${id}.html.gz`));
  if (missing.length > 0) throw new EvalInputError(`${htmlDir}: no ${missing[0]}.html.gz (${missing.length} pages of ground-truth.json have no HTML)`);

  const decoder = new TextDecoder('utf-8');
  const perPage: PageResult[] = [];
  const extractionErrors: Record<string, number> = {};
  const briefingErrors: Record<string, number> = {};
  const progress = createProgress({ label: 'reading pages', total: Object.keys(truth).length });
  for (const [id, { url, articleBody }] of Object.entries(truth)) {
    progress.tick();
    const path = join(htmlDir, `${id}.html.gz`);
    let html: string;
    try {
      html = decoder.decode(gunzipSync(await readBytes(path)));
    } catch (error) {
      throw error instanceof EvalInputError ? error : new EvalInputError(`${path}: not a gzip file (${errorText(error)})`);
    }
    let body = '';
    let briefing: Parameters<typeof scorePage>[3];
    let extractionError: string | undefined;
    try {
      const { article } = articleFromHtml(html, url);
      body = article.blocks.map((b) => b.text).join('\n\n');
      try {
        const b = createBriefing(article);
        briefing = { keyPoints: b.keyPoints.map((k) => k.text), tldr: b.tldr };
      } catch (error) {
        const reason = reasonOf(errorText(error), url);
        briefingErrors[reason] = (briefingErrors[reason] ?? 0) + 1;
        briefing = { keyPoints: [], error: reason };
      }
    } catch (error) {
      extractionError = reasonOf(errorText(error), url);
      extractionErrors[extractionError] = (extractionErrors[extractionError] ?? 0) + 1;
    }
    perPage.push(scorePage(id, articleBody, extractionError !== undefined ? { body, error: extractionError } : { body }, briefing));
  }
  progress.done();
  const result: PageEvalResult = { dir, report: pageReport(perPage), extractionErrors, briefingErrors, perPage };
  const lines = [`Pages: ${perPage.length} pages from ${dir}`, '', formatPageReport(result.report)];
  const reasons = (label: string, errors: Record<string, number>): void => {
    const entries = Object.entries(errors).sort((a, b) => b[1] - a[1]);
    if (entries.length > 0) lines.push('', `${label}:`, ...entries.map(([reason, n]) => `  ${n} × ${reason}`));
  };
  reasons('pages the reader threw on (scored as an empty body)', extractionErrors);
  reasons('pages the briefing threw on (no key points or TL;DR)', briefingErrors);
  if (options.examples) lines.push('', pageExamples(perPage, options.examples));
  return { result, text: lines.join('\n') };
}

/** Key points and TL;DRs that failed a check, with the page id, for reading. */
function pageExamples(pages: readonly PageResult[], limit: number): string {
  const notInBody: string[] = [];
  const notWhole: string[] = [];
  const notAlone: string[] = [];
  const cut = (text: string): string => (text.length > 200 ? text.slice(0, 200) + '…' : text);
  for (const page of pages) {
    const tag = `[${page.id.slice(0, 12)}, half ${page.half}]`;
    const items = [...page.keyPoints.map((k) => ({ ...k, kind: 'KP' })), ...(page.tldr ? [{ ...page.tldr, kind: 'TLDR' }] : [])];
    for (const item of items) {
      if (!item.inBody) notInBody.push(`${tag} ${item.kind} ${cut(item.text)}`);
      if (!item.whole) notWhole.push(`${tag} ${item.kind} ${cut(item.text)}`);
    }
    if (page.tldr && page.tldr.standsAlone !== 'stands alone') notAlone.push(`${tag} (${page.tldr.standsAlone}) ${cut(page.tldr.text)}`);
  }
  return [
    `Not in the body (${notInBody.length}):`,
    ...notInBody.slice(0, limit),
    '',
    `Not whole (${notWhole.length}):`,
    ...notWhole.slice(0, limit),
    '',
    `TL;DRs that do not stand alone (${notAlone.length}):`,
    ...notAlone.slice(0, limit),
  ].join('\n');
}
