/**
 * Issue 11, point 11: JSON Lines records accepted `url: "javascript:alert(1)"` and
 * `published: "not a date"` into the briefing. Each is now a per-line error naming the line and
 * the field, and the other lines of a batch are unaffected.
 */
import { describe, expect, it } from 'vitest';
import { isRecordDate, isWebAddress, parseJsonlLine } from '../../src/articles/read-jsonl.js';
import { BriefbotError } from '../../src/errors.js';

const TEXT = 'The council met on Monday. It approved the budget.';
const line = (fields: Record<string, unknown>): string => JSON.stringify({ text: TEXT, ...fields });

function refusal(text: string, lineNumber: number): BriefbotError {
  try {
    parseJsonlLine(text, lineNumber);
  } catch (error) {
    expect(error).toBeInstanceOf(BriefbotError);
    return error as BriefbotError;
  }
  throw new Error('expected the line to be refused');
}

describe('JSON Lines url and published', () => {
  it.each([
    ['javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['file:///etc/passwd'],
    ['//example.org/no-scheme'],
    ['example.org/news'],
  ])('refuses url %j with a per-line error', (url) => {
    const error = refusal(line({ url }), 7);
    expect(error.code).toBe('bad-record');
    expect(error.message).toBe('line 7: "url" must be an http:// or https:// address');
  });

  it.each([['not a date'], ['1'], ['May 5'], ['2025-13-40'], ['yesterday 2025'], [20250611]])('refuses published %j with a per-line error', (published) => {
    const error = refusal(line({ published }), 3);
    expect(error.code).toBe('bad-record');
    expect(error.message).toBe('line 3: "published" must be a date, such as 2025-06-11 or 2025-06-11T09:00:00Z');
  });

  it('accepts http(s) addresses and the date forms records use, and leaves blank ones out', () => {
    const article = parseJsonlLine(line({ url: 'https://example.org/a?b=1', published: '2025-06-11T09:00:00+02:00' }), 1);
    expect(article).toMatchObject({ url: 'https://example.org/a?b=1', published: '2025-06-11T09:00:00+02:00' });
    expect(parseJsonlLine(line({ url: 'http://intranet.example/x', published: 'Tue, 10 Jun 2025 09:00:00 GMT' }), 1).url).toBe('http://intranet.example/x');
    const blank = parseJsonlLine(line({ url: '', published: '  ', author: null }), 1);
    expect(blank.url).toBeUndefined();
    expect(blank.published).toBeUndefined();
  });

  it('checks the rules on their own', () => {
    expect(['2025-06-11', '2025-06-11 09:00', '2025-06-11T09:00:00.123Z', 'June 11, 2025', '11 Jun 2025 09:00 +0000'].filter((d) => !isRecordDate(d))).toEqual([]);
    expect(['HTTPS://EXAMPLE.ORG/', ' https://example.org/x '].every(isWebAddress)).toBe(true);
    expect(['mailto:a@example.org', 'ftp://example.org/x', ''].some(isWebAddress)).toBe(false);
  });
});
