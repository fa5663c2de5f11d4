import { VERSION } from '../version.js';

/**
 * The User-Agent briefbot fetches with: its name and version, and where a site owner can find
 * out what it is (`briefbot/0.1.0 (+https://...)`), so a publisher can recognise it and block or
 * contact it. Never a browser's string.
 */
export function briefbotUserAgent(contactUrl?: string, version: string = VERSION): string {
  return contactUrl ? `briefbot/${version} (+${contactUrl})` : `briefbot/${version}`;
}
