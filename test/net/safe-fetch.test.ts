import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { FetchError } from '../../src/net/fetch-error.js';
import { createSafeFetcher, pinnedLookup, type Connect, type ResolvedAddress } from '../../src/net/safe-fetch.js';
import { createTestFetcher, fakeResolver, loopbackOnlyConnect, startLocalServer, type LocalServer, type Route } from './local-server.js';

const HTML = ['text/html'];

/** A connect function that fails the test if it is ever called. */
function forbiddenConnect(calls: ResolvedAddress[]): Connect {
  return (request) => {
    calls.push(request.address);
    expect.fail(`connect was called for ${request.address.address}: the guard let it through`);
  };
}

async function failureOf(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FetchError);
    return error as FetchError;
  }
  throw new Error('expected the fetch to fail');
}

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer();
  server.route('/page', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<p>hello</p>' });
  server.route('/image', { headers: { 'content-type': 'image/png' }, body: Buffer.alloc(10) });
  server.route('/to-metadata', { status: 302, headers: { location: 'http://metadata.test/latest/meta-data/' } });
  server.route('/to-private-literal', { status: 301, headers: { location: 'http://10.0.0.1/admin' } });
  server.route('/to-mapped', { status: 307, headers: { location: 'http://[::ffff:169.254.169.254]/' } });
  server.route('/to-file', { status: 302, headers: { location: 'file:///etc/passwd' } });
  for (let i = 0; i < 7; i++) server.route(`/hop/${i}`, { status: 302, headers: { location: `/hop/${i + 1}` } });
  server.route('/hop/7', { headers: { 'content-type': 'text/html' }, body: 'end' });
  server.route('/declared-huge', { headers: { 'content-type': 'text/html', 'content-length': String(6 * 1024 * 1024) }, body: 'x' });
  server.route('/streamed-huge', { headers: { 'content-type': 'text/html' }, body: Buffer.alloc(6 * 1024 * 1024, 'a'), chunkBytes: 256 * 1024 });
  server.route('/gzip-bomb', { headers: { 'content-type': 'text/html', 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(8 * 1024 * 1024, 'a')) });
  server.route('/gzip-ok', { headers: { 'content-type': 'text/html', 'content-encoding': 'gzip' }, body: gzipSync('<p>compressed</p>') });
  server.route('/hang', { hang: true });
  server.route('/dribble', { headers: { 'content-type': 'text/html' }, body: Buffer.alloc(4000, 'a'), chunkBytes: 100, chunkDelayMs: 200 });
  server.route('/etag', (req): Route =>
    req.headers['if-none-match'] === '"v1"'
      ? { status: 304, headers: { etag: '"v1"' } }
      : { headers: { 'content-type': 'text/html', etag: '"v1"', 'last-modified': 'Tue, 10 Jun 2025 04:00:00 GMT' }, body: '<p>v1</p>' },
  );
});
afterAll(async () => server.close());

describe('the address guard, through the resolver (no connection is ever opened)', () => {
  it('refuses a host name that resolves to 10.0.0.1', async () => {
    const calls: ResolvedAddress[] = [];
    const fetcher = createSafeFetcher({ policy: createAddressPolicy(['127.0.0.1']), userAgent: 't', resolve: fakeResolver({ 'intranet.test': ['10.0.0.1'] }), connect: forbiddenConnect(calls) });
    const error = await failureOf(fetcher.fetch('http://intranet.test/', { accept: HTML }));
    expect(error.failure).toBe('blocked');
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe('will not fetch from intranet.test: it resolves to 10.0.0.1, a private address, and briefbot does not fetch from private or internal networks');
    expect(calls).toEqual([]);
  });

  it('refuses a host name that resolves to the metadata endpoint 169.254.169.254', async () => {
    const calls: ResolvedAddress[] = [];
    const fetcher = createSafeFetcher({ policy: createAddressPolicy(['127.0.0.1']), userAgent: 't', resolve: fakeResolver({ 'metadata.test': ['169.254.169.254'] }), connect: forbiddenConnect(calls) });
    const error = await failureOf(fetcher.fetch('https://metadata.test/latest/meta-data/', { accept: HTML }));
    expect(error.failure).toBe('blocked');
    expect(error.message).toMatch(/cloud metadata endpoint/);
    expect(calls).toEqual([]);
  });

  it('refuses when every answer is internal (IPv6 link-local, IPv4-mapped private, CGNAT)', async () => {
    const calls: ResolvedAddress[] = [];
    const fetcher = createSafeFetcher({
      policy: createAddressPolicy(['127.0.0.1']),
      userAgent: 't',
      resolve: fakeResolver({ 'mixed.test': ['fe80::1', '::ffff:192.168.0.10', '100.64.1.1', '::'] }),
      connect: forbiddenConnect(calls),
    });
    expect((await failureOf(fetcher.fetch('http://mixed.test/', { accept: HTML }))).failure).toBe('blocked');
    expect(calls).toEqual([]);
  });

  it('refuses literal internal addresses without resolving anything', async () => {
    const calls: ResolvedAddress[] = [];
    const resolved: string[] = [];
    const fetcher = createSafeFetcher({ policy: createAddressPolicy(), userAgent: 't', resolve: fakeResolver({}, resolved), connect: forbiddenConnect(calls) });
    for (const url of ['http://127.0.0.1/', 'http://[::1]/', 'http://0x7f.1/', 'http://2130706433/', 'http://[::ffff:a9fe:a9fe]/', 'http://0.0.0.0/', 'http://[fd00:ec2::254]/']) {
      expect((await failureOf(fetcher.fetch(url, { accept: HTML }))).failure, url).toBe('blocked');
    }
    expect(calls).toEqual([]);
    expect(resolved).toEqual([]);
  });

  it('refuses loopback itself unless the allow-list names it', async () => {
    const calls: ResolvedAddress[] = [];
    const fetcher = createSafeFetcher({ policy: createAddressPolicy(), userAgent: 't', resolve: fakeResolver({}), connect: forbiddenConnect(calls) });
    expect((await failureOf(fetcher.fetch(`${server.origin}/page`, { accept: HTML }))).failure).toBe('blocked');
    expect(calls).toEqual([]);
  });

  it('checks every redirect: a hop to a name resolving to 169.254.169.254 is refused before connecting', async () => {
    const connected: ResolvedAddress[] = [];
    const fetcher = createTestFetcher({ resolve: fakeResolver({ 'metadata.test': ['169.254.169.254'] }), connect: loopbackOnlyConnect(connected) });
    const error = await failureOf(fetcher.fetch(`${server.origin}/to-metadata`, { accept: HTML }));
    expect(error.failure).toBe('blocked');
    expect(connected.map((a) => a.address)).toEqual(['127.0.0.1']);
  });

  it('checks every redirect: literal private and IPv4-mapped metadata targets are refused', async () => {
    const connected: ResolvedAddress[] = [];
    const fetcher = createTestFetcher({ connect: loopbackOnlyConnect(connected) });
    expect((await failureOf(fetcher.fetch(`${server.origin}/to-private-literal`, { accept: HTML }))).failure).toBe('blocked');
    expect((await failureOf(fetcher.fetch(`${server.origin}/to-mapped`, { accept: HTML }))).failure).toBe('blocked');
    expect((await failureOf(fetcher.fetch(`${server.origin}/to-file`, { accept: HTML }))).failure).toBe('bad-url');
    expect(connected.every((a) => a.address === '127.0.0.1')).toBe(true);
  });
});

describe('safe fetch against a local server (e2e over node:http)', () => {
  it('fetches a page with an honest User-Agent and reports the address used', async () => {
    const fetcher = createTestFetcher();
    const before = server.requests.length;
    const result = await fetcher.fetch(`${server.origin}/page`, { accept: HTML });
    expect(result.body.toString()).toBe('<p>hello</p>');
    expect(result.contentType).toBe('text/html');
    expect(result.charset).toBe('utf-8');
    expect(result.address).toBe('127.0.0.1');
    expect(server.requests[before]?.headers['user-agent']).toBe('briefbot/test (+https://example.invalid/briefbot)');
  });

  it('resolves once and connects to the pinned address (no second DNS lookup to rebind)', async () => {
    const calls: string[] = [];
    // The system resolver has never heard of news.test: reaching the server proves the pinned address was used.
    const fetcher = createTestFetcher({ resolve: fakeResolver({ 'news.test': ['127.0.0.1'] }, calls) });
    const before = server.requests.length;
    const result = await fetcher.fetch(`http://news.test:${server.port}/page`, { accept: HTML });
    expect(result.body.toString()).toBe('<p>hello</p>');
    expect(calls).toEqual(['news.test']);
    expect(server.requests[before]?.headers.host).toBe(`news.test:${server.port}`);
  });

  it('answers node:net lookups with only the pinned address', () => {
    const lookup = pinnedLookup({ address: '127.0.0.1', family: 4 });
    const single: unknown[] = [];
    const all: unknown[] = [];
    (lookup as unknown as (h: string, o: object, cb: (...a: unknown[]) => void) => void)('evil.test', {}, (...args) => single.push(...args));
    (lookup as unknown as (h: string, o: object, cb: (...a: unknown[]) => void) => void)('evil.test', { all: true }, (...args) => all.push(...args));
    expect(single).toEqual([null, '127.0.0.1', 4]);
    expect(all).toEqual([null, [{ address: '127.0.0.1', family: 4 }]]);
  });

  it('follows at most five redirects', async () => {
    const fetcher = createTestFetcher();
    const ok = await fetcher.fetch(`${server.origin}/hop/2`, { accept: HTML });
    expect(ok.redirects).toBe(5);
    expect(ok.url).toBe(`${server.origin}/hop/7`);
    expect((await failureOf(fetcher.fetch(`${server.origin}/hop/1`, { accept: HTML }))).failure).toBe('too-many-redirects');
  });

  it('refuses a content type it did not ask for', async () => {
    const error = await failureOf(createTestFetcher().fetch(`${server.origin}/image`, { accept: HTML }));
    expect(error.failure).toBe('content-type');
    expect(error.message).toMatch(/image\/png/);
  });

  it('caps the body at 5 MB: declared, streamed, and decompressed', async () => {
    const fetcher = createTestFetcher();
    expect(fetcher.maxBytes).toBe(5 * 1024 * 1024);
    for (const path of ['/declared-huge', '/streamed-huge', '/gzip-bomb']) {
      expect((await failureOf(fetcher.fetch(`${server.origin}${path}`, { accept: HTML }))).failure, path).toBe('too-large');
    }
    expect((await fetcher.fetch(`${server.origin}/gzip-ok`, { accept: HTML })).body.toString()).toBe('<p>compressed</p>');
  });

  // Linux drops the SYN when a listener's accept queue is full, so the connection never completes: a stand-in for an unreachable host that stays on 127.0.0.1.
  it.skipIf(process.platform !== 'linux')('gives up on a connection that is never accepted, at the connect timeout', async () => {
    const listener = spawn(process.execPath, ['-e', "const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>console.log(s.address().port))"], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve) => listener.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
    listener.kill('SIGSTOP');
    const fillers = Array.from({ length: 8 }, () => connect(port, '127.0.0.1').on('error', () => undefined));
    try {
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();
      const error = await failureOf(createTestFetcher({ connectTimeoutMs: 400, timeoutMs: 5_000 }).fetch(`http://127.0.0.1:${port}/`, { accept: HTML }));
      expect(error.failure).toBe('timeout');
      expect(error.message).toMatch(/no connection to 127\.0\.0\.1:\d+ within 400 ms/);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      for (const socket of fillers) socket.destroy();
      listener.kill('SIGKILL');
    }
  });

  it('gives up on a server that never answers, and on one that dribbles, at the total timeout', async () => {
    const fetcher = createTestFetcher({ timeoutMs: 400 });
    const started = Date.now();
    expect((await failureOf(fetcher.fetch(`${server.origin}/hang`, { accept: HTML }))).failure).toBe('timeout');
    expect((await failureOf(fetcher.fetch(`${server.origin}/dribble`, { accept: HTML }))).failure).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('sends conditional headers and reports 304 as not modified', async () => {
    const fetcher = createTestFetcher();
    const first = await fetcher.fetch(`${server.origin}/etag`, { accept: HTML });
    expect(first.etag).toBe('"v1"');
    expect(first.lastModified).toBe('Tue, 10 Jun 2025 04:00:00 GMT');
    const second = await fetcher.fetch(`${server.origin}/etag`, { accept: HTML, etag: first.etag!, lastModified: first.lastModified! });
    expect(second.notModified).toBe(true);
    expect(second.body.length).toBe(0);
    expect(server.requests.at(-1)?.headers['if-modified-since']).toBe('Tue, 10 Jun 2025 04:00:00 GMT');
  });

  it('refuses URLs that are not http(s) or carry credentials', async () => {
    const fetcher = createTestFetcher();
    expect((await failureOf(fetcher.fetch('ftp://example.org/', { accept: HTML }))).failure).toBe('bad-url');
    expect((await failureOf(fetcher.fetch('http://user:pw@127.0.0.1/', { accept: HTML }))).failure).toBe('bad-url');
    expect((await failureOf(fetcher.fetch('not a url', { accept: HTML }))).failure).toBe('bad-url');
  });
});
