import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';
import { redactValue } from '../../logging/logger.js';

/**
 * Bolt (and its Web API and Socket Mode clients) log through this: the process's one pino
 * logger, so Slack's own warnings (a forged signature, a rate limit, a reconnect) land in the
 * same JSON lines with the same redaction as everything else.
 */

const TO_BOLT: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

function show(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return part.message;
  try {
    // Objects are redacted before they become text: a header list or a request inside would otherwise pass as one string.
    return JSON.stringify(redactValue(part)) ?? String(part);
  } catch {
    return String(part);
  }
}

function text(parts: unknown[]): string {
  return parts.map(show).join(' ');
}

export function toBoltLogger(logger: Logger): BoltLogger {
  let log = logger;
  return {
    debug: (...parts: unknown[]) => log.debug(text(parts)),
    info: (...parts: unknown[]) => log.info(text(parts)),
    warn: (...parts: unknown[]) => log.warn(text(parts)),
    error: (...parts: unknown[]) => log.error(text(parts)),
    // The level is the process's: Bolt asking for another one is ignored on purpose.
    setLevel: () => undefined,
    getLevel: () => TO_BOLT[logger.level] ?? LogLevel.INFO,
    setName: (name: string) => {
      log = logger.child({ name });
    },
  };
}
