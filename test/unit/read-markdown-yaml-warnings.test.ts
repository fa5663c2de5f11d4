/**
 * Front matter with a YAML tag the parser does not know (`!custom`) is read without a word on
 * stderr: the yaml library would otherwise emit a multi-line YAMLWarning through
 * process.emitWarning (console.warn where that is missing) for each such file, during the
 * folder ingest and the test run alike. Invalid YAML is still refused.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readMarkdown } from '../../src/articles/read-markdown.js';
import { BriefbotError } from '../../src/errors.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readMarkdown front matter and YAML warnings', () => {
  it('an unknown tag is read as its plain value and prints no warning', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const article = readMarkdown('---\ntitle: !custom Ferry timetable changes\ntags: !labels [transport]\n---\n\nThe ferry leaves at nine from Monday, the operator said.\n');
    expect(article.title).toBe('Ferry timetable changes');
    expect(article.tags).toEqual(['transport']);
    expect(emitWarning).not.toHaveBeenCalled();
    expect(consoleWarn).not.toHaveBeenCalled();
  });

  it('invalid YAML is still refused as bad front matter', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    let caught: unknown;
    try {
      readMarkdown('---\ntitle: [unclosed\n---\n\nBody text here.\n');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BriefbotError);
    expect((caught as BriefbotError).message).toMatch(/^front matter is not valid YAML: /);
    expect(emitWarning).not.toHaveBeenCalled();
  });
});
