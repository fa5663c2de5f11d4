/** Word and punctuation tokens with their offsets, for the parts of the engine that read structure. */

export interface Token {
  text: string;
  start: number;
  end: number;
  /** A word (letters or digits), as opposed to punctuation. */
  word: boolean;
  lower: string;
}

// Words may hold inner apostrophes, hyphens, periods ("U.S", "BrightU.AI", "3.5") and commas
// between digit groups ("6,000"). Abbreviation periods are merged by the consumers that care.
const TOKEN = /[\p{L}\p{N}]+(?:(?:['’.\-–]|,(?=\d{3}\b))[\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

export function tokenize(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = TOKEN.exec(text)) !== null) {
    const t = match[0];
    tokens.push({
      text: t,
      start: offset + match.index,
      end: offset + match.index + t.length,
      word: /[\p{L}\p{N}]/u.test(t[0] ?? ''),
      lower: t.toLowerCase(),
    });
  }
  return tokens;
}

export function isCapitalized(word: string): boolean {
  const first = word[0];
  if (first === undefined) return false;
  if (first !== first.toUpperCase() || first === first.toLowerCase()) {
    // "al-Assad", "de Gaulle"-style prefixes, "iPhone"-style brands. Most lower-case words have
    // neither a capital second letter nor a hyphen after a short prefix: no regular expression for them.
    const second = word[1];
    if (second !== undefined && second !== second.toLowerCase()) return /^[a-z]\p{Lu}/u.test(word);
    if (word[2] === '-' || word[3] === '-') return /^(?:al|el|bin|ibn|abu)-\p{Lu}/u.test(word);
    return false;
  }
  return true;
}
