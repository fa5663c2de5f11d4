import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../../src/articles/index.js';
import { createBriefing } from '../../../src/briefing/index.js';

/**
 * Quotation marks that hold no one's words: titles of works, names of programs, slogans on show,
 * scare quotes, and single marks inside a quote, on short articles written for these tests.
 */

const quoteTexts = (text: string) => createBriefing(readPlainText(text)).quotes.map((q) => q.text);

describe('quotation marks that are not quotes', () => {
  it('sets aside a title in title case whose comma or full stop US style sets inside the marks', () => {
    const texts = quoteTexts(`Screen and page

The actor, a star of "Orange is the New Black," said on Monday that she was tired. Her co-star wrote the book "Crippled Nation: How to Make Our Country Great Again."`);
    expect(texts).toEqual([]);
  });

  it('sets aside the name of a program after the noun that introduces it', () => {
    const texts = quoteTexts(`On the radio

Stone spoke in an interview on the talk radio program "inside the beltway with friends" on Sunday.`);
    expect(texts).toEqual([]);
  });

  it('sets aside a slogan on a sign, a banner or a shirt', () => {
    const texts = quoteTexts(`Rally scenes

Protesters carried signs reading "Lose safety? Lose work? No to the new border rules" outside the hall. Two men wore shirts that said "settle for the senator, it is the only way forward."`);
    expect(texts).toEqual([]);
  });

  it('sets aside a scare quote in the writer\'s sentence when no one named said it', () => {
    const texts = quoteTexts(`Media wars

The website said the story was "fake news" and mocked the "fact-checking" by other outlets.`);
    expect(texts).toEqual([]);
  });

  it('keeps a quote inside a quote where two apostrophes stand for double marks', () => {
    const texts = quoteTexts(`Old style

''Several of us were arguing that we had to wait,'' recalled Mr. Rhodes. ''He said, 'I just need to go to Israel because we cannot wait for the stars to align.' ''`);
    expect(texts.some((t) => t.startsWith('I just need to go'))).toBe(false);
  });

  it('keeps a word or two that someone is said to answer', () => {
    const quotes = createBriefing(
      readPlainText(`Super Bowl picks

Governor Chris Dale gave a one-word answer on the question. "Denver," he answered. Asked whether he would fire the writer, Ron Peebles said, "Probably."`),
    ).quotes;
    expect(quotes.find((q) => q.text === 'Denver')).toMatchObject({ speaker: 'Chris Dale', kind: 'direct' });
  });
});
