/** Text folding and matching shared by every library implementation. */

const STOP = new Set(['the', 'a', 'an', 'of', 'and', 'or', 'to', 'in', 'on', 'is', 'it', 'that', 'this', 'for', 'with', 'by', 'at', 'as', 'be', 'are', 'was']);

/** Lower-case, accents removed, apostrophes dropped: "Zelenskyy’s" -> "zelenskyys". */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '');
}

/** The words that matter for matching; a text made only of stop words keeps them ("/quote the"). */
export function terms(text: string): string[] {
  const all = fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  const content = all.filter((t) => !STOP.has(t));
  return content.length > 0 ? content : all;
}

/**
 * Whether a typed name refers to this speaker: every word typed matches a word of the name,
 * whole or as its start (three letters at least). "zelensky", "Volodymyr Zelensky" and
 * "zel" all find "Volodymyr Zelensky"; "Kim" finds "Kim Jong Un".
 */
export function speakerMatches(typed: string, speaker: string | undefined): boolean {
  if (!speaker) return false;
  const wanted = terms(typed);
  if (wanted.length === 0) return false;
  const have = terms(speaker);
  return wanted.every((w) => have.some((h) => h === w || (w.length >= 3 && h.startsWith(w))));
}

/** Ids of articles a person might type: any case, spaces for hyphens. */
export function normaliseReference(reference: string): string {
  return fold(reference).trim().replace(/\s+/g, '-');
}
