import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { describeError } from '../errors.js';
import type { Metrics } from './metrics.js';

/**
 * The one HTTP listener of the process: `/healthz` (JSON, 200 when every started platform is
 * up, 503 otherwise), `/metrics` (Prometheus text) and, in Slack HTTP mode, Slack's request path
 * handed to Bolt's receiver. Plain `node:http`: three routes need no framework.
 */

export type PlatformState = 'starting' | 'up' | 'reconnecting' | 'down' | 'stopped';

export interface PlatformHealth {
  status: PlatformState;
  /** Extra facts for an operator: mode, guild count, last error. */
  [key: string]: unknown;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'stopping';
  uptimeSeconds: number;
  platforms: Record<string, PlatformHealth>;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
  metrics: Metrics;
  health: () => HealthReport;
  /** Extra exact-path routes (Slack's request path → Bolt's request listener). */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
  /** Time a client has to send the request's headers (default 10 s). */
  headersTimeoutMs?: number;
  /** Time a client has to send the whole request, body included (default 30 s; at least headersTimeoutMs). */
  requestTimeoutMs?: number;
  /** Open connections at once; more are closed as they arrive (default 512). */
  maxConnections?: number;
  /** How long an idle keep-alive connection stays open (default 5 s). */
  keepAliveTimeoutMs?: number;
}

export const HTTP_LIMIT_DEFAULTS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 512, keepAliveTimeoutMs: 5_000 } as const;

/** Bolt's "this path is not mine" error: routine, and it carries the whole request. */
function isDeferredRequest(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'slack_bolt_http_receiver_deferred_request_error';
}

/** What a refused connection is told, by the parser's reason (Node's own default handler answers the same). */
function clientErrorStatus(code: string | undefined): string {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return '408 Request Timeout';
  if (code === 'HPE_HEADER_OVERFLOW') return '431 Request Header Fields Too Large';
  return '400 Bad Request';
}

export interface HttpServer {
  readonly server: Server;
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** Stops accepting, lets requests in flight finish for up to `graceMs`, then cuts what is left. */
  close(graceMs?: number): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const log = options.logger.child({ component: 'http' });
  const routes = options.routes ?? {};

  const headersTimeout = options.headersTimeoutMs ?? HTTP_LIMIT_DEFAULTS.headersTimeoutMs;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? HTTP_LIMIT_DEFAULTS.requestTimeoutMs, headersTimeout);
  const serverOptions = {
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? HTTP_LIMIT_DEFAULTS.keepAliveTimeoutMs,
    // Node checks both timeouts only this often (30 s by default), which would stretch a 10 s limit to 40 s.
    connectionsCheckingInterval: Math.min(1000, Math.max(25, Math.floor(headersTimeout / 4))),
  };

  const server = createServer(serverOptions, (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const route = routes[path];
    if (route) {
      try {
        route(req, res);
      } catch (error) {
        // Never the error object: Bolt's errors carry the request, headers and cookies included.
        if (isDeferredRequest(error)) log.debug({ path, method }, 'no handler for this request');
        else log.warn({ path, method, error: describeError(error).slice(0, 200) }, 'request handler failed');
        if (!res.headersSent) sendJson(res, 404, { error: 'not found' });
      }
      return;
    }
    if (path === '/healthz' && (method === 'GET' || method === 'HEAD')) {
      const report = options.health();
      sendJson(res, report.status === 'ok' ? 200 : 503, report);
      return;
    }
    if (path === '/metrics' && method === 'GET') {
      options.metrics.render().then(
        ({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
          res.end(body);
        },
        (error: unknown) => {
          log.error({ err: error }, 'could not render metrics');
          if (!res.headersSent) sendJson(res, 500, { error: 'metrics unavailable' });
        },
      );
      return;
    }
    sendJson(res, 404, { error: 'not found' });
  });
  server.maxConnections = options.maxConnections ?? HTTP_LIMIT_DEFAULTS.maxConnections;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // The code only: the parser's error holds the raw bytes received, headers included.
    log.debug({ code: error.code }, 'bad HTTP request');
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(`HTTP/1.1 ${clientErrorStatus(error.code)}\r\nConnection: close\r\n\r\n`);
  });
  server.on('drop', () => log.debug({ maxConnections: server.maxConnections }, 'connection refused: too many open'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ host: options.host, port, headersTimeoutMs: headersTimeout, requestTimeoutMs: requestTimeout, maxConnections: server.maxConnections }, 'http listening');

  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    close(graceMs = 2000) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        // Keep-alive connections with nothing in flight would otherwise hold close() open.
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
