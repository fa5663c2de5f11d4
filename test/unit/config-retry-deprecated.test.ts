/**
 * `digest.retry.attempts` no longer means anything (a digest is not given up after a number of
 * attempts: 429s are waited out, and only a permanent error or the next slot ends a delivery).
 * A configuration that sets it still loads, whatever whole number it holds, without a word on
 * stderr; the backoff settings beside it still apply; nothing supplies it by default; and the
 * shipped config/briefbot.yaml loads without it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/config.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefbot-retry-config-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

function silenceChecks(): () => void {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  return () => {
    expect(stderr).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    expect(emitWarning).not.toHaveBeenCalled();
  };
}

describe('digest.retry.attempts (deprecated)', () => {
  it.each([8, 3, 50])('a config with attempts: %i loads quietly, and its backoff settings still apply', async (attempts) => {
    await writeFile(join(dir, 'digest.yaml'), `digest:\n  retry:\n    attempts: ${attempts}\n    minDelayMs: 2000\n    maxDelayMs: 60000\n`);
    const quiet = silenceChecks();
    const config = loadConfig({ dir, env: {} });
    quiet();
    expect(config.digest.retry.minDelayMs).toBe(2000);
    expect(config.digest.retry.maxDelayMs).toBe(60000);
  });

  it('is not supplied by default: nothing reads a limit that is no longer there', () => {
    expect(loadConfig({ dir, env: {} }).digest.retry).toEqual({ minDelayMs: 1000, maxDelayMs: 300000 });
  });

  it('the shipped config/briefbot.yaml loads, with the backoff settings and no attempts', () => {
    const shipped = fileURLToPath(new URL('../../config/', import.meta.url));
    const quiet = silenceChecks();
    const config = loadConfig({ dir: shipped, env: {} });
    quiet();
    expect(config.digest.retry).toEqual({ minDelayMs: 1000, maxDelayMs: 300000 });
  });
});
