import { writeFile } from 'node:fs/promises';
import { analyseSpeaker, goldSpeakerSpan, parseGoldJsonl, resolveGoldSpeaker, type GoldArticle } from './quote-metrics.js';
import { readText } from './read-input.js';

/**
 * ONE-OFF TOOL, run once to make `src/eval/gold/quotes-dev.referents.jsonl`; it is removed in the
 * commit after the data file is checked by hand (see `src/eval/gold/README.md`).
 *
 *     node bin/run-ts.js src/eval/freeze-referents.ts ../shared/eval/quotes-dev.jsonl src/eval/gold/quotes-dev.referents.jsonl
 *
 * For every gold direct quote whose speaker span is not a name (a pronoun such as "he", or a
 * description such as "the mayor" or "a campaign aide"), it writes the named person the span refers
 * to, as the scorer's own heuristic resolution (`resolveGoldSpeaker`) finds it today, or null when
 * it finds none. From then on the scorer reads the file instead of resolving at scoring time, so
 * the ruler stops moving with the code: the frozen answers are data, checked by hand, and changed
 * only in their own commits.
 */

export interface ReferentLine {
  article: string;
  /** index into the article's `quotes` */
  quote: number;
  /** the gold speaker span (the cue, where the annotation swapped speaker and cue) */
  speaker: string;
  kind: 'pronoun' | 'description';
  /** the named person the span refers to, as the article writes the name; null if never named */
  referent: string | null;
}

const sameTokens = (a: readonly string[] | undefined, b: readonly string[]): boolean => a !== undefined && a.length === b.length && a.every((t, i) => t === b[i]);

/** A capitalised run in running text, with an optional title or honorific in front. */
const CAPITALISED_RUN = /\p{Lu}[\p{L}'’.-]*(?:[ \u00a0]+(?:(?:de|van|von|der|da|di|du|la|le|del|al|bin)[ \u00a0]+)?\p{Lu}[\p{L}'’.-]*)*/gu;

/**
 * The person's name as the article writes it: a capitalised run of the text (or part of one) that
 * analyses to exactly these name tokens, preferring one that starts with the name itself and is not
 * possessive ("Donald Trump" over "Republican Donald Trump's"), then the longest; title-cased tokens
 * when the text has none.
 */
export function surfaceName(text: string, person: readonly string[]): string {
  let best: { name: string; clean: boolean } | undefined;
  const firstToken = person[0] ?? '';
  for (const m of text.matchAll(CAPITALISED_RUN)) {
    const words = m[0].split(/[ \u00a0]+/);
    for (let from = 0; from < words.length; from++) {
      for (let to = words.length; to > from; to--) {
        // A sentence's full stop is not part of the name ("... said Clinton."); an initial's is ("Jr.").
        const name = words.slice(from, to).join(' ').replace(/(\p{Lu}\p{Ll}{2,})\.$/u, '$1');
        const analysis = analyseSpeaker(name);
        if (analysis.kind !== 'name' || analysis.persons.length !== 1 || !sameTokens(analysis.persons[0], person)) continue;
        const first = words[from]!.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/['’]/g, '');
        const clean = first.startsWith(firstToken) && !/['’]s?$/.test(name);
        if (!best || (clean && !best.clean) || (clean === best.clean && name.length > best.name.length)) best = { name, clean };
      }
    }
  }
  return best?.name ?? person.map((t) => t.charAt(0).toUpperCase() + t.slice(1)).join(' ');
}

/** The frozen lines for one article (see the module comment). */
export function referentLines(article: GoldArticle): ReferentLine[] {
  const lines: ReferentLine[] = [];
  article.quotes.forEach((quote, index) => {
    if (quote.type !== 'direct') return;
    const span = goldSpeakerSpan(quote);
    const analysis = analyseSpeaker(span.text, span.start >= 0 ? { text: article.text, start: span.start } : undefined);
    if (analysis.kind !== 'pronoun' && analysis.kind !== 'description') return;
    const resolved = resolveGoldSpeaker(article, index);
    // A document's author stands for it when no person was found ("Hoff's letter" -> Hoff).
    const persons = resolved.persons.length > 0 ? resolved.persons : resolved.possessors;
    const referent = persons.length > 0 ? persons.map((p) => surfaceName(article.text, p)).join(' and ') : null;
    if (referent !== null) {
      const back = analyseSpeaker(referent).persons;
      if (back.length !== persons.length || !persons.every((p, k) => sameTokens(back[k], p))) {
        throw new Error(`${article.id} #${index}: "${referent}" does not read back as ${JSON.stringify(persons)}`);
      }
    }
    lines.push({ article: article.id, quote: index, speaker: span.text ?? '', kind: analysis.kind, referent });
  });
  return lines;
}

async function main(argv: string[]): Promise<void> {
  const [input, output] = argv;
  if (!input || !output) throw new Error('usage: freeze-referents.ts <quotes.jsonl> <out.referents.jsonl>');
  const gold = parseGoldJsonl(await readText(input));
  const lines = gold.flatMap(referentLines);
  await writeFile(output, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const named = lines.filter((l) => l.referent !== null).length;
  console.log(`${lines.length} non-name gold speakers of direct quotes: ${named} with a referent, ${lines.length - named} without; written to ${output}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`freeze-referents: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
