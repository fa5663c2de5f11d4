/**
 * The Porter stemmer exactly as ROUGE-1.5.5 ships it ("Release 1" of Martin Porter's Perl
 * version, with Chin-Yew Lin's 2004-02-14 change to step 4). It is NOT the textbook Porter
 * algorithm and not NLTK's or the "Release 2"/Snowball variants; the differences that matter:
 *
 * - step 4 is a cascade of three checks on the updated word: first the suffix list
 *   (al|ance|ence|er|ic|able|ible|ant|ement|ou|ism|ate|iti|ous|ive|ize), then `-ment`, then
 *   `-ent` (else `-sion/-tion`). So `environmental` -> `environment` -> `environ` and
 *   `agreement` -> `agreem` (the `-ement` rule fails on m, then `-ent` succeeds).
 * - step 1b restores a final `e` only when the WHOLE word is C v [^aeiouwxy] with a non-empty
 *   leading consonant sequence (`^C v [^aeiouwxy]$`); step 5 uses the same test.
 * - `y` counts as a consonant in the single-consonant class `[^aeiou]` but as a vowel in `[aeiouy]`,
 *   as in the Perl regexes below; an initial `y` is upper-cased while stemming so it is never a vowel.
 *
 * The regexes are transcribed one for one from the Perl (`$c`, `$v`, `$C`, `$V`, `$mgr0`, `$meq1`,
 * `$mgr1`, `$_v`); JavaScript and Perl agree on these constructs (leftmost match, backtracking).
 * The word is assumed lower-case ASCII [a-z0-9]; ROUGE only calls it on tokens longer than 3.
 * Verified against 28,263 stems produced by ROUGE-1.5.5 itself (see test/eval/rouge.test.ts).
 */

const c = '[^aeiou]'; // consonant
const v = '[aeiouy]'; // vowel
const C = `${c}[^aeiouy]*`; // consonant sequence
const V = `${v}[aeiou]*`; // vowel sequence

const MGR0 = new RegExp(`^(${C})?${V}${C}`); // [C]VC... is m>0
const MEQ1 = new RegExp(`^(${C})?${V}${C}(${V})?$`); // [C]VC[V] is m=1
const MGR1 = new RegExp(`^(${C})?${V}${C}${V}${C}`); // [C]VCVC... is m>1
const HAS_VOWEL = new RegExp(`^(${C})?${v}`); // vowel in stem
const CVC = new RegExp(`^${C}${v}[^aeiouwxy]$`);

const STEP2: Record<string, string> = {
  ational: 'ate',
  tional: 'tion',
  enci: 'ence',
  anci: 'ance',
  izer: 'ize',
  bli: 'ble',
  alli: 'al',
  entli: 'ent',
  eli: 'e',
  ousli: 'ous',
  ization: 'ize',
  ation: 'ate',
  ator: 'ate',
  alism: 'al',
  iveness: 'ive',
  fulness: 'ful',
  ousness: 'ous',
  aliti: 'al',
  iviti: 'ive',
  biliti: 'ble',
  logi: 'log',
};
const STEP3: Record<string, string> = {
  icate: 'ic',
  ative: '',
  alize: 'al',
  iciti: 'ic',
  ical: 'ic',
  ful: '',
  ness: '',
};

// Same alternations as the Perl; anchored at the end, the leftmost match is the longest suffix.
const STEP2_RE =
  /(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
const STEP3_RE = /(icate|ative|alize|iciti|ical|ful|ness)$/;
const STEP4_RE = /(al|ance|ence|er|ic|able|ible|ant|ement|ou|ism|ate|iti|ous|ive|ize)$/;

/** ROUGE-1.5.5's Porter stem of one lower-case word (no WordNet lookup, no length rule). */
export function porterStem(word: string): string {
  let w = word;
  if (w.length < 3) return w;
  const initialY = w.startsWith('y');
  if (initialY) w = 'Y' + w.slice(1);

  let m: RegExpExecArray | null;
  let stem: string;

  // Step 1a
  if ((m = /(ss|i)es$/.exec(w))) w = w.slice(0, m.index) + m[1];
  else if ((m = /([^s])s$/.exec(w))) w = w.slice(0, m.index) + m[1];

  // Step 1b
  if ((m = /eed$/.exec(w))) {
    if (MGR0.test(w.slice(0, m.index))) w = w.slice(0, -1);
  } else if ((m = /(ed|ing)$/.exec(w))) {
    stem = w.slice(0, m.index);
    if (HAS_VOWEL.test(stem)) {
      w = stem;
      if (/(at|bl|iz)$/.test(w)) w += 'e';
      else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
      else if (CVC.test(w)) w += 'e';
    }
  }

  // Step 1c
  if ((m = /y$/.exec(w))) {
    stem = w.slice(0, m.index);
    if (HAS_VOWEL.test(stem)) w = stem + 'i';
  }

  // Step 2
  if ((m = STEP2_RE.exec(w))) {
    stem = w.slice(0, m.index);
    if (MGR0.test(stem)) w = stem + (STEP2[m[1]!] ?? '');
  }

  // Step 3
  if ((m = STEP3_RE.exec(w))) {
    stem = w.slice(0, m.index);
    if (MGR0.test(stem)) w = stem + (STEP3[m[1]!] ?? '');
  }

  // Step 4 (CYL 2004: a cascade, so -ement words do not stop at the first rule)
  if ((m = STEP4_RE.exec(w))) {
    stem = w.slice(0, m.index);
    if (MGR1.test(stem)) w = stem;
  }
  if ((m = /ment$/.exec(w))) {
    stem = w.slice(0, m.index);
    if (MGR1.test(stem)) w = stem;
  }
  if ((m = /ent$/.exec(w))) {
    stem = w.slice(0, m.index);
    if (MGR1.test(stem)) w = stem;
  } else if ((m = /(s|t)(ion)$/.exec(w))) {
    stem = w.slice(0, m.index) + m[1];
    if (MGR1.test(stem)) w = stem;
  }

  // Step 5
  if ((m = /e$/.exec(w))) {
    stem = w.slice(0, m.index);
    if (MGR1.test(stem) || (MEQ1.test(stem) && !CVC.test(stem))) w = stem;
  }
  if (/ll$/.test(w) && MGR1.test(w)) w = w.slice(0, -1);

  if (initialY) w = 'y' + w.slice(1);
  return w;
}
