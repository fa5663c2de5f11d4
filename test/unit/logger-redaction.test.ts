/**
 * Issue 11, point 1: redaction worked by key name and token pattern, so a flat `rawHeaders` array
 * (`['Authorization', 'Basic …', 'Cookie', 'session=…']`) passed through. Secrets are now removed
 * wherever they appear: header lists, request objects, header text in messages, and past the
 * depth limit nothing is written unredacted.
 */
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactText, redactValue } from '../../src/logging/logger.js';

function capture(): { logger: ReturnType<typeof createLogger>; text: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'trace', destination, pretty: false }), text: () => chunks.join('') };
}

const BASIC = 'Basic dXNlcjpzM2NyZXQ=';
const COOKIE = 'session=abc-cookie-1';
const SIGNATURE = 'v0=' + 'f0'.repeat(32);

describe('redaction of headers and requests', () => {
  it('redacts the value after a secret header name in a flat list, whatever the key holding the list', () => {
    const rawHeaders = ['Host', 'example.test', 'Authorization', BASIC, 'Cookie', COOKIE, 'set-cookie', 'id=2', 'X-Slack-Signature', SIGNATURE, 'Accept', '*/*'];
    for (const record of [{ rawHeaders }, { list: rawHeaders }, { error: { req: { headersList: rawHeaders } } }]) {
      const out = JSON.stringify(redactValue(record));
      for (const secret of ['dXNlcjpzM2NyZXQ=', 'abc-cookie-1', 'id=2', 'f0f0f0']) expect(out).not.toContain(secret);
    }
    expect(redactValue(['Host', 'example.test', 'Accept', '*/*'])).toEqual(['Host', 'example.test', 'Accept', '*/*']);
  });

  it('writes an incoming request as its method and path only: no headers, no query, no socket', () => {
    const req = new IncomingMessage(new Socket());
    req.method = 'GET';
    req.url = '/slack/events?token=abc123';
    req.headers = { authorization: BASIC, cookie: COOKIE };
    req.rawHeaders = ['Authorization', BASIC, 'Cookie', COOKIE];
    expect(redactValue({ req })).toEqual({ req: { method: 'GET', path: '/slack/events' } });
    const error = Object.assign(new Error('Unhandled HTTP request (GET) made to /slack/events'), { req });
    const out = JSON.stringify(redactValue(error));
    expect(out).not.toMatch(/dXNlcjpzM2NyZXQ=|abc-cookie|abc123|rawHeaders/);
    expect(out.length).toBeLessThan(2000);
  });

  it('writes a buffer as its length, not its bytes', () => {
    const rawPacket = Buffer.from(`GET / HTTP/1.1\r\nAuthorization: ${BASIC}\r\n`);
    expect(redactValue({ rawPacket })).toEqual({ rawPacket: `[${rawPacket.length} bytes]` });
  });

  it('cuts what is nested deeper than the limit instead of writing it unredacted', () => {
    let deep: Record<string, unknown> = { token: 'deep-secret-1', rawHeaders: ['Cookie', COOKIE] };
    for (let i = 0; i < 20; i++) deep = { inner: deep };
    const out = JSON.stringify(redactValue(deep));
    expect(out).toContain('[too deep]');
    expect(out).not.toMatch(/deep-secret-1|abc-cookie/);
  });

  it('redacts header values and signatures written out as text, and leaves ordinary words alone', () => {
    expect(redactText(`request had Authorization: ${BASIC} and cookie: ${COOKIE}`)).toBe('request had Authorization: [redacted]');
    expect(redactText(`{"authorization":"${BASIC}","x":1}`)).toBe('{"authorization":"[redacted]","x":1}');
    expect(redactText(`signature ${SIGNATURE} refused`)).toBe('signature [redacted] refused');
    expect(redactText('token xoxe.xoxp-1-abcdef and xoxb-123-456')).toBe('token [redacted] and [redacted]');
    for (const plain of ['Bot restarted successfully', 'the bot reconnected to the gateway', 'authorization failed for U123', 'Basic configuration loaded']) expect(redactText(plain)).toBe(plain);
  });

  it('keeps all of it out of a real log line, message and fields alike', () => {
    const { logger, text } = capture();
    const req = new IncomingMessage(new Socket());
    req.rawHeaders = ['Authorization', BASIC, 'Cookie', COOKIE];
    logger.warn({ err: Object.assign(new Error('boom'), { req, rawHeaders: req.rawHeaders }), headers: { 'X-Slack-Signature': SIGNATURE } }, `got Cookie: ${COOKIE}`);
    expect(text()).toContain('boom');
    expect(text()).not.toMatch(/dXNlcjpzM2NyZXQ=|abc-cookie-1|f0f0f0/);
  });
});
