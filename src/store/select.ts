import type { Config } from '../config/config.js';

/**
 * Which store the configuration asks for: PostgreSQL when a URL is given (`DATABASE_URL` or
 * `store.url`), else the SQLite file. One place decides, so no caller compares strings itself.
 */
export type StoreChoice = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export function chooseStore(store: Config['store']): StoreChoice {
  return store.url !== undefined ? { kind: 'postgres', url: store.url } : { kind: 'sqlite', path: store.path };
}
