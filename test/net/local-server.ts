/**
 * A local HTTP server on 127.0.0.1 for the fetch, feed and page tests, and the fetcher the tests
 * use: its resolver knows only the names a test gives it, and its connect function refuses (and
 * fails the test) for any address but 127.0.0.1. No test here ever opens a connection elsewhere.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { createSafeFetcher, nodeConnect, type Connect, type ResolvedAddress, type SafeFetchConfig, type SafeFetcher } from '../../src/net/safe-fetch.js';

export interface Route {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Wait this long before sending the head (a slow upstream). */
  delayMs?: number;
  /** Send the body in this many bytes per chunk, `chunkDelayMs` apart (a dribbling upstream). */
  chunkBytes?: number;
  chunkDelayMs?: number;
  /** Never answer at all. */
  hang?: boolean;
}

export type RouteHandler = (req: IncomingMessage) => Route | undefined;

export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
  at: number;
}

export interface LocalServer {
  origin: string;
  port: number;
  requests: SeenRequest[];
  route(path: string, route: Route | RouteHandler): void;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startLocalServer(): Promise<LocalServer> {
  const routes = new Map<string, Route | RouteHandler>();
  const requests: SeenRequest[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '/';
      requests.push({ path, headers: req.headers, at: Date.now() });
      open.add(res);
      res.once('close', () => open.delete(res));
      const entry = routes.get(path) ?? routes.get(path.split('?')[0]!);
      const route = typeof entry === 'function' ? entry(req) : entry;
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      if (route.hang) return;
      if (route.delayMs) await sleep(route.delayMs);
      if (res.destroyed) return;
      const body = route.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(route.body) ? route.body : Buffer.from(route.body);
      res.writeHead(route.status ?? 200, route.headers ?? {});
      if (!route.chunkBytes) {
        res.end(body);
        return;
      }
      for (let i = 0; i < body.length && !res.destroyed; i += route.chunkBytes) {
        res.write(body.subarray(i, i + route.chunkBytes));
        if (route.chunkDelayMs) await sleep(route.chunkDelayMs);
      }
      res.end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    route(path, route) {
      routes.set(path, route);
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A connect function that only ever reaches 127.0.0.1; any other address is a test failure. */
export function loopbackOnlyConnect(log: ResolvedAddress[] = []): Connect {
  return (request) => {
    log.push(request.address);
    if (request.address.address !== '127.0.0.1') throw new Error(`TEST BUG: tried to connect to ${request.address.address}`);
    return nodeConnect(request);
  };
}

/** A resolver for invented names only: the system resolver is never asked. */
export function fakeResolver(table: Record<string, string[]>, calls: string[] = []): (hostname: string) => Promise<ResolvedAddress[]> {
  return async (hostname) => {
    calls.push(hostname);
    const answers = table[hostname];
    if (!answers) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

/** The fetcher every ingest test uses: loopback allowed explicitly, nothing else reachable. */
export function createTestFetcher(overrides: Partial<SafeFetchConfig> = {}): SafeFetcher {
  return createSafeFetcher({
    policy: createAddressPolicy(['127.0.0.1/32']),
    userAgent: 'briefbot/test (+https://example.invalid/briefbot)',
    connectTimeoutMs: 1_000,
    timeoutMs: 3_000,
    resolve: fakeResolver({ localhost: ['127.0.0.1'] }),
    connect: loopbackOnlyConnect(),
    ...overrides,
  });
}
