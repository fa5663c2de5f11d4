import { describeError, isBriefbotError, type ErrorCode } from '../errors.js';
import { parseTextArguments, validateOptions, usageOf, type RawOptions } from './options.js';
import { errorReply, type Reply } from '../reply/reply.js';
import type { ActionHandler, Channel, Command, CommandServices, Platform, User } from './types.js';

export interface Invocation {
  platform: Platform;
  user: User;
  channel: Channel;
}

/**
 * How a command or button ended, for metrics: answered; refused for bad options; refused for
 * lack of permission; `declined`, the command ran and said no (nothing matched, not available);
 * `error`, it failed.
 */
export type Outcome = 'ok' | 'usage' | 'not-allowed' | 'declined' | 'error';

export function outcomeOf(reply: Reply): Outcome {
  return reply.error ? 'declined' : 'ok';
}

/** The metrics label of a button press: `action:<prefix>`, or `action:unknown` for a stale button. */
export function actionLabel(handlers: readonly ActionHandler[], id: string): string {
  const prefix = id.split(':')[0] ?? '';
  return `action:${handlers.some((h) => h.prefix === prefix) ? prefix : 'unknown'}`;
}

/** Runs a command with options as a platform delivered them, checking everything first. */
export async function runCommand(
  list: readonly Command[],
  name: string,
  raw: RawOptions,
  invocation: Invocation & { subcommand?: string },
  services: CommandServices,
): Promise<{ reply: Reply; outcome: Outcome }> {
  const command = list.find((c) => c.name === name);
  if (!command) return { reply: errorReply(`Unknown command /${name}. Try /help.`), outcome: 'usage' };
  let specs = command.options;
  let usage = command.usage;
  if (command.subcommands) {
    const sub = command.subcommands.find((s) => s.name === invocation.subcommand);
    if (!sub) return { reply: errorReply(`Say which: ${command.subcommands.map((s) => `/${name} ${s.name}`).join(', ')}.`), outcome: 'usage' };
    if (sub.requiresManager && !invocation.user.canManageChannel) {
      return { reply: errorReply(`Only people who can manage this channel can use /${name} ${sub.name}.`), outcome: 'not-allowed' };
    }
    specs = sub.options;
    usage = usageOf(name, sub.options, sub.name);
  }
  const checked = validateOptions(specs, raw);
  if (!checked.ok) return { reply: errorReply(`${capitalise(checked.message)}. Usage: ${usage}`), outcome: 'usage' };
  const log = services.logger.child({ command: name, platform: invocation.platform });
  try {
    const reply = await command.run({ ...invocation, options: checked.values, ...(invocation.subcommand ? { subcommand: invocation.subcommand } : {}) }, services);
    return { reply, outcome: outcomeOf(reply) };
  } catch (error) {
    if (isBriefbotError(error)) return { reply: errorReply(sentence(error.message)), outcome: OUTCOME_OF_CODE[error.code] ?? 'error' };
    log.error({ err: error }, 'command failed');
    return { reply: errorReply(`Something went wrong running /${name}: ${describeError(error)}`), outcome: 'error' };
  }
}

/** Runs a typed line such as `/brief north korea full` (console and Slack). */
export async function runTextCommand(
  list: readonly Command[],
  line: string,
  invocation: Invocation,
  services: CommandServices,
): Promise<{ reply: Reply; outcome: Outcome; command?: string }> {
  const match = /^\s*\/?([\w-]+)\s*([\s\S]*)$/.exec(line);
  if (!match) return { reply: errorReply('Type a command such as /brief or /help.'), outcome: 'usage' };
  const name = match[1]!.toLowerCase();
  return { ...(await runCommandText(list, name, match[2] ?? '', invocation, services)), command: name };
}

/** Runs a command whose arguments arrived as one string (a Slack slash command's `text`). */
export async function runCommandText(
  list: readonly Command[],
  name: string,
  text: string,
  invocation: Invocation,
  services: CommandServices,
): Promise<{ reply: Reply; outcome: Outcome }> {
  const command = list.find((c) => c.name === name);
  if (!command) return { reply: errorReply(`Unknown command /${name}. Try /help.`), outcome: 'usage' };
  const parsed = parseTextArguments(command, text);
  if (!parsed.ok) return { reply: errorReply(`${capitalise(parsed.message)}. Usage: ${command.usage}`), outcome: 'usage' };
  return runCommand(list, name, parsed.parsed.raw, { ...invocation, ...(parsed.parsed.subcommand ? { subcommand: parsed.parsed.subcommand } : {}) }, services);
}

/** Runs a button press: `brief:figures:<id>`. */
export async function runAction(
  handlers: readonly ActionHandler[],
  id: string,
  invocation: Invocation,
  services: CommandServices,
): Promise<Reply> {
  const [prefix, ...rest] = id.split(':');
  const handler = handlers.find((h) => h.prefix === prefix);
  if (!handler || rest.length === 0) return errorReply('That button is no longer available.');
  try {
    return await handler.run(rest.join(':'), invocation, services);
  } catch (error) {
    services.logger.error({ err: error, action: id }, 'action failed');
    return errorReply(`Something went wrong: ${describeError(error)}`);
  }
}

/** How a service's refusal (a BriefbotError from /sources or /digest) counts in the metrics. */
const OUTCOME_OF_CODE: Partial<Record<ErrorCode, Outcome>> = { usage: 'usage', forbidden: 'not-allowed' };

/** A refusal's message as a sentence: capitalised, with a full stop unless it ends in one already. */
function sentence(text: string): string {
  const capitalised = capitalise(text);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
