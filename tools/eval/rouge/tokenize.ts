/**
 * Tokenization exactly as ROUGE-1.5.5 (`readText`/`readText_LCS` + `tokenizeText_LCS`) does it:
 *
 * 1. lower-case ASCII letters only (`tr/A-Z/a-z/`: the Perl reads bytes, so `É` stays as it is);
 * 2. put spaces around every `-` (`s/-/ - /g`), so `top-four` is `top - four`;
 * 3. every character outside `[A-Za-z0-9-]` becomes a space (`s/[^A-Za-z0-9\-]/ /g`): punctuation,
 *    apostrophes (`didn't` -> `didn t`), `$`, `%`, `_`, and every non-ASCII character
 *    (`café` -> `caf`, `Mourão` -> `mour o`; the Perl sees UTF-8 bytes, all of them separators);
 * 4. split on whitespace and keep only tokens that start with `[a-z0-9]` (`/^[a-z0-9\$]/`; after
 *    step 3 that only drops the lone `-` tokens).
 *
 * Upper-case non-ASCII letters whose JavaScript lower-case form is ASCII (the Kelvin sign `K`,
 * `İ`) are separators in ROUGE too, which is why step 1 is ASCII-only here.
 */
export function tokenize(text: string): string[] {
  const cleaned = text
    .replace(/[A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 32))
    .replace(/-/g, ' - ')
    .replace(/[^A-Za-z0-9-]/g, ' ');
  const tokens: string[] = [];
  for (const t of cleaned.split(' ')) {
    if (t !== '' && /^[a-z0-9]/.test(t)) tokens.push(t);
  }
  return tokens;
}

/**
 * Splits a text into ROUGE's sentence units: one per line, as ROUGE-1.5.5 reads SPL/SEE files.
 * Empty lines are dropped (they hold no tokens either way).
 */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => line.length > 0);
}
