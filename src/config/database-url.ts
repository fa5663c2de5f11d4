/**
 * What a PostgreSQL connection URL must look like before briefbot tries it: a mistyped one is
 * reported at start-up with the config's other problems, not as a connection error minutes later.
 * The messages never repeat the URL itself, which usually holds a password.
 */

const SCHEMES = new Set(['postgres:', 'postgresql:']);

/** The problem with `text` as a PostgreSQL connection URL, or undefined when it will do. */
export function postgresUrlProblem(text: string): string | undefined {
  const example = 'postgres://user:password@host:5432/database';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `expected a PostgreSQL connection URL such as ${example}`;
  }
  if (!SCHEMES.has(url.protocol)) {
    return `expected a postgres:// or postgresql:// URL, got a ${url.protocol.replace(/:$/, '')}:// one (such as ${example})`;
  }
  if (url.hostname === '' && !url.searchParams.has('host')) return `names no host: expected ${example}`;
  if (url.port !== '' && !(Number(url.port) >= 1 && Number(url.port) <= 65535)) return `has port ${url.port}, not 1-65535`;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '') return `names no database: expected ${example}`;
  if (database.includes('/')) return `has a database name with a "/" in it`;
  return undefined;
}
