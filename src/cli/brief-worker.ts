import { formatBytes, idOfLine, MAX_ARTICLE_BYTES, parseJsonlLine } from '../articles/index.js';
import { createBriefing } from '../briefing/index.js';
import { BriefbotError, describeError } from '../errors.js';
import type { Line } from '../util/read-lines.js';

/**
 * One JSON Lines record in, one output line out: the briefing as JSON, or `{ id, error }` for a
 * record that cannot be briefed. `brief --jsonl --jobs 1` calls briefLine in its own thread; with
 * more jobs this module is the worker threads' entry (its default export is what piscina runs), so
 * both paths produce the very same bytes.
 */

export interface BriefLineTask {
  line: Line;
  points?: number;
}

export interface BriefedLine {
  /** The output line, without its line break. */
  out: string;
  failed: boolean;
}

export function briefLine(line: Line, points: number | undefined): BriefedLine {
  try {
    if (line.text !== undefined && !line.text.trim()) throw new BriefbotError('bad-record', `line ${line.number}: empty line`);
    if (line.problem === 'too-long') throw new BriefbotError('too-large', `line ${line.number}: record is ${formatBytes(line.bytes)}; the limit is ${formatBytes(MAX_ARTICLE_BYTES)}`);
    if (line.text === undefined) throw new BriefbotError('invalid-utf8', `line ${line.number}: not valid UTF-8 text`);
    const article = parseJsonlLine(line.text, line.number);
    return { out: JSON.stringify(createBriefing(article, points !== undefined ? { points } : {})), failed: false };
  } catch (error) {
    return { out: JSON.stringify({ id: line.text === undefined ? `line-${line.number}` : idOfLine(line.text, line.number), error: describeError(error) }), failed: true };
  }
}

/** The worker's task: piscina calls this with what brief-jsonl.ts sends. */
export default function briefLineTask({ line, points }: BriefLineTask): BriefedLine {
  return briefLine(line, points);
}
