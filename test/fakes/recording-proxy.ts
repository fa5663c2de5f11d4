/**
 * A base URL of its own in front of a fake platform: every request is passed on to the fake as it
 * came and its answer passed back, and the proxy records what went through it. Several replicas
 * of the bot, each given its own proxy, then talk to ONE Discord and ONE Slack, as they do in
 * production (a nonce sent by one replica is known when another sends it again, and a message one
 * posted is in the history another reads), while the test still tells which replica sent what.
 * Separate fake servers per replica would be separate platforms, and a takeover by another replica
 * would be checked against the wrong one.
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** The path with its query, as the fake received it. */
  path: string;
  body: Buffer;
}

export interface ProxiedExchange extends ProxiedRequest {
  /** The fake's status (also when the caller had gone away meanwhile); undefined when the fake did not answer. */
  status?: number;
}

export interface RecordingProxyOptions {
  /** Called as each request arrives, before it is passed on (a test kills its caller here). */
  onRequest?: (req: ProxiedRequest) => void;
}

export interface RecordingProxy {
  /** The target URL with this proxy's host and port (same path). */
  url(targetUrl: string): string;
  /** Every request passed on, with the fake's answer status. */
  readonly exchanges: ProxiedExchange[];
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function createRecordingProxy(targetUrl: string, options: RecordingProxyOptions = {}): Promise<RecordingProxy> {
  const target = new URL(targetUrl);
  const exchanges: ProxiedExchange[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      let body: Buffer;
      try {
        body = await readBody(req);
      } catch {
        // The caller died while sending: nothing reaches the fake.
        return;
      }
      const exchange: ProxiedExchange = { method: req.method ?? 'GET', path: req.url ?? '/', body };
      options.onRequest?.(exchange);
      // Passed on even when the caller is gone: a request on the wire reaches the platform.
      const headers = { ...req.headers, host: target.host };
      const out = request({ host: target.hostname, port: target.port, method: exchange.method, path: exchange.path, headers }, (answer) => {
        exchange.status = answer.statusCode;
        exchanges.push(exchange);
        res.on('error', () => undefined);
        if (res.destroyed) return void answer.resume();
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => {
        exchanges.push(exchange);
        if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
      });
      out.end(body);
    })();
  });
  // A caller killed mid-request resets its socket; that is expected here, not an error of the test.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url(url: string) {
      const u = new URL(url);
      u.host = `127.0.0.1:${port}`;
      return u.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
    },
    exchanges,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
