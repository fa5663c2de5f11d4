import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { bareAddress, describeBlock, type AddressPolicy } from './address-policy.js';
import { FetchError } from './fetch-error.js';

/**
 * Fetches what a person or a feed names, safely: http(s) only; the host is resolved once, every
 * address checked against the policy, and the connection made to that checked address (a custom
 * `lookup` hands node:http the pinned address, so a second DNS answer can never slip in); the
 * same on every redirect (at most five); a connect timeout and a total timeout; a size cap on the
 * decompressed body; a content-type check before the body is read; an honest User-Agent.
 */

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_TIMEOUT_MS = 15_000;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Host name to addresses (the system resolver by default; tests inject their own). */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export interface ConnectRequest {
  url: URL;
  /** The checked address to connect to; the host name is kept for the Host header and TLS. */
  address: ResolvedAddress;
  headers: Record<string, string>;
  connectTimeoutMs: number;
  signal: AbortSignal;
  policy: AddressPolicy;
}

/** Opens one HTTP exchange to a checked address and resolves with the response head. */
export type Connect = (request: ConnectRequest) => Promise<IncomingMessage>;

export interface SafeFetchConfig {
  policy: AddressPolicy;
  userAgent: string;
  connectTimeoutMs?: number;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  resolve?: Resolve;
  connect?: Connect;
}

export interface FetchOptions {
  /** Media types accepted (`text/html`, `application/rss+xml`); anything else is refused unread. */
  accept: readonly string[];
  /** The Accept header sent. */
  acceptHeader?: string;
  /** Take a response with no Content-Type (some feed servers send none). */
  allowMissingContentType?: boolean;
  etag?: string;
  lastModified?: string;
  /** Cancels the fetch (shutting down). */
  signal?: AbortSignal;
}

export interface FetchResult {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  /** 304: the conditional GET found nothing new; `body` is empty. */
  notModified: boolean;
  body: Buffer;
  contentType?: string;
  charset?: string;
  etag?: string;
  lastModified?: string;
  redirects: number;
  /** The address actually connected to on the last hop. */
  address: string;
}

export interface SafeFetcher {
  fetch(url: string, options: FetchOptions): Promise<FetchResult>;
  readonly maxBytes: number;
}

export const systemResolve: Resolve = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** A `lookup` for node:net that answers with the one address already resolved and checked. */
export function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  }) as unknown as LookupFunction;
}

/** The real connection: node:http or node:https to the pinned address, with a connect timeout. */
export const nodeConnect: Connect = (request) =>
  new Promise<IncomingMessage>((resolve, reject) => {
    const { url, address, headers, signal, policy } = request;
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request({
      protocol: url.protocol,
      hostname: bareAddress(url.hostname),
      port: url.port || undefined,
      path: url.pathname + url.search,
      method: 'GET',
      headers,
      agent: false,
      lookup: pinnedLookup(address),
      signal,
    });
    let connectTimer: NodeJS.Timeout | undefined;
    req.once('socket', (socket) => {
      const connected = (): void => {
        clearTimeout(connectTimer);
        // Belt and braces: whatever node:net did, the peer must be an address the policy allows.
        const remote = socket.remoteAddress;
        const refused = remote ? policy.refuse(remote) : 'invalid';
        if (refused) req.destroy(new FetchError('blocked', `connected to ${remote ?? 'an unknown address'}, ${describeBlock(refused)}; refused`));
      };
      if (socket.connecting) {
        connectTimer = setTimeout(() => req.destroy(new FetchError('timeout', `no connection to ${url.host} within ${request.connectTimeoutMs} ms`)), request.connectTimeoutMs);
        socket.once('connect', connected);
      } else {
        connected();
      }
    });
    req.once('response', (res) => {
      clearTimeout(connectTimer);
      resolve(res);
    });
    req.once('error', (error) => {
      clearTimeout(connectTimer);
      reject(error);
    });
    req.end();
  });

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function parseContentType(value: string | undefined): { type?: string; charset?: string } {
  if (!value) return {};
  const [type, ...params] = value.split(';');
  const result: { type?: string; charset?: string } = {};
  const mediaType = type?.trim().toLowerCase();
  if (mediaType) result.type = mediaType;
  for (const param of params) {
    const m = /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(param);
    if (m) result.charset = m[1]!.toLowerCase();
  }
  return result;
}

function decoded(res: IncomingMessage): Readable {
  const encoding = (headerValue(res.headers, 'content-encoding') ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return res.pipe(createGunzip());
  if (encoding === 'deflate') return res.pipe(createInflate());
  if (encoding === 'br') return res.pipe(createBrotliDecompress());
  return res;
}

/** Reads a body up to the cap, counting the decompressed bytes (a small gzip can be a large bomb). */
async function readCapped(res: IncomingMessage, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(headerValue(res.headers, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw new FetchError('too-large', `${what} is ${declared} bytes; the limit is ${maxBytes}`);
  }
  const stream = decoded(res);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (total > maxBytes) throw new FetchError('too-large', `${what} is larger than the limit of ${maxBytes} bytes`);
      chunks.push(buffer);
    }
  } catch (error) {
    res.destroy();
    if (stream !== res) stream.destroy();
    throw error;
  }
  return Buffer.concat(chunks);
}

function describeHost(url: URL): string {
  return url.host;
}

function errorOf(error: unknown, url: URL, signals: { total: AbortSignal; caller?: AbortSignal }, timeoutMs: number): FetchError {
  if (error instanceof FetchError) return error;
  if (signals.caller?.aborted) return new FetchError('aborted', `fetching ${describeHost(url)} was cancelled`, { cause: error });
  if (signals.total.aborted) return new FetchError('timeout', `${describeHost(url)} did not answer in full within ${timeoutMs} ms`, { cause: error });
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new FetchError('connect', `cannot connect to ${describeHost(url)} (${code})`, { cause: error });
  }
  if (code && /^Z_|ERR_/.test(code)) return new FetchError('network', `bad response from ${describeHost(url)} (${code})`, { cause: error });
  return new FetchError('network', `fetching ${describeHost(url)} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
}

export function createSafeFetcher(config: SafeFetchConfig): SafeFetcher {
  const resolve = config.resolve ?? systemResolve;
  const connect = config.connect ?? nodeConnect;
  const maxBytes = config.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = config.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const connectTimeoutMs = config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { policy } = config;

  function parseTarget(text: string, base?: URL): URL {
    let url: URL;
    try {
      url = base ? new URL(text, base) : new URL(text);
    } catch {
      throw new FetchError('bad-url', `not a valid URL: ${text.slice(0, 200)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError('bad-url', `only http and https links can be fetched, not ${url.protocol.replace(/:$/, '')}`);
    if (url.username || url.password) throw new FetchError('bad-url', 'links with a user name or password are not fetched');
    url.hash = '';
    return url;
  }

  /** Resolves once and returns the first address the policy allows; refuses when none is. */
  async function pick(url: URL): Promise<ResolvedAddress> {
    const host = bareAddress(url.hostname);
    const literal = isIP(host);
    let answers: ResolvedAddress[];
    if (literal) {
      answers = [{ address: host, family: literal === 6 ? 6 : 4 }];
    } else {
      try {
        answers = await resolve(host);
      } catch (error) {
        throw new FetchError('dns', `cannot resolve ${host} (${(error as NodeJS.ErrnoException).code ?? 'no answer'})`, { cause: error });
      }
      if (answers.length === 0) throw new FetchError('dns', `cannot resolve ${host} (no addresses)`);
    }
    const allowed = answers.find((a) => policy.refuse(a.address) === undefined);
    if (allowed) return allowed;
    const first = answers[0]!;
    const reason = policy.refuse(first.address)!;
    const what = literal ? `it is ${describeBlock(reason)}` : `it resolves to ${first.address}, ${describeBlock(reason)}`;
    throw new FetchError('blocked', `will not fetch from ${literal ? first.address : host}: ${what}, and briefbot does not fetch from private or internal networks`);
  }

  return {
    maxBytes,
    async fetch(target: string, options: FetchOptions): Promise<FetchResult> {
      const total = new AbortController();
      const timer = setTimeout(() => total.abort(), timeoutMs);
      const onCallerAbort = (): void => total.abort();
      options.signal?.addEventListener('abort', onCallerAbort, { once: true });
      let url = parseTarget(target);
      try {
        if (options.signal?.aborted) throw new FetchError('aborted', 'cancelled');
        for (let redirects = 0; ; redirects++) {
          const address = await pick(url);
          if (total.signal.aborted) throw new FetchError('timeout', `${describeHost(url)} did not answer in full within ${timeoutMs} ms`);
          const headers: Record<string, string> = {
            'user-agent': config.userAgent,
            accept: options.acceptHeader ?? options.accept.join(', '),
            'accept-encoding': 'gzip, deflate, br',
          };
          if (options.etag) headers['if-none-match'] = options.etag;
          if (options.lastModified) headers['if-modified-since'] = options.lastModified;
          const res = await connect({ url, address, headers, connectTimeoutMs, signal: total.signal, policy });
          const status = res.statusCode ?? 0;
          if (REDIRECTS.has(status)) {
            res.resume();
            const location = headerValue(res.headers, 'location');
            if (!location) throw new FetchError('http-status', `${describeHost(url)} answered ${status} without a Location`, { status });
            if (redirects >= maxRedirects) throw new FetchError('too-many-redirects', `more than ${maxRedirects} redirects from ${target.slice(0, 200)}`);
            url = parseTarget(location, url);
            continue;
          }
          const common = {
            url: url.href,
            status,
            redirects,
            address: address.address,
            ...(headerValue(res.headers, 'etag') ? { etag: headerValue(res.headers, 'etag')! } : {}),
            ...(headerValue(res.headers, 'last-modified') ? { lastModified: headerValue(res.headers, 'last-modified')! } : {}),
          };
          if (status === 304) {
            res.resume();
            return { ...common, notModified: true, body: Buffer.alloc(0) };
          }
          if (status < 200 || status > 299) {
            res.resume();
            throw new FetchError('http-status', `${describeHost(url)} answered HTTP ${status}`, { status });
          }
          const { type, charset } = parseContentType(headerValue(res.headers, 'content-type'));
          if (type ? !options.accept.includes(type) : !options.allowMissingContentType) {
            res.destroy();
            throw new FetchError('content-type', `${describeHost(url)} sent ${type ?? 'no content type'}, not ${options.accept.join(' or ')}`);
          }
          const body = await readCapped(res, maxBytes, url.href.slice(0, 200));
          return { ...common, notModified: false, body, ...(type ? { contentType: type } : {}), ...(charset ? { charset } : {}) };
        }
      } catch (error) {
        throw errorOf(error, url, { total: total.signal, ...(options.signal ? { caller: options.signal } : {}) }, timeoutMs);
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onCallerAbort);
      }
    },
  };
}

/** Bytes to text by the declared charset, else a `<meta charset>` or XML declaration, else UTF-8. */
export function decodeBody(body: Buffer, charset?: string): string {
  let label = charset;
  if (!label) {
    const head = body.subarray(0, 2048).toString('latin1');
    label = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1] ?? /<\?xml[^>]+encoding\s*=\s*["']([\w-]+)/i.exec(head)?.[1];
  }
  try {
    return new TextDecoder(label ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
