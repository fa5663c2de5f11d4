/**
 * The store part of the configuration: no URL keeps the SQLite file; DATABASE_URL (or store.url)
 * chooses PostgreSQL, and a URL that cannot be one is reported at start-up without echoing it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { postgresUrlProblem } from '../../src/config/database-url.js';
import { chooseStore } from '../../src/store/select.js';

const emptyDir = mkdtempSync(join(tmpdir(), 'briefbot-store-config-'));

describe('store configuration', () => {
  it('keeps the SQLite file when no URL is given', () => {
    const config = loadConfig({ dir: emptyDir, env: {} });
    expect(chooseStore(config.store)).toEqual({ kind: 'sqlite', path: 'data/briefbot.db' });
  });

  it('chooses PostgreSQL from DATABASE_URL', () => {
    const config = loadConfig({ dir: emptyDir, env: { DATABASE_URL: 'postgres://bot:secret@db.internal:5432/briefbot' } });
    expect(chooseStore(config.store)).toEqual({ kind: 'postgres', url: 'postgres://bot:secret@db.internal:5432/briefbot' });
  });

  it('chooses PostgreSQL from store.url in config', () => {
    const config = loadConfig({ dir: emptyDir, env: {}, overrides: { store: { url: 'postgresql://db/briefbot?sslmode=require' } } });
    expect(chooseStore(config.store)).toEqual({ kind: 'postgres', url: 'postgresql://db/briefbot?sslmode=require' });
  });

  it('reports a bad URL as store.url, without repeating its password', () => {
    expect(() => loadConfig({ dir: emptyDir, env: { DATABASE_URL: 'mysql://bot:hunter2@db/briefbot' } })).toThrow(
      /store\.url: expected a postgres:\/\/ or postgresql:\/\/ URL, got a mysql:\/\/ one/,
    );
    try {
      loadConfig({ dir: emptyDir, env: { DATABASE_URL: 'mysql://bot:hunter2@db/briefbot' } });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it.each([
    ['not a url', /expected a PostgreSQL connection URL/],
    ['postgres://bot:pw@db.internal:5432/', /names no database/],
    ['postgres://bot:pw@db.internal', /names no database/],
    ['postgres:///briefbot', /names no host/],
    ['https://db.internal/briefbot', /got a https:\/\/ one/],
  ])('finds the problem with %s', (text, problem) => {
    expect(postgresUrlProblem(text)).toMatch(problem);
  });

  it('accepts a socket directory given as the host parameter', () => {
    expect(postgresUrlProblem('postgres:///briefbot?host=/var/run/postgresql')).toBeUndefined();
    expect(postgresUrlProblem('postgres://bot:p%40ss@10.0.0.5:6432/briefbot')).toBeUndefined();
  });
});
