/**
 * Property-based (issue 11): random and hostile text at the command option parser, as a person
 * types it in Slack or the console, for every real command. It never throws; it either gives
 * options that then validate or not, or a message; a message is one line of bounded length.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.js';
import { parseTextArguments, splitWords, validateOptions } from '../../src/commands/options.js';

const RUNS = { numRuns: 200 };

/** What a hostile or careless person types: quotes, colons, mentions, control characters, long words. */
const typed = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.array(fc.constantFrom('"', "'", '“', '”', ':', '=', 'article:', 'length:', 'page:', 'query:', 'speaker:', 'full', 'tldr', 'subscribe', 'daily', '08:00', '<@U123>', '<!channel>', '\u0000', '\u001b[2J', '\t', '\n', ' ', 'x'.repeat(50), '-1', '1e309', 'NaN', '__proto__:', 'constructor:'), { maxLength: 60 }).map((parts) => parts.join('')),
  fc.string({ minLength: 5_000, maxLength: 50_000 }),
);

describe('parseTextArguments and validateOptions, property-based', () => {
  it.each(commands.map((c) => [c.name, c] as const))('/%s: never throws, and refuses in one bounded line', (_name, command) => {
    fc.assert(
      fc.property(typed, (text) => {
        const parsed = parseTextArguments(command, text);
        if (!parsed.ok) {
          expect(parsed.message.length).toBeGreaterThan(0);
          expect(parsed.message).not.toMatch(/[\n\r\u0085\u2028\u2029]/);
          expect(parsed.message.length).toBeLessThan(300);
          return;
        }
        for (const value of Object.values(parsed.parsed.raw)) expect(typeof value).toBe('string');
        const specs = parsed.parsed.subcommand ? command.subcommands!.find((s) => s.name === parsed.parsed.subcommand)!.options : command.options;
        const checked = validateOptions(specs, parsed.parsed.raw);
        if (checked.ok) {
          for (const [name, value] of Object.entries(checked.values)) {
            const spec = specs.find((s) => s.name === name)!;
            if (typeof value === 'string') {
              expect(value.length).toBeLessThanOrEqual(spec.maxLength ?? 200);
              // eslint-disable-next-line no-control-regex -- control characters are what must not pass
              expect(value).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
            }
          }
        } else {
          expect(checked.message).not.toContain('\n');
          expect(checked.message.length).toBeLessThan(1000);
        }
      }),
      // Shrinking a 50,000-character counterexample one character at a time takes minutes: report the first as found.
      { ...RUNS, endOnFailure: true },
    );
  });

  // The parser's own refusals echo what was typed: a quoted phrase with a line break, or 3,000
  // stray characters, come back flattened and cut short.
  it('parseTextArguments refusals are one line of bounded length', () => {
    const digest = commands.find((c) => c.name === 'digest')!;
    for (const text of ['"a\nb"', 'now "q\nr"', `status ${'z'.repeat(3000)}`]) {
      const parsed = parseTextArguments(digest, text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.message).not.toContain('\n');
        expect(parsed.message.length).toBeLessThan(300);
      }
    }
  });

  it('validateOptions: never throws on random raw values of any type, and refuses in one line', () => {
    const specs = commands.flatMap((c) => [c.options, ...(c.subcommands ?? []).map((s) => s.options)]);
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('article', 'length', 'page', 'query', '__proto__')), fc.anything({ maxDepth: 3 })), (spec, raw) => {
        const checked = validateOptions(spec, raw);
        if (!checked.ok) {
          expect(checked.message).not.toContain('\n');
          expect(checked.message.length).toBeLessThan(1000);
        }
      }),
      RUNS,
    );
  });

  it('splitWords: words are pieces of the text, and splitting is linear on long input', () => {
    fc.assert(
      fc.property(typed, (text) => {
        for (const word of splitWords(text)) expect(word.length).toBeLessThanOrEqual(text.length);
      }),
      RUNS,
    );
    const started = performance.now();
    splitWords('a'.repeat(200_000) + ' ' + 'b:'.repeat(100_000) + '"'.repeat(50_000));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
