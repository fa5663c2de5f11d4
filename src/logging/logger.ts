import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import pino, { type Logger } from 'pino';

/** Keys whose values are secrets, at any depth and in any spelling ("Authorization", "botToken"). */
const SECRET_KEY =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|x-slack-signature|x-api-key|x-auth-token|token|bot_?token|app_?token|access_?token|refresh_?token|client_?secret|signing_?secret|secret|password|api_?key|raw_?headers|raw_?trailers)$/i;
/** Header names whose value follows them in a flat list (Node's `rawHeaders`: name, value, name, value...). */
const SECRET_HEADER = /^(?:authorization|proxy-authorization|cookie|set-cookie|x-slack-signature|x-api-key|x-auth-token)$/i;
/** Token-shaped strings, wherever they appear (inside an error message, a URL...). */
const SECRET_VALUE = /\b(?:xox[a-z](?:\.xox[a-z])?-[\w-]+|xapp-[\w-]+|(?:Bot|Bearer)\s+[\w.~+/=-]{20,}|v0=[0-9a-f]{64})/g;
/** A secret header written out as text (`Cookie: a=b`, `"authorization":"..."`): the name stays, the value goes. */
const SECRET_HEADER_TEXT = /\b((?:proxy-)?authorization|set-cookie|cookie|x-slack-signature|x-api-key|x-auth-token)("?\s*[:=]\s*"?)[^"\r\n]+/gi;
const CENSOR = '[redacted]';
const SECRET_FIELDS = ['token', 'botToken', 'appToken', 'signingSecret', 'secret', 'password', 'authorization', 'Authorization'];
const CHILD_REDACT_PATHS = [...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`), ...SECRET_FIELDS.map((f) => `*.*.${f}`)];
/** Deeper than this is cut, never passed through unredacted. */
const MAX_DEPTH = 8;

/** Secrets out of a piece of text: token shapes and header values written inline. */
export function redactText(text: string): string {
  return text.replace(SECRET_VALUE, CENSOR).replace(SECRET_HEADER_TEXT, `$1$2${CENSOR}`);
}

/**
 * Request and response objects never reach a log line: their headers, cookies and sockets are
 * exactly what must not be written, and they make a line kilobytes long. What is left is the
 * method and the path (a query string can carry a token).
 */
function summariseHttp(value: object): Record<string, unknown> | string | undefined {
  if (value instanceof IncomingMessage) return { method: value.method, path: (value.url ?? '').split('?')[0] };
  if (value instanceof ServerResponse) return { statusCode: value.statusCode };
  if (value instanceof Socket) return '[socket]';
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${(value as ArrayBufferView).byteLength} bytes]`;
  return undefined;
}

function redactArray(values: unknown[], depth: number, seen: WeakSet<object>): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < values.length; i++) {
    const previous = values[i - 1];
    out.push(typeof previous === 'string' && SECRET_HEADER.test(previous) ? CENSOR : redactValue(values[i], depth + 1, seen));
  }
  return out;
}

export function redactValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  const http = summariseHttp(value);
  if (http !== undefined) return http;
  if (Array.isArray(value)) return redactArray(value, depth, seen);
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
          args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>,
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
