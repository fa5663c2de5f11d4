import { describe, expect, it } from 'vitest';
import { commands, type Command, type OptionSpec } from '../../src/commands/index.js';
import { parseTextArguments, splitWords, usageOf, validateOptions } from '../../src/commands/options.js';

const command = (name: string): Command => {
  const found = commands.find((c) => c.name === name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
};

function parsed(name: string, text: string): { subcommand?: string; raw: Record<string, unknown> } {
  const result = parseTextArguments(command(name), text);
  if (!result.ok) throw new Error(`expected "${text}" to parse, got: ${result.message}`);
  return result.parsed;
}

function refused(name: string, text: string): string {
  const result = parseTextArguments(command(name), text);
  if (result.ok) throw new Error(`expected "${text}" to be refused, got ${JSON.stringify(result.parsed)}`);
  return result.message;
}

describe('parseTextArguments: what a person types after a slash command', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['brief', '', {}],
    ['brief', 'north korea full', { article: 'north korea', length: 'full' }],
    ['brief', 'north korea', { article: 'north korea' }],
    ['brief', 'FULL', { length: 'full' }],
    ['brief', 'article:north-korea-deploys length:tldr', { article: 'north-korea-deploys', length: 'tldr' }],
    ['brief', 'length:tldr article:north-korea-deploys', { article: 'north-korea-deploys', length: 'tldr' }],
    ['brief', 'article=grain LENGTH=short', { article: 'grain', length: 'short' }],
    ['brief', 'article:"north korea" length:full', { article: 'north korea', length: 'full' }],
    ['quote', 'Peskov', { query: 'Peskov' }],
    ['quote', '"never forget" speaker:"Dmitry Peskov"', { query: 'never forget', speaker: 'Dmitry Peskov' }],
    ['quote', '“never forget this help” article:kursk', { query: 'never forget this help', article: 'kursk' }],
    ['quote', "'advance non-stop' speaker:kim", { query: 'advance non-stop', speaker: 'kim' }],
    ['quote', 'support speaker:kim', { query: 'support', speaker: 'kim' }],
    ['articles', 'page:2', { page: '2' }],
    ['articles', 'korea', { query: 'korea' }],
  ])('/%s %s', (name, text, raw) => {
    expect(parsed(name, text).raw).toEqual(raw);
  });

  it('keeps a word with a colon that is not an option name as part of the text', () => {
    expect(parsed('quote', 'ratio 3:1 speaker:kim').raw).toEqual({ query: 'ratio 3:1', speaker: 'kim' });
    expect(parsed('brief', 'https://example.org/a').raw).toEqual({ article: 'https://example.org/a' });
  });

  it('reads a subcommand first, then its own options', () => {
    expect(parsed('digest', 'now')).toEqual({ subcommand: 'now', raw: {} });
    expect(parsed('digest', 'SUBSCRIBE daily 08:00 timezone:Europe/London')).toEqual({
      subcommand: 'subscribe',
      raw: { schedule: 'daily 08:00', timezone: 'Europe/London' },
    });
    // Story digest settings by name, or as a bare choice word at the end.
    expect(parsed('digest', 'subscribe every 6 hours threads:on line').raw).toEqual({ schedule: 'every 6 hours', threads: 'on', unchanged: 'line' });
  });

  it('refuses an unknown subcommand, and a missing one, naming the ones there are', () => {
    expect(refused('digest', 'bogus')).toBe('unknown digest action "bogus": use one of now, subscribe, unsubscribe, status');
    expect(refused('digest', '')).toBe('say which: now, subscribe, unsubscribe, status');
  });

  it('refuses words a command has nowhere to put', () => {
    expect(refused('digest', 'now extra words')).toBe('unexpected words: extra words');
  });
});

describe('splitWords', () => {
  it('splits on white space, keeping straight, curly and single-quoted phrases whole', () => {
    expect(splitWords('  a  "b c"  “d e”  \'f g\' h:"i j" ')).toEqual(['a', 'b c', 'd e', 'f g', 'h:i j']);
  });
});

describe('validateOptions', () => {
  const specs: OptionSpec[] = [
    { name: 'query', description: 'q', type: 'string', required: true, maxLength: 20 },
    { name: 'length', description: 'l', type: 'string', choices: ['tldr', 'short', 'full'] },
    { name: 'page', description: 'p', type: 'integer', min: 1, max: 10 },
    { name: 'note', description: 'n', type: 'string' },
  ];
  const message = (raw: Record<string, unknown>): string => {
    const result = validateOptions(specs, raw);
    if (result.ok) throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
    return result.message;
  };

  it('trims, lower-cases choices, coerces integers and drops empty values', () => {
    expect(validateOptions(specs, { query: '  peskov ', length: ' FULL ', page: '3', note: '' })).toEqual({ ok: true, values: { query: 'peskov', length: 'full', page: 3 } });
  });

  it('names a missing required option', () => {
    expect(message({})).toBe('query is required');
    expect(message({ query: '' })).toBe('query is required');
  });

  it('refuses an over-long option, naming the limit', () => {
    expect(message({ query: 'x'.repeat(21) })).toBe('query is too long (at most 20 characters)');
    expect(validateOptions(specs, { query: 'x'.repeat(20) }).ok).toBe(true);
    // Options without their own limit get the default of 200 characters.
    expect(message({ query: 'ok', note: 'n'.repeat(201) })).toBe('note is too long (at most 200 characters)');
  });

  it.each(['\u0000', '\u0007', '\u001b[2J', '\u007f', 'line\u000bbreak'])('refuses control characters (%j)', (bad) => {
    expect(message({ query: `peskov${bad}` })).toBe('query contains control characters');
  });

  it('refuses a value outside the choices, listing them', () => {
    expect(message({ query: 'q', length: 'huge' })).toBe('length must be one of: tldr, short, full');
  });

  it('refuses integers out of range', () => {
    expect(message({ query: 'q', page: 0 })).toBe('page must be at least 1');
    expect(message({ query: 'q', page: '11' })).toBe('page must be at most 10');
  });

  it('says a value that is not a whole number is not one (not that the option is missing)', () => {
    expect(message({ query: 'q', page: 'two' })).toBe('page must be a whole number');
    expect(message({ query: 'q', page: '1.5' })).toBe('page must be a whole number');
  });

  it('refuses options it does not know, naming them', () => {
    expect(message({ query: 'q', colour: 'red' })).toBe('unknown option: colour');
    expect(message({ query: 'q', colour: 'red', size: 2 })).toBe('unknown options: colour, size');
  });

  it('lists every problem at once', () => {
    expect(message({ query: 'x'.repeat(21), length: 'huge', page: 0 })).toBe(
      'query is too long (at most 20 characters); length must be one of: tldr, short, full; page must be at least 1',
    );
  });
});

describe('usageOf', () => {
  it('writes the usage line from the declarations', () => {
    expect(usageOf('brief', command('brief').options)).toMatch(/^\/brief \[article\] \[length: tldr\|short\|full\]/);
    expect(usageOf('quote', command('quote').options)).toBe('/quote <query> [speaker] [article]');
    const subscribe = command('digest').subcommands!.find((s) => s.name === 'subscribe')!;
    expect(usageOf('digest', subscribe.options, 'subscribe')).toBe('/digest subscribe <schedule> [timezone] [threads: on|off] [unchanged: skip|line]');
  });

  it('agrees with the usage each command shows', () => {
    for (const c of commands.filter((c) => !c.subcommands)) expect(c.usage).toBe(usageOf(c.name, c.options));
  });
});
