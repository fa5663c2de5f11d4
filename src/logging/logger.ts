import pino, { type Logger } from 'pino';

/** Fields that may hold a secret, wherever they appear in a log object. */
export const REDACT_PATHS = [
  'token', '*.token', 'botToken', '*.botToken', 'appToken', '*.appToken', 'signingSecret', '*.signingSecret',
  'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization', '*.headers.authorization',
  'password', '*.password', 'secret', '*.secret', 'config.discord.token', 'config.slack',
];

export interface LoggerOptions {
  level?: string;
  /** Pretty, coloured lines: only for a person at a terminal. Defaults to whether stderr is a TTY. */
  pretty?: boolean;
  /** Where JSON lines go; defaults to stderr so stdout stays for replies and `--json` output. */
  destination?: NodeJS.WritableStream;
}

/**
 * One pino logger for the process; components take child loggers (`logger.child({ component })`).
 * JSON lines to stderr by default, pretty only in a terminal, and never a secret.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const redact = { paths: REDACT_PATHS, censor: '[redacted]' };
  if (pretty && !options.destination) {
    return pino({ level, redact, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss' } } });
  }
  return pino({ level, redact }, (options.destination ?? pino.destination({ dest: 2, sync: true })) as pino.DestinationStream);
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
