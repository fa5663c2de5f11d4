/**
 * What `startPlatforms` hands on. The `http:` limits in the config reach the listener `startPlatforms` opens (issue 11, point 11):
 * a bot started the real way, with Slack in HTTP mode against the fake Slack, closes a client that
 * dawdles over its headers, an idle keep-alive connection and a connection past the cap by the
 * configured numbers, not by the listener's defaults (10 s, 5 s, 512), which would all outlast
 * these tests' bounds. And a replay guard given to `startPlatforms` is the one the Slack adapter
 * asks (where a store-backed guard shared by replicas plugs in).
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplayGuard } from '../../src/platforms/slack/request-guard.js';
import { createPlatformTestContext, type PlatformTestContext } from './helpers/platform-context.js';

let ctx: PlatformTestContext | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await ctx?.stop();
  ctx = undefined;
});

/** A raw connection to 127.0.0.1; resolves with what the server sent once the connection closes, or 'still open' after `giveUpMs`. */
function raw(port: number, write: string, giveUpMs: number): Promise<{ text: string; ms: number } | 'still open'> {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString()));
  socket.on('error', () => undefined);
  socket.write(write);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still open'), giveUpMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, ms: Date.now() - started });
    });
  });
}

describe('startPlatforms gives the listener the configured http limits', () => {
  it('headersTimeoutMs: a client that never finishes its headers is answered 408 after the configured 300 ms', async () => {
    ctx = await createPlatformTestContext({ slack: 'http', config: { http: { headersTimeoutMs: 300, requestTimeoutMs: 5000 } } });
    const result = await raw(ctx.running.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n', 3000);
    expect(result).not.toBe('still open');
    const { text, ms } = result as { text: string; ms: number };
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(ms).toBeGreaterThanOrEqual(250);
  });

  it('keepAliveTimeoutMs: an idle keep-alive connection is closed after the configured 200 ms', async () => {
    ctx = await createPlatformTestContext({ slack: 'http', config: { http: { keepAliveTimeoutMs: 200 } } });
    const result = await raw(ctx.running.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', 3000);
    expect(result).not.toBe('still open');
    expect((result as { text: string }).text).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('maxConnections: with a cap of 1, a second connection is closed unanswered while the first is open', async () => {
    ctx = await createPlatformTestContext({ slack: 'http', config: { http: { maxConnections: 1 } } });
    const first = connect(ctx.running.port, '127.0.0.1');
    sockets.push(first);
    first.on('error', () => undefined);
    await new Promise((resolve) => first.once('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await raw(ctx.running.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 3000);
    expect(second).not.toBe('still open');
    expect((second as { text: string }).text).toBe('');
    // The cap is on open connections, not a count of requests: once the first closes, the next is served.
    first.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const third = await raw(ctx.running.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 3000);
    expect(third).not.toBe('still open');
    expect((third as { text: string }).text).toMatch(/^HTTP\/1\.1 (200 OK|503)/);
  });
});

describe('startPlatforms gives the Slack adapter the replay guard it is handed', () => {
  it('a signed request is checked against that guard, and refused 401 when it says the signature was seen', async () => {
    const keys: string[] = [];
    const everythingSeen: ReplayGuard = {
      remember(key) {
        keys.push(key);
        return Promise.resolve('seen');
      },
    };
    ctx = await createPlatformTestContext({ slack: 'http', adapters: { slack: { replayGuard: everythingSeen } } });
    const res = await ctx.slash('/brief', '');
    expect(res.status).toBe(401);
    expect(keys).toHaveLength(1);
  });
});
