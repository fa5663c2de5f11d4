import type { Article, Block } from './article.js';
import { slugify } from './slug.js';

/**
 * Plain text, with or without the layout news sites export: a headline line, a byline such as
 * `By NAME // YYYY-MM-DD`, the publisher's bullet points, then paragraphs, short unpunctuated
 * lines as subheadings, and often a trailing `Sources include: ...` line (left in the body,
 * where the briefing sets it aside as boilerplate).
 */

export interface PlainTextMeta {
  id?: string;
  title?: string;
  author?: string;
  published?: string;
  url?: string;
  outlet?: string;
}

const BULLET = /^\s*(?:[•·▪◦●‣*]|-(?!-)|–)\s+(.*)$/u;
const BYLINE = /^\s*by\s+(.+?)\s*(?:(?:\/\/|\||·|—|–|,|\bon\b)\s*(.+?))?\s*$/iu;
const DATE_ONLY = /^\s*(?:published|posted|updated)?:?\s*(\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?|\w+ \d{1,2}, \d{4})\s*$/i;
const TERMINAL = /[.!?…]["'”’)\]]*$/;

function toIsoDate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const iso = /\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?/.exec(text);
  if (iso) return iso[0].replace(' ', 'T');
  // "March 5, 2024" parses as local midnight: read the calendar day back in local time too, so the
  // date is the one written whatever the machine's time zone.
  const parsed = new Date(text);
  if (Number.isNaN(parsed.getTime())) return undefined;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${parsed.getFullYear()}-${pad(parsed.getMonth() + 1)}-${pad(parsed.getDate())}`;
}

/** A line that reads as a headline: short, no sentence-ending period, more text after it. */
function looksLikeHeadline(line: string): boolean {
  const trimmed = line.trim();
  const words = trimmed.split(/\s+/).length;
  return trimmed.length <= 200 && words <= 30 && !/[.!…,;:]$/.test(trimmed) && /^["“'‘]?[\p{Lu}\p{N}]/u.test(trimmed);
}

/** A line that reads as a subheading inside the body: short, capitalised, unpunctuated. */
function looksLikeSubheading(line: string): boolean {
  const trimmed = line.trim();
  const words = trimmed.split(/\s+/).length;
  return words <= 14 && trimmed.length <= 120 && !TERMINAL.test(trimmed) && !/[,;:]$/.test(trimmed) && /^[\p{Lu}\p{N}"“]/u.test(trimmed);
}

/**
 * Groups lines into paragraphs. Lines separated by blank lines are paragraphs; inside a group,
 * hard-wrapped lines (no sentence end, next line carrying on) are joined, while one-paragraph-
 * per-line text keeps each line.
 */
export function linesToBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  const wrapped = isHardWrapped(lines);
  let current = '';
  const flush = (): void => {
    const text = current.replace(/\s+/g, ' ').trim();
    if (text) blocks.push({ kind: 'paragraph', text });
    current = '';
  };
  for (const raw of lines) {
    const line = raw.replace(/\t/g, ' ').trimEnd();
    if (!line.trim()) {
      flush();
      continue;
    }
    const bullet = BULLET.exec(line);
    const content = bullet ? (bullet[1] ?? '') : line.trim();
    if (!current) {
      current = content;
      continue;
    }
    // A line starting in lower case after one that stops mid-sentence always continues it
    // ("...expansion\nof Port Vell"); in hard-wrapped text any line does, unless the one before
    // ends a sentence or is a subheading. Otherwise every line is its own paragraph.
    const midSentence = !TERMINAL.test(current);
    const continues = !bullet && midSentence && (/^\p{Ll}/u.test(content) || (wrapped && !looksLikeSubheading(current)));
    if (continues) {
      current += ' ' + content;
    } else {
      flush();
      current = content;
    }
  }
  flush();
  // Short unpunctuated lines between paragraphs are subheadings; the last block never is.
  return blocks.map((b, i) => (i > 0 && i < blocks.length - 1 && looksLikeSubheading(b.text) ? { kind: 'heading', text: b.text } : b));
}

/**
 * Text wrapped at a fixed width: most lines are of similar, moderate length and many stop
 * mid-sentence. One-paragraph-per-line text has long lines; lists have short, complete ones.
 */
function isHardWrapped(lines: string[]): boolean {
  const filled = lines.map((l) => l.trim()).filter(Boolean);
  if (filled.length < 4) return false;
  const longest = Math.max(...filled.map((l) => l.length));
  const moderate = filled.filter((l) => l.length >= 40 && l.length <= 100).length;
  const unfinished = filled.filter((l) => !TERMINAL.test(l)).length;
  return longest <= 120 && moderate >= filled.length * 0.6 && unfinished >= filled.length * 0.4;
}

export function readPlainText(text: string, meta: PlainTextMeta = {}): Article {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let i = 0;
  const skipBlank = (): void => {
    while (i < lines.length && !lines[i]!.trim()) i++;
  };
  skipBlank();
  let title = meta.title?.trim() || undefined;
  let author = meta.author;
  let published = meta.published;

  const first = lines[i]?.trim() ?? '';
  const repeated = title ? titleRepeatLines(lines, i, title) : 0;
  if (repeated > 0) {
    // The body opens by repeating the headline, perhaps broken over lines at its semicolon
    // ("Sanders raises $33M;" / "Is within $4M of Clinton's haul."): the repeat is not the body.
    i += repeated;
  } else if (!title && first) {
    // The headline: a short unpunctuated first line followed by a byline or more text.
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trim()) j++;
    const hasMore = j < lines.length;
    const nextIsByline = hasMore && (BYLINE.test(lines[j]!) || DATE_ONLY.test(lines[j]!));
    if (hasMore && (nextIsByline || looksLikeHeadline(first)) && !BULLET.test(first)) {
      title = first;
      i++;
    }
  }
  skipBlank();
  // Byline and date lines right under the headline.
  for (let guard = 0; guard < 2 && i < lines.length; guard++) {
    const line = lines[i]!;
    const byline = BYLINE.exec(line);
    const dateOnly = DATE_ONLY.exec(line);
    if (byline && line.trim().split(/\s+/).length <= 14 && !TERMINAL.test(line.trim())) {
      author ??= byline[1]?.trim();
      published ??= toIsoDate(byline[2]);
      i++;
      skipBlank();
    } else if (dateOnly) {
      published ??= toIsoDate(dateOnly[1]);
      i++;
      skipBlank();
    } else {
      break;
    }
  }
  // The publisher's own bullet points before the body.
  const highlights: string[] = [];
  while (i < lines.length) {
    const bullet = BULLET.exec(lines[i]!);
    if (!bullet) {
      if (!lines[i]!.trim() && highlights.length > 0) {
        i++;
        continue;
      }
      break;
    }
    highlights.push((bullet[1] ?? '').trim());
    i++;
  }
  const blocks = linesToBlocks(lines.slice(i));
  const bodyTitle = title ?? titleFromBody(blocks);
  const article: Article = {
    id: meta.id ?? slugify(bodyTitle),
    title: bodyTitle,
    tags: [],
    highlights,
    blocks,
  };
  if (author) article.author = author;
  if (published) article.published = toIsoDate(published) ?? published;
  if (meta.url) article.url = meta.url;
  if (meta.outlet) article.outlet = meta.outlet;
  return article;
}

/** How many lines from `from` (up to three, with no blank line between) spell out the title; 0 if they do not. */
function titleRepeatLines(lines: string[], from: number, title: string): number {
  const wanted = normalise(title);
  let joined = '';
  for (let n = 1; n <= 3 && from + n - 1 < lines.length; n++) {
    const line = lines[from + n - 1]!.trim();
    if (!line) return 0;
    joined = `${joined} ${line}`;
    const got = normalise(joined);
    if (got === wanted) return n;
    if (!wanted.startsWith(got)) return 0;
  }
  return 0;
}

function normalise(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** An article without a headline is titled by its first sentence, cut at a word. */
export function titleFromBody(blocks: Block[]): string {
  const first = blocks.find((b) => b.kind === 'paragraph')?.text ?? blocks[0]?.text ?? 'Untitled article';
  const sentence = /^.*?[.!?](?=\s|$)/.exec(first)?.[0] ?? first;
  if (sentence.length <= 100) return sentence.trim();
  const cut = sentence.slice(0, 100);
  return cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : 100).trim() + '…';
}
