/**
 * Property-based (issue 11): random and hostile input at the article readers: plain text,
 * Markdown with front matter, the JSON Lines line parser, the byte decoder, and a JSON Lines
 * batch read line by line from a stream. Each input either reads as an article that passes the
 * article schema, or fails with a BriefbotError whose message is one line. Nothing else escapes.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArticleSchema } from '../../src/articles/article.js';
import { decodeArticleBytes, readArticleText } from '../../src/articles/load-article.js';
import { parseJsonlLine } from '../../src/articles/read-jsonl.js';
import { readMarkdown } from '../../src/articles/read-markdown.js';
import { readPlainText } from '../../src/articles/read-plain-text.js';
import { BriefbotError } from '../../src/errors.js';
import { readLines } from '../../src/util/read-lines.js';

const RUNS = { numRuns: 200 };

/** Runs `read`; an article must pass the schema, a failure must be ours and one line. */
function articleOrOneLineError(read: () => unknown): void {
  let result: unknown;
  try {
    result = read();
  } catch (error) {
    if (!(error instanceof BriefbotError)) throw new Error(`not a BriefbotError: ${String(error)}`, { cause: error });
    expect(error.message).not.toContain('\n');
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.message.length).toBeLessThan(500);
    return;
  }
  expect(ArticleSchema.safeParse(result).success).toBe(true);
}

/** Prose-like text with the shapes readers look for: headings, bullets, bylines, dates, quotes. */
const line = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.constantFrom('', '# Heading', '## Sub', '- bullet', '* star', '1. one', '> quote', 'By Ann Lee', 'Published: 2024-03-05', 'March 5, 2024', '---', '...', '\u00a0', '\uFEFF', '\u0000', '"He said," she said.', 'The mayor resigned on Monday.'),
);
const prose = fc.array(line, { maxLength: 40 }).map((lines) => lines.join('\n'));

/** Front matter an attacker writes: YAML tags, anchors and aliases, odd types, deep nesting. */
const frontMatter = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    'title: [unclosed',
    'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    'title: !!js/function "function () { return 1 }"',
    'published: !!timestamp 2024-13-45',
    'tags: 42',
    'author: [1, 2]',
    'id: {a: b}',
    'title: ' + '['.repeat(2000),
    '__proto__: {polluted: true}',
    'highlights: "not a list"',
  ),
  fc.dictionary(fc.constantFrom('title', 'author', 'published', 'date', 'url', 'tags', 'id', 'outlet', 'highlights', 'x'), fc.jsonValue({ maxDepth: 3 })).map((d) => JSON.stringify(d)),
);

/** One JSON Lines line: valid records, near-misses, wrong types, deep nesting, junk. */
const recordField = fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), fc.constantFrom('javascript:alert(1)', 'https://example.org/a', '2025-06-11', 'not a date', ''));
const jsonlLine = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.record({ id: recordField, title: recordField, text: fc.oneof(prose, recordField), url: recordField, published: recordField, author: recordField, tags: recordField }, { requiredKeys: [] }).map((r) => JSON.stringify(r)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.nat({ max: 50_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.nat({ max: 20_000 }).map((depth) => '{"text":"The council met. It voted.","x":' + '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) + '}'),
);

describe('article readers, property-based', () => {
  it('plain text: an article or one BriefbotError line', () => {
    fc.assert(fc.property(prose, (text) => articleOrOneLineError(() => readArticleText(text, 'random.txt'))), RUNS);
    fc.assert(fc.property(prose, (text) => articleOrOneLineError(() => readPlainText(text))), RUNS);
  });

  it('Markdown with hostile front matter: an article or one BriefbotError line', () => {
    fc.assert(
      fc.property(frontMatter, prose, (yaml, body) => {
        articleOrOneLineError(() => readMarkdown(`---\n${yaml}\n---\n${body}`));
        articleOrOneLineError(() => readArticleText(`---\n${yaml}\n---\n${body}`, 'random.md'));
      }),
      RUNS,
    );
  });

  it('JSON Lines line parser: an article or one BriefbotError line naming the line', () => {
    fc.assert(
      fc.property(jsonlLine, fc.integer({ min: 1, max: 1e6 }), (text, n) => {
        articleOrOneLineError(() => parseJsonlLine(text, n));
        try {
          parseJsonlLine(text, n);
        } catch (error) {
          expect((error as Error).message.startsWith(`line ${n}: `)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('bytes to text: random bytes give text or one BriefbotError line', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20_000 }), (bytes) => {
        try {
          expect(typeof decodeArticleBytes(bytes, 'random.bin')).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(BriefbotError);
          expect((error as Error).message).not.toContain('\n');
        }
      }),
      RUNS,
    );
  });

  it('a JSON Lines batch from a stream: every line gives an article or its own error, and a huge line is refused unread', async () => {
    const maxBytes = 64 * 1024;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(jsonlLine, fc.constant('x'.repeat(maxBytes + 10))), { maxLength: 20 }), fc.integer({ min: 256, max: 16_384 }), async (lines, chunkSize) => {
        const bytes = Buffer.from(lines.join('\n'));
        const chunks: Buffer[] = [];
        for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
        let count = 0;
        for await (const read of readLines(Readable.from(chunks), maxBytes)) {
          count++;
          if (read.text === undefined) {
            expect(read.problem).toBeDefined();
            continue;
          }
          articleOrOneLineError(() => parseJsonlLine(read.text!, read.number));
        }
        expect(count).toBeLessThanOrEqual(Math.max(lines.length, 1));
      }),
      { numRuns: 100 },
    );
  });

  it('holds at most one line in memory: 64 MB without a line break is one too-long line, memory flat', async () => {
    const chunk = Buffer.alloc(1024 * 1024, '{');
    let sent = 0;
    const stream = new Readable({
      read() {
        sent++;
        this.push(sent > 64 ? null : chunk);
      },
    });
    global.gc?.();
    const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    let peak = 0;
    const lines = [];
    for await (const read of readLines(stream, 2 * 1024 * 1024)) {
      lines.push({ problem: read.problem, bytes: read.bytes });
      peak = Math.max(peak, process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - before);
    }
    expect(lines).toEqual([{ problem: 'too-long', bytes: 64 * 1024 * 1024 }]);
    expect(peak).toBeLessThan(32 * 1024 * 1024);
  });

  it('does not expand a YAML alias bomb in front matter', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h']) bomb.push(`${name}: &${name} [${Array(10).fill('*' + String.fromCharCode(name.charCodeAt(0) - 1)).join(',')}]`);
    const before = process.memoryUsage().heapUsed;
    articleOrOneLineError(() => readMarkdown(`---\n${bomb.join('\n')}\n---\nThe council met. It voted.\n`));
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
  });
});
