import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { MAX_ARTICLE_BYTES } from '../articles/index.js';
import { BriefbotError } from '../errors.js';
import { createStoryIndex, type StoryIndex } from '../stories/index.js';
import { checkRegularFile } from '../util/read-bounded.js';
import { readLines } from '../util/read-lines.js';
import { drained } from '../util/drain.js';

/**
 * `briefbot stories --jsonl [file]`: groups JSON Lines articles into stories, in the order of the
 * lines (their order of arrival), with the engine the bot uses, and writes `{ "id", "story" }`
 * per line in input order. The story is the id of the article that started it.
 *
 * Unlike `brief --jsonl`, a bad line stops the run (with its line number) before anything is
 * written: every article's story can depend on the ones before it, and a later one can merge two
 * stories, so a grouping with a line missing is not the grouping of the file. Only the index's
 * features are held, not the texts, so memory grows with the number of articles, not their size.
 */

const RecordSchema = z
  .object({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    title: z.string().nullish(),
    text: z.string(),
    published: z.string().nullish(),
    outlet: z.string().nullish(),
    url: z.string().nullish(),
  })
  .passthrough();

function problem(number: number, message: string): BriefbotError {
  return new BriefbotError('bad-record', `line ${number}: ${message}`);
}

export interface StoriesJsonlOptions {
  /** A JSON Lines file; standard input when undefined or "-". */
  path: string | undefined;
  stdin?: Readable;
  stdout?: NodeJS.WritableStream;
}

/** Reads and groups every record; throws on the first bad line. */
export async function groupJsonl(input: Readable | NodeJS.ReadableStream): Promise<{ ids: string[]; index: StoryIndex }> {
  const index = createStoryIndex();
  const ids: string[] = [];
  for await (const line of readLines(input, MAX_ARTICLE_BYTES)) {
    if (line.problem === 'too-long') throw problem(line.number, `longer than ${MAX_ARTICLE_BYTES} bytes`);
    if (line.problem === 'invalid-utf8') throw problem(line.number, 'not valid UTF-8');
    const text = line.text!;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw problem(line.number, 'not valid JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw problem(line.number, 'expected a JSON object with "id" and "text"');
    const parsed = RecordSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.length ? `"${issue.path.join('.')}": ` : '';
      throw problem(line.number, `${field}${issue?.message ?? 'invalid record'}`);
    }
    const record = parsed.data;
    if (!record.text.trim()) throw problem(line.number, '"text" is empty');
    try {
      index.add(record);
    } catch (error) {
      throw problem(line.number, error instanceof Error ? error.message : String(error));
    }
    ids.push(record.id);
  }
  return { ids, index };
}

export async function storiesJsonl(options: StoriesJsonlOptions): Promise<number> {
  const { path, stdin = process.stdin, stdout = process.stdout } = options;
  const fromFile = path !== undefined && path !== '-';
  if (fromFile) await checkRegularFile(path, { noun: 'a JSON Lines file' });
  const input = fromFile ? createReadStream(path) : stdin;
  const { ids, index } = await groupJsonl(input);
  let closed = false;
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true;
    else throw error;
  });
  for (const id of ids) {
    if (closed) break;
    if (!stdout.write(JSON.stringify({ id, story: index.storyOf(id) }) + '\n')) await drained(stdout);
  }
  return 0;
}

