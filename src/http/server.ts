import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
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

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const route = routes[path];
    if (route) {
      try {
        route(req, res);
      } catch (error) {
        log.warn({ err: error, path }, 'request handler failed');
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
  server.on('clientError', (error, socket) => {
    log.debug({ err: error }, 'bad HTTP request');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ host: options.host, port }, 'http listening');

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
