import { readFileSync } from 'node:fs';
import { VERSION } from '../version.js';

/**
 * The User-Agent briefbot fetches with: its name and version, and where a site owner can find
 * out what it is (`briefbot/0.1.0 (+https://...)`), so a publisher can recognise it and block or
 * contact it. Never a browser's string. The address is config's `fetch.contactUrl`, else the
 * package's `homepage` or `repository`.
 */
export function briefbotUserAgent(contactUrl: string | undefined = packageHomepage(), version: string = VERSION): string {
  return contactUrl ? `briefbot/${version} (+${contactUrl})` : `briefbot/${version}`;
}

/** package.json's homepage, or its repository as a browsable https URL. */
export function packageHomepage(): string | undefined {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { homepage?: string; repository?: string | { url?: string } };
  const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const url = pkg.homepage ?? repository?.replace(/^git\+/, '').replace(/\.git$/, '');
  return url && /^https?:\/\//.test(url) ? url : undefined;
}
