import { readFile, stat } from 'node:fs/promises';
import type { z } from 'zod';

/**
 * Reading eval inputs, with errors of one line that name the file (and line) at fault, so that a
 * wrong path or a broken record never ends in a stack trace.
 */

export class EvalInputError extends Error {
  override name = 'EvalInputError';
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'ENOTDIR') return 'not a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new EvalInputError(`${path}: ${reason(error)}`);
  }
}

export async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new EvalInputError(`${path}: ${reason(error)}`);
  }
}

export async function assertDirectory(path: string): Promise<void> {
  let isDirectory = false;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    throw new EvalInputError(`${path}: ${reason(error)}`);
  }
  if (!isDirectory) throw new EvalInputError(`${path}: not a directory`);
}

/** Parses JSON text; the error names the file and, for JSON Lines, the line. */
export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EvalInputError(`${where}: not valid JSON`);
  }
}

/** The records of a JSON Lines text, each checked against `schema`. */
export function parseJsonlRecords<S extends z.ZodType>(text: string, path: string, schema: S): z.infer<S>[] {
  const records: z.infer<S>[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${path}:${i + 1}`;
    const parsed = schema.safeParse(parseJson(line, where));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.length ? `"${issue.path.join('.')}": ` : '';
      throw new EvalInputError(`${where}: ${field}${issue?.message ?? 'invalid record'}`);
    }
    records.push(parsed.data);
  });
  return records;
}

/** Reads and checks a JSON Lines file. */
export async function readJsonlRecords<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>[]> {
  return parseJsonlRecords(await readText(path), path, schema);
}
