/**
 * Issue 11, point 5: bad `feeds:` entries were reported one per run as `briefbot: a feed address
 * must …`, thrown from the source registry at start-up. They are now schema problems: every one
 * at once, each with its path, next to the other configuration problems.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFeedUrl } from '../../src/config/feed-url.js';
import { loadConfig } from '../../src/config/config.js';
import { BriefbotError } from '../../src/errors.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefbot-config-feeds-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function problems(yaml: string, env: Record<string, string> = {}): Promise<string[]> {
  return writeFile(join(dir, 'feeds.yaml'), yaml).then(() => {
    try {
      loadConfig({ dir, env });
    } catch (error) {
      expect(error).toBeInstanceOf(BriefbotError);
      return (error as Error).message.split('\n').slice(1).map((l) => l.trim());
    }
    throw new Error('expected the configuration to be refused');
  });
}

describe('feeds in the configuration', () => {
  it('reports credentials, file:// and gopher:// entries all at once, each with its path', async () => {
    const found = await problems(
      [
        'feeds:',
        '  - url: https://user:hunter2@news.example/feed.xml',
        '  - url: file:///etc/passwd',
        '  - url: https://ok.example/rss',
        '  - url: gopher://old.example/1/news',
      ].join('\n'),
    );
    expect(found).toEqual([
      'feeds.0.url: a feed address must not contain a user name or password',
      'feeds.1.url: a feed address must start with https:// or http:// (not file://)',
      'feeds.3.url: a feed address must start with https:// or http:// (not gopher://)',
    ]);
    // The password never appears in the message.
    expect(found.join('\n')).not.toContain('hunter2');
  });

  it('reports feed problems together with the rest of the configuration problems', async () => {
    const found = await problems('feeds:\n  - url: ftp://files.example/feed\n    intervalMinutes: 0\n', { PORT: 'eighty' });
    expect(found).toEqual(
      expect.arrayContaining([
        'PORT: expected a number, got "eighty"',
        'feeds.0.url: a feed address must start with https:// or http:// (not ftp://)',
        expect.stringMatching(/^feeds\.0\.intervalMinutes: /),
      ]),
    );
    expect(found).toHaveLength(3);
  });

  it('accepts http and https feeds as written', async () => {
    await writeFile(join(dir, 'feeds.yaml'), 'feeds:\n  - url: https://news.example/feed.xml#top\n  - url: http://intranet.example/rss\n');
    expect(loadConfig({ dir, env: {} }).feeds.map((f) => f.url)).toEqual(['https://news.example/feed.xml#top', 'http://intranet.example/rss']);
  });
});

describe('checkFeedUrl (the rule shared with /sources add)', () => {
  it.each([
    ['not a link', /is not a link/],
    ['javascript:alert(1)', /must start with https:\/\/ or http:\/\/ \(not javascript:\/\/\)/],
    ['https://:secret@news.example/', /must not contain a user name or password/],
    ['https://someone@news.example/', /must not contain a user name or password/],
  ])('refuses %s', (text, message) => {
    const check = checkFeedUrl(text);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.problem).toMatch(message);
  });

  it('gives back the address without its fragment, from Slack\'s <…> form too', () => {
    expect(checkFeedUrl('<https://news.example/feed.xml#top>')).toEqual({ ok: true, url: 'https://news.example/feed.xml' });
  });
});
