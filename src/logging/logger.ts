import pino, { type Logger } from 'pino';

/** Keys whose values are secrets, at any depth and in any spelling ("Authorization", "botToken"). */
const SECRET_KEY = /^(?:authorization|proxy-authorization|cookie|set-cookie|x-slack-signature|token|bot_?token|app_?token|access_?token|refresh_?token|client_?secret|signing_?secret|secret|password|api_?key)$/i;
/** Token-shaped strings, wherever they appear (inside an error message, a URL...). */
const SECRET_VALUE = /\b(?:xox[abposr]-[\w-]+|xapp-[\w-]+|Bot\s+[\w.-]{20,})/g;
const CENSOR = '[redacted]';
const SECRET_FIELDS = ['token', 'botToken', 'appToken', 'signingSecret', 'secret', 'password', 'authorization', 'Authorization'];
const CHILD_REDACT_PATHS = [...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`), ...SECRET_FIELDS.map((f) => `*.*.${f}`)];
const MAX_DEPTH = 8;

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return value.replace(SECRET_VALUE, CENSOR);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen));
  if (value instanceof Error) {
    return { type: value.name, message: redactValue(value.message, depth + 1, seen), stack: redactValue(value.stack, depth + 1, seen), ...redactObject(value as unknown as Record<string, unknown>, depth, seen) };
  }
  return redactObject(value as Record<string, unknown>, depth, seen);
}

function redactObject(object: Record<string, unknown>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(object)) {
    out[key] = SECRET_KEY.test(key) && v !== undefined && v !== null && v !== '' ? CENSOR : redactValue(v, depth + 1, seen);
  }
  return out;
}

/** A copy of a log record with every secret replaced, however deep or however spelled. */
export function redactSecrets(record: Record<string, unknown>): Record<string, unknown> {
  return redactObject(record, 0, new WeakSet());
}

export interface LoggerOptions {
  level?: string;
  /** Pretty, coloured lines: only for a person at a terminal. Defaults to whether stderr is a TTY. */
  pretty?: boolean;
  /** Where JSON lines go; defaults to stderr so stdout stays for replies and `--json` output. */
  destination?: NodeJS.WritableStream;
}

/**
 * One pino logger for the process; components take child loggers (`logger.child({ component })`).
 * JSON lines to stderr by default, pretty only in a terminal, and never a secret: every record,
 * child bindings included, passes through `redactSecrets`.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const settings: pino.LoggerOptions = {
    level,
    // Child bindings do not pass through the formatter: fixed paths cover the usual secrets there.
    redact: { paths: CHILD_REDACT_PATHS, censor: CENSOR },
    formatters: {
      log: (record) => redactSecrets(record),
      bindings: (bindings) => redactSecrets(bindings),
    },
    serializers: { err: (error: unknown) => redactValue(error, 0, new WeakSet()) },
    hooks: {
      // Messages can carry secrets too ("connecting with xoxb-...").
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? a.replace(SECRET_VALUE, CENSOR) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
  if (pretty && !options.destination) {
    return pino({ ...settings, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss' } } });
  }
  return pino(settings, (options.destination ?? pino.destination({ dest: 2, sync: true })) as pino.DestinationStream);
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
