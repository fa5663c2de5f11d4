/**
 * What the option parser quotes back when it refuses (issue 11, property suite): words a person
 * typed are echoed on one line, at most ECHO_MAX_LENGTH characters, so a pasted wall of text or a
 * quoted phrase with line breaks cannot fill a reply or break a log line; short words come back
 * exactly as typed.
 */
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.js';
import { ECHO_MAX_LENGTH, echoTyped, parseTextArguments, validateOptions } from '../../src/commands/options.js';

const digest = commands.find((c) => c.name === 'digest')!;

function refusal(text: string): string {
  const parsed = parseTextArguments(digest, text);
  if (parsed.ok) throw new Error(`expected a refusal for ${JSON.stringify(text)}`);
  return parsed.message;
}

describe('echoTyped', () => {
  it('leaves short text as typed', () => {
    expect(echoTyped('bogus')).toBe('bogus');
    expect(echoTyped('extra words')).toBe('extra words');
  });

  it('makes every run of whitespace, line breaks included, one space', () => {
    expect(echoTyped('a\nb\r\nc\u2028d\u0085e\t\t f')).toBe('a b c d e f');
    expect(echoTyped('\n  padded  \n')).toBe('padded');
  });

  it("shows other control characters as U+FFFD, so a terminal's escape codes are not replayed", () => {
    expect(echoTyped('red\u001b[31mtext\u0000')).toBe('red\uFFFD[31mtext\uFFFD');
  });

  it('cuts long text to ECHO_MAX_LENGTH characters ending in an ellipsis', () => {
    const echoed = echoTyped('z'.repeat(3000));
    expect(echoed).toHaveLength(ECHO_MAX_LENGTH);
    expect(echoed).toBe(`${'z'.repeat(ECHO_MAX_LENGTH - 1)}…`);
    // Exactly at the limit is not cut.
    expect(echoTyped('y'.repeat(ECHO_MAX_LENGTH))).toBe('y'.repeat(ECHO_MAX_LENGTH));
  });

  it('marks a cut even when the text flattens to something short (a long paste of blank lines)', () => {
    expect(echoTyped(`start${'\n'.repeat(5000)}end`)).toBe('start…');
  });

  it('never cuts a character made of two UTF-16 units in half', () => {
    const echoed = echoTyped(`${'a'.repeat(ECHO_MAX_LENGTH - 2)}😀😀😀`);
    expect(echoed).toBe(`${'a'.repeat(ECHO_MAX_LENGTH - 2)}…`);
    expect(echoed).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe('the parser refusals that quote what was typed', () => {
  it('an unknown action: one line, the word cut short', () => {
    expect(refusal('"sub\nscribe"')).toBe('unknown digest action "sub scribe": use one of now, subscribe, unsubscribe, status');
    const long = refusal('q'.repeat(3000));
    expect(long).toBe(`unknown digest action "${'q'.repeat(ECHO_MAX_LENGTH - 1)}…": use one of now, subscribe, unsubscribe, status`);
  });

  it('unexpected words: one line, cut short', () => {
    expect(refusal('now "first\nsecond" third')).toBe('unexpected words: first second third');
    const long = refusal(`status ${'z '.repeat(1500)}`);
    expect(long).not.toContain('\n');
    expect(long.length).toBeLessThanOrEqual('unexpected words: '.length + ECHO_MAX_LENGTH);
    expect(long.endsWith('…')).toBe(true);
  });

  it('unknown option names given by a platform: cut short too', () => {
    const checked = validateOptions(digest.options, { ['k'.repeat(500)]: 'x' });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toBe(`unknown option: ${'k'.repeat(ECHO_MAX_LENGTH - 1)}…`);
  });
});
