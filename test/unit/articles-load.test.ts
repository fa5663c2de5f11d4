import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticleSchema, MAX_ARTICLE_BYTES, decodeArticleBytes, formatBytes, loadArticleFile, readArticleText } from '../../src/articles/index.js';
import { BriefbotError, type ErrorCode } from '../../src/errors.js';
import { FIXTURES } from '../helpers/run-cli.js';

async function refusal(promise: Promise<unknown>): Promise<BriefbotError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BriefbotError);
    expect((error as Error).message).not.toContain('\n');
    return error as BriefbotError;
  }
  throw new Error('expected the article to be refused');
}

function decodeRefusal(bytes: Uint8Array, name = 'input.txt'): BriefbotError {
  try {
    decodeArticleBytes(bytes, name);
  } catch (error) {
    expect(error).toBeInstanceOf(BriefbotError);
    return error as BriefbotError;
  }
  throw new Error('expected the bytes to be refused');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefbot-articles-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadArticleFile', () => {
  it.each([
    ['plain-layout.txt', 'plain-text', 'Harbour authority approves 2.4 billion euro expansion of Port Vell'],
    ['front-matter.md', 'markdown', 'Wind farm off Galway cleared for construction'],
    ['no-metadata.txt', 'plain-text', 'The city council voted on Monday to extend the night bus network to three new districts.'],
  ])('reads %s as %s', async (name, format, title) => {
    const article = await loadArticleFile(join(FIXTURES, name));
    expect(article.title).toBe(title);
    expect(article.source).toEqual({ format, path: join(FIXTURES, name) });
    expect(ArticleSchema.safeParse(article).success).toBe(true);
  });

  it.each<[string, ErrorCode, RegExp]>([
    ['empty.txt', 'empty', /^empty\.txt is empty$/],
    ['binary.dat', 'binary', /^binary\.dat looks like a binary file/],
    ['invalid-utf8.txt', 'invalid-utf8', /^invalid-utf8\.txt is not valid UTF-8/],
    ['no-sentences.txt', 'no-sentences', /no-sentences\.txt has no sentences/],
    ['bad-yaml.md', 'bad-front-matter', /^front matter is not valid YAML/],
  ])('refuses %s (%s) with one line naming the problem', async (name, code, message) => {
    const error = await refusal(loadArticleFile(join(FIXTURES, name)));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('refuses a 20 MB file by its size, naming the size and the limit', async () => {
    const path = join(dir, 'huge.txt');
    await writeFile(path, Buffer.alloc(20 * 1024 * 1024, 'All work and no play. '));
    const error = await refusal(loadArticleFile(path));
    expect(error.code).toBe('too-large');
    expect(error.message).toBe('huge.txt is 20.0 MB; articles are limited to 2.0 MB');
  });

  it('reads a file of exactly the limit, and refuses one byte more', async () => {
    const sentence = 'The council met again. ';
    const text = sentence.repeat(Math.ceil(MAX_ARTICLE_BYTES / sentence.length)).slice(0, MAX_ARTICLE_BYTES - 1) + '.';
    await writeFile(join(dir, 'limit.txt'), text);
    await writeFile(join(dir, 'over.txt'), text + ' ');
    await expect(loadArticleFile(join(dir, 'limit.txt'))).resolves.toMatchObject({ source: { format: 'plain-text' } });
    expect((await refusal(loadArticleFile(join(dir, 'over.txt')))).code).toBe('too-large');
  });

  it('names a missing file and a directory', async () => {
    const missing = await refusal(loadArticleFile(join(dir, 'nope.txt')));
    expect(missing.code).toBe('not-found');
    expect(missing.message).toBe(`no such file: ${join(dir, 'nope.txt')}`);
    expect((await refusal(loadArticleFile(dir))).message).toMatch(/is a directory, not an article file$/);
  });

  it('reads front matter in a .txt file as Markdown, and a .json file as one record', async () => {
    await writeFile(join(dir, 'front.txt'), '---\ntitle: Front matter in a text file\n---\nThe board met. It decided.\n');
    await writeFile(join(dir, 'record.json'), JSON.stringify({ id: 'one-record', text: 'The board met. It decided.' }, null, 2));
    expect(await loadArticleFile(join(dir, 'front.txt'))).toMatchObject({ title: 'Front matter in a text file', source: { format: 'markdown' } });
    expect(await loadArticleFile(join(dir, 'record.json'))).toMatchObject({ id: 'one-record', source: { format: 'jsonl' } });
  });
});

describe('decodeArticleBytes', () => {
  const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

  it('returns the text of valid UTF-8, accents and all', () => {
    expect(decodeArticleBytes(utf8('Café owners in Kraków protest. They march on Friday.'), 'a.txt')).toBe('Café owners in Kraków protest. They march on Friday.');
  });

  it.each<[string, Uint8Array, ErrorCode]>([
    ['no bytes', new Uint8Array(0), 'empty'],
    ['only white space', utf8(' \n\t\r\n  '), 'empty'],
    ['a NUL byte', utf8('The council met.\u0000 It voted.'), 'binary'],
    ['mostly control characters', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 65, 66, 67]), 'binary'],
    ['Latin-1 bytes', new Uint8Array([...utf8('Caf'), 0xe9, ...utf8(' au lait.')]), 'invalid-utf8'],
    ['a truncated UTF-8 sequence', new Uint8Array([...utf8('Krak'), 0xc3]), 'invalid-utf8'],
    ['one byte over 2 MB', new Uint8Array(MAX_ARTICLE_BYTES + 1).fill(97), 'too-large'],
  ])('refuses %s', (_what, bytes, code) => {
    const error = decodeRefusal(bytes);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^input\.txt /);
    expect(error.message).not.toContain('\n');
  });

  it('formats sizes for messages', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20.0 MB');
  });
});

describe('readArticleText', () => {
  it('refuses text with no sentences in it, naming the source', () => {
    expect(() => readArticleText('---\n12345\n\n* * *\n', 'stdin')).toThrowError(new BriefbotError('no-sentences', 'stdin has no sentences to brief'));
  });

  it('reads standard input in the format its content shows', () => {
    expect(readArticleText('---\ntitle: From stdin\n---\nThe board met. It decided.\n', 'stdin').source).toEqual({ format: 'markdown', path: 'stdin' });
    expect(readArticleText('The board met. It decided.\n', 'stdin').source).toEqual({ format: 'plain-text', path: 'stdin' });
  });
});
