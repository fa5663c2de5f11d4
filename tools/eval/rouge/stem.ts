import { readFileSync } from 'node:fs';
import { porterStem } from './porter.js';

/**
 * ROUGE-1.5.5 `-m` stemming of one token (`MorphStem` behind the `length > 3` rule):
 * tokens of 3 characters or fewer are left alone; longer ones are looked up in the WordNet 2.0
 * exception list (`said` -> `say`, `children` -> `child`, `went` -> `go`), else Porter-stemmed
 * with ROUGE's own "Release 1" stemmer.
 */

let exceptions: Map<string, string> | undefined;

/** The WordNet-2.0 exception table shipped beside this file (form -> base), loaded once. */
export function wordnetExceptions(): ReadonlyMap<string, string> {
  if (!exceptions) {
    const text = readFileSync(new URL('./wordnet-exceptions.tsv', import.meta.url), 'utf8');
    exceptions = parseExceptionTable(text);
  }
  return exceptions;
}

/** Parses `form<TAB>base` lines; `#` comment lines and the `form\tbase` header are skipped. */
export function parseExceptionTable(text: string): Map<string, string> {
  const table = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const form = line.slice(0, tab);
    const base = line.slice(tab + 1).replace(/\r$/, '');
    if (form === 'form' && base === 'base') continue;
    table.set(form, base);
  }
  return table;
}

/** Options for {@link stem}: `exceptions` replaces the WordNet table (an empty map = ROUGE with an empty DB). */
export interface StemOptions {
  exceptions?: ReadonlyMap<string, string>;
}

/** The token ROUGE-1.5.5 `-m` scores for one lower-case token. */
export function stem(token: string, options: StemOptions = {}): string {
  if (token.length <= 3) return token;
  const table = options.exceptions ?? wordnetExceptions();
  return table.get(token) ?? porterStem(token);
}
