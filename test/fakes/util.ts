/**
 * Small helpers shared by the fake Discord and the fake Slack: HTTP plumbing, a route matcher,
 * scripted replies and a polling `waitFor`.
 */
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocketServer } from 'ws';

/** What a scripted handler (or a default route) answers. `undefined` from a handler means "not me: go on". */
export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow upstream). */
  delayMs?: number;
}

export interface ScriptContext<B = unknown> {
  /** 1 for the first request this registration matched, 2 for the second, … */
  callCount: number;
  body: B;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export type ScriptHandler<B = unknown> = (ctx: ScriptContext<B>) => FakeReply | undefined | void;

export interface Registration {
  readonly callCount: number;
  remove(): void;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Shown in the timeout error. */
  what?: string;
}

/** Polls `predicate` until it returns something truthy, and resolves with that value. */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false,
  { timeoutMs = 3000, intervalMs = 5, what = 'condition' }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, reply: FakeReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | undefined;
  if (reply.body !== undefined && reply.status !== 204) {
    if (typeof reply.body === 'string') {
      payload = reply.body;
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else {
      payload = JSON.stringify(reply.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** '/channels/:channelId/messages' → a matcher over decoded path segments; `*` matches the rest. */
export function compilePattern(pattern: string): (path: string) => Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  return (path) => {
    const got = path.split('/').filter(Boolean);
    const params: Record<string, string> = {};
    for (let i = 0; i < want.length; i++) {
      const w = want[i]!;
      if (w === '*') return params;
      const g = got[i];
      if (g === undefined) return undefined;
      if (w.startsWith(':')) params[w.slice(1)] = g;
      else if (w !== g) return undefined;
    }
    return got.length === want.length ? params : undefined;
  };
}

export function decodePath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

interface ScriptEntry {
  method: string;
  match: (path: string) => Record<string, string> | undefined;
  handler: ScriptHandler<never>;
  calls: number;
}

/** The scripted handlers of one fake: `register` adds, `run` asks them in order of registration. */
export class Scripts {
  private entries: ScriptEntry[] = [];

  register<B>(method: string, pattern: string, handler: ScriptHandler<B>): Registration {
    const entry: ScriptEntry = {
      method: method.toUpperCase(),
      match: compilePattern(pattern),
      handler: handler as ScriptHandler<never>,
      calls: 0,
    };
    this.entries.push(entry);
    return {
      get callCount() {
        return entry.calls;
      },
      remove: () => {
        this.entries = this.entries.filter((e) => e !== entry);
      },
    };
  }

  run(method: string, path: string, ctx: Omit<ScriptContext, 'callCount' | 'params'>): FakeReply | undefined {
    for (const entry of this.entries) {
      if (entry.method !== '*' && entry.method !== method.toUpperCase()) continue;
      const params = entry.match(path);
      if (!params) continue;
      entry.calls += 1;
      const reply = entry.handler({ ...ctx, callCount: entry.calls, params } as ScriptContext<never>);
      if (reply) return reply;
    }
    return undefined;
  }

  clear(): void {
    this.entries = [];
  }
}

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Closes every socket and the server. WebSockets get a close handshake (1001) and up to `graceMs`
 * to finish it (a client that is already closing, like Bolt's after `app.stop()`, then sees a clean
 * close instead of a reset), then are terminated; keep-alive HTTP connections are cut.
 */
export async function closeServer(server: Server, wss?: WebSocketServer, graceMs = 1000): Promise<void> {
  if (wss) {
    let timer: NodeJS.Timeout | undefined;
    const open = [...wss.clients];
    await Promise.race([
      Promise.all(
        open.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === ws.CLOSED) return resolve();
              ws.once('close', () => resolve());
              if (ws.readyState === ws.OPEN) ws.close(1001, 'server stopping');
            }),
        ),
      ),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

let counter = 0;
export function randomId(prefix = ''): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
