/**
 * The HTTP listener (issue 11, points 1 and 11): it never logs a request object or a header, even
 * when a route throws an error that carries the request, and it has limits of its own: a client
 * gets `headersTimeoutMs` to send its headers and `requestTimeoutMs` for the whole request, and
 * connections past `maxConnections` are closed as they arrive.
 */
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/http/metrics.js';
import { startHttpServer, type HttpServer, type HttpServerOptions } from '../../src/http/server.js';
import { createLogger } from '../../src/logging/logger.js';

let server: HttpServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close(100);
  server = undefined;
});

function memoryLog(): { logger: ReturnType<typeof createLogger>; text: () => string; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination, pretty: false });
  const text = (): string => chunks.join('');
  return { logger, text, lines: () => text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

async function start(options: Partial<HttpServerOptions> = {}): Promise<{ server: HttpServer; log: ReturnType<typeof memoryLog> }> {
  const log = memoryLog();
  server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger: log.logger,
    metrics: createMetrics(),
    health: () => ({ status: 'ok', uptimeSeconds: 0, platforms: {} }),
    ...options,
  });
  return { server, log };
}

/** A raw connection; resolves with everything the server sent once it closes the connection. */
function raw(port: number, write: string): { socket: Socket; closed: Promise<{ text: string; ms: number }> } {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString()));
  socket.on('error', () => undefined);
  socket.write(write);
  return { socket, closed: new Promise((resolve) => socket.on('close', () => resolve({ text, ms: Date.now() - started }))) };
}

const SECRET_HEADERS = 'Authorization: Basic dXNlcjpzM2NyZXQ=\r\nCookie: session=abc-cookie\r\n';

describe('what the listener logs', () => {
  it('never logs the request an error carries: Bolt\'s "not mine" is one short debug line, another error one warn line without it', async () => {
    const { server, log } = await start({
      routes: {
        '/deferred': (req) => {
          // What Bolt throws for a request it does not handle: the request and response ride along.
          throw Object.assign(new Error(`Unhandled HTTP request (${req.method}) made to ${req.url}`), { code: 'slack_bolt_http_receiver_deferred_request_error', req });
        },
        '/broken': (req) => {
          throw Object.assign(new Error('handler broke'), { req, rawHeaders: req.rawHeaders });
        },
      },
    });
    const before = log.lines().length;
    const headers = { authorization: 'Basic dXNlcjpzM2NyZXQ=', cookie: 'session=abc-cookie' };
    expect((await fetch(`http://127.0.0.1:${server.port}/deferred`, { headers })).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/broken`, { headers })).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/nothing-here`, { headers })).status).toBe(404);
    const lines = log.lines().slice(before);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [20, 'no handler for this request'],
      [40, 'request handler failed'],
    ]);
    for (const line of lines) expect(JSON.stringify(line).length).toBeLessThan(300);
    expect(log.text()).not.toMatch(/dXNlcjpzM2NyZXQ=|abc-cookie|rawHeaders/);
  });

  it('answers a malformed request 400 and logs only the parser\'s code, not the bytes it received', async () => {
    const { server, log } = await start();
    const { closed } = raw(server.port, `GET / HTTP/1.1\r\n${SECRET_HEADERS}Bad Header Without Colon\r\n\r\n`);
    expect((await closed).text).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    const lines = log.lines().filter((l) => l.msg === 'bad HTTP request');
    expect(lines).toEqual([expect.objectContaining({ level: 20, code: expect.stringMatching(/^HPE_/) })]);
    expect(log.text()).not.toMatch(/dXNlcjpzM2NyZXQ=|abc-cookie|rawPacket/);
  });
});

describe('listener limits', () => {
  it('closes a connection that does not finish its headers in time, with 408', async () => {
    const { server } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 5000 });
    const { closed } = raw(server.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${SECRET_HEADERS}`);
    const { text, ms } = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(2000);
  });

  it('closes a request whose body does not arrive within the request timeout, with 408', async () => {
    let bodyEnded = false;
    const { server } = await start({
      headersTimeoutMs: 200,
      requestTimeoutMs: 400,
      routes: {
        '/upload': (req, res) => {
          req.resume();
          req.on('end', () => {
            bodyEnded = true;
            res.end('ok');
          });
        },
      },
    });
    const { closed } = raw(server.port, 'POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly a little');
    const { text, ms } = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(ms).toBeLessThan(2500);
    expect(bodyEnded).toBe(false);
  });

  it('closes connections past maxConnections as they arrive, and takes new ones once others close', async () => {
    const { server, log } = await start({ maxConnections: 2 });
    const open = async (): Promise<Socket> => {
      const socket = connect(server.port, '127.0.0.1');
      sockets.push(socket);
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('connect', resolve));
      return socket;
    };
    const first = await open();
    await open();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const third = raw(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect((await third.closed).text).toBe('');
    expect(log.lines().some((l) => l.msg === 'connection refused: too many open' && l.level === 20)).toBe(true);
    first.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fourth = raw(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect((await fourth.closed).text).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('has defaults: 10 s for headers, 30 s for the request, 512 connections', async () => {
    const { server } = await start();
    expect(server.server.headersTimeout).toBe(10_000);
    expect(server.server.requestTimeout).toBe(30_000);
    expect(server.server.maxConnections).toBe(512);
  });
});
