import { z } from 'zod';
import type { Command, OptionSpec, SubcommandSpec } from './types.js';

/** Default cap on any free-text option: long enough for a quote search, short enough to refuse junk. */
export const DEFAULT_MAX_LENGTH = 200;

/** Longest echo of what a person typed in a refusal, ellipsis included: enough to recognise it, never a wall of it. */
export const ECHO_MAX_LENGTH = 100;

/**
 * What a person typed, fit to quote back in a one-line refusal: any run of whitespace (line
 * breaks included) is one space, other control characters (a terminal's escape codes) are shown
 * as U+FFFD, and anything past ECHO_MAX_LENGTH is cut with an ellipsis.
 */
export function echoTyped(text: string): string {
  // Cut first, with room to spare: flattening only shortens, and a 50,000-character paste need not be scanned whole.
  const head = text.length > ECHO_MAX_LENGTH * 4 ? text.slice(0, ECHO_MAX_LENGTH * 4) : text;
  // eslint-disable-next-line no-control-regex -- control characters are what must not be echoed
  const flat = head.replace(/[\s\u0085]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD').trim();
  if (flat.length <= ECHO_MAX_LENGTH && head.length === text.length) return flat;
  let cut = flat.slice(0, ECHO_MAX_LENGTH - 1);
  // Never half a surrogate pair: an emoji cut in two is an invalid character.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

export type RawOptions = Record<string, unknown>;
export type OptionValues = Record<string, string | number | undefined>;

function schemaFor(option: OptionSpec): z.ZodType<string | number | undefined> {
  let schema: z.ZodType<string | number>;
  if (option.type === 'integer') {
    let n = z.coerce.number({ error: `${option.name} must be a whole number` }).int(`${option.name} must be a whole number`);
    if (option.min !== undefined) n = n.min(option.min, `${option.name} must be at least ${option.min}`);
    if (option.max !== undefined) n = n.max(option.max, `${option.name} must be at most ${option.max}`);
    schema = n;
  } else if (option.choices) {
    const choices = option.choices;
    schema = z
      .string()
      .transform((v) => v.trim().toLowerCase())
      .refine((v) => choices.includes(v), `${option.name} must be one of: ${choices.join(', ')}`);
  } else {
    const max = option.maxLength ?? DEFAULT_MAX_LENGTH;
    schema = z
      .string()
      .transform((v) => v.trim())
      .refine((v) => v.length <= max, `${option.name} is too long (at most ${max} characters)`)
      // Control characters have no place in a command option.
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      .refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v), `${option.name} contains control characters`);
  }
  return option.required ? schema : schema.optional();
}

/**
 * One schema per declaration list, built once: making a zod object schema costs about half a
 * millisecond, far more than checking a command's options with it.
 */
const objectSchemas = new WeakMap<readonly OptionSpec[], z.ZodType<Record<string, string | number | undefined>>>();

function objectSchemaFor(specs: readonly OptionSpec[]): z.ZodType<Record<string, string | number | undefined>> {
  let schema = objectSchemas.get(specs);
  if (!schema) {
    const shape: Record<string, z.ZodType<string | number | undefined>> = {};
    for (const spec of specs) shape[spec.name] = schemaFor(spec);
    schema = z.object(shape);
    objectSchemas.set(specs, schema);
  }
  return schema;
}

/** Checks option values against their declarations; the message names every problem. */
export function validateOptions(specs: readonly OptionSpec[], raw: RawOptions): { ok: true; values: OptionValues } | { ok: false; message: string } {
  const known = new Set(specs.map((s) => s.name));
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length > 0) return { ok: false, message: `unknown option${unknown.length > 1 ? 's' : ''}: ${echoTyped(unknown.join(', '))}` };
  const schema = objectSchemaFor(specs);
  const cleaned: RawOptions = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined || v === null || v === '') continue;
    cleaned[k] = v;
  }
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    // zod 4 leaves `issue.input` out unless asked, so "missing" is read from what was given.
    const messages = result.error.issues.map((i) => (i.code === 'invalid_type' && !(String(i.path[0]) in cleaned) ? `${String(i.path[0])} is required` : i.message));
    return { ok: false, message: [...new Set(messages)].join('; ') };
  }
  const values: OptionValues = {};
  for (const [k, v] of Object.entries(result.data)) if (v !== undefined && v !== '') values[k] = v as string | number;
  return { ok: true, values };
}

/** Splits typed arguments into words, keeping "quoted phrases" together. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  const pattern = /(\w[\w-]*[:=])?(?:"([^"]*)"|“([^”]*)”|'([^']*)'|(\S+))/g;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const value = m[2] ?? m[3] ?? m[4] ?? m[5] ?? '';
    words.push((m[1] ?? '') + value);
  }
  return words;
}

export interface ParsedText {
  subcommand?: string;
  raw: RawOptions;
}

/**
 * Reads what a person typed after a text command (console, Slack): `name:value` pairs for any
 * option, a bare word that is one of a choice option's values fills that option, and the rest
 * of the words fill the free-text options in order, the last one taking what is left.
 * `/brief north korea full` gives article "north korea", length "full".
 */
export function parseTextArguments(command: Command, text: string): { ok: true; parsed: ParsedText } | { ok: false; message: string } {
  let words = splitWords(text.trim());
  let specs: readonly OptionSpec[] = command.options;
  let subcommand: SubcommandSpec | undefined;
  if (command.subcommands && command.subcommands.length > 0) {
    const first = words[0]?.toLowerCase();
    subcommand = command.subcommands.find((s) => s.name === first);
    if (!subcommand) {
      const names = command.subcommands.map((s) => s.name).join(', ');
      return { ok: false, message: first ? `unknown ${command.name} action "${echoTyped(words[0]!)}": use one of ${names}` : `say which: ${names}` };
    }
    words = words.slice(1);
    specs = subcommand.options;
  }
  const raw: RawOptions = {};
  const loose: string[] = [];
  for (const word of words) {
    const named = /^([\w-]+)[:=]([\s\S]*)$/.exec(word);
    const spec = named ? specs.find((s) => s.name === named[1]!.toLowerCase()) : undefined;
    if (named && spec) {
      raw[spec.name] = named[2];
    } else {
      loose.push(word);
    }
  }
  // A bare choice word at the end fills its option: "/brief seed full".
  for (const spec of specs) {
    if (!spec.choices || raw[spec.name] !== undefined) continue;
    const last = loose[loose.length - 1]?.toLowerCase();
    if (last && spec.choices.includes(last)) {
      raw[spec.name] = last;
      loose.pop();
    }
  }
  const free = specs.filter((s) => !s.choices && raw[s.name] === undefined);
  if (loose.length > 0) {
    const target = free[0];
    if (!target) return { ok: false, message: `unexpected words: ${echoTyped(loose.join(' '))}` };
    if (target.type === 'integer' && free.length > 1) {
      raw[target.name] = loose.shift();
      const next = free[1]!;
      if (loose.length > 0) raw[next.name] = loose.join(' ');
    } else {
      raw[target.name] = loose.join(' ');
    }
  }
  const parsed: ParsedText = { raw };
  if (subcommand) parsed.subcommand = subcommand.name;
  return { ok: true, parsed };
}

/** `/brief [article] [length: tldr|short|full]` from the declarations. */
export function usageOf(name: string, specs: readonly OptionSpec[], subcommand?: string): string {
  const parts = [`/${name}`];
  if (subcommand) parts.push(subcommand);
  for (const spec of specs) {
    const value = spec.choices ? `${spec.name}: ${spec.choices.join('|')}` : spec.name;
    parts.push(spec.required ? `<${value}>` : `[${value}]`);
  }
  return parts.join(' ');
}
