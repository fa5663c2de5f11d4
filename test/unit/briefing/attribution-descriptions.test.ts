import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../../src/articles/index.js';
import { createBriefing } from '../../../src/briefing/index.js';
import { formatQuote } from '../../../src/commands/present.js';

/**
 * Descriptions as speakers, on short articles written for these tests. A definite description
 * ("the senator", "the New York businessman") refers back to a person the article names; an
 * indefinite one ("one senior Democrat", "a spokesman for ...") is someone unnamed, and the quote
 * stays unattributed rather than going to a name inside the description.
 */

const speakerOf = (text: string, quoteStart: string) =>
  createBriefing(readPlainText(text)).quotes.find((q) => q.text.startsWith(quoteStart))?.speaker;

describe('a definite description refers back to the person the article names', () => {
  it('is the person the article titles with its head ("Sen." for "the senator")', () => {
    const text = `Wage fight

Sen. Ruth Baxter defended her call to raise the minimum wage on Saturday.

"I apologize to nobody for that, and I never will," the senator said during the debate.`;
    expect(speakerOf(text, 'I apologize to nobody')).toBe('Ruth Baxter');
  });

  it('is the topic when its head names a principal of the story ("the New York businessman")', () => {
    const text = `Debate night

Peter Gould mocked his rival's temperament on Monday.

"We cannot have a guy who every other senator thinks is a whack job," said the New York businessman, who campaigned in New Hampshire.`;
    expect(speakerOf(text, 'We cannot have a guy')).toBe('Peter Gould');
  });

  it('is not a person titled with the head but described otherwise ("the former Mexican president" is not "President Obama")', () => {
    const text = `Wall dispute

President Barack Obama spoke about trade on Friday. Felipe Marquez criticized the plan on Saturday.

"The first loser of such a policy would be the United States," the former Mexican president said.`;
    expect(speakerOf(text, 'The first loser')).toBe('Felipe Marquez');
  });

  it('reads a party word with "the" as a description of the topic ("the Republican said")', () => {
    const text = `Poverty plan

Ben Corson suggested cutting regulations to reduce poverty.

"One of the things would be to get rid of the excessive regulation in our country," the Republican said this week.`;
    expect(speakerOf(text, 'One of the things')).toBe('Ben Corson');
  });

  it('reads a first name that is also a word as the start of a full name ("Bill Clinton got in")', () => {
    const text = `Rally

Hillary Clinton spoke in Queens. Bill Clinton got in on the game, bashing his wife's rival in Brooklyn.

"Sometimes I get the feeling that the gentleman is running harder against me than against the other party," the former president said.`;
    expect(speakerOf(text, 'Sometimes I get')).toBe('Bill Clinton');
  });
});

describe('an indefinite description names no one', () => {
  it('leaves "one senior Democrat" unattributed', () => {
    const text = `Foundation questions

Hillary Vance spoke to donors on Monday.

"The campaign has been really reluctant to jump in on the foundation," said one senior Democrat.`;
    expect(speakerOf(text, 'The campaign has been')).toBeUndefined();
  });

  it('does not give the quote to a name inside the description ("a spokesman for Ada Reyes")', () => {
    const text = `Scheduling

The debate was held the Saturday before the holiday. A spokesman for Ada Reyes could only quip: "I guess the night before was booked."`;
    expect(speakerOf(text, 'I guess the night')).toBeUndefined();
  });

  it('does not turn "a White House official" into the White House', () => {
    const text = `Transition

A White House official who spoke anonymously said on Wednesday, "Certainly there are discussions going on about the next steps."`;
    expect(speakerOf(text, 'Certainly there are')).toBeUndefined();
  });
});

describe('an unnamed speaker is shown as the article describes them', () => {
  const text = `Foundation questions

Hillary Vance spoke to donors on Monday.

"The campaign has been really reluctant to jump in on the foundation," said one senior Democrat.

"We will not comment on the audit until it is published," the statement said.`;
  const quotes = createBriefing(readPlainText(text)).quotes;
  const quote = (start: string) => quotes.find((q) => q.text.startsWith(start))!;

  it('keeps the description as the source, never as a name', () => {
    expect(quote('The campaign has been')).toMatchObject({ source: 'one senior Democrat' });
    expect(quote('The campaign has been').speaker).toBeUndefined();
    expect(formatQuote(quote('The campaign has been'))).toBe('“The campaign has been really reluctant to jump in on the foundation” — as described: one senior Democrat');
    expect(quote('We will not comment')).toMatchObject({ source: 'the statement' });
  });

  it('shows no stretch of the sentence, or a possessive cut from its noun, as a source', () => {
    const quotes = createBriefing(
      readPlainText(`Harbour clip

"We will win this district and the next one," a reporter can be heard saying in the clip.

"We have had enough of the delays on the quay," the campaign’s said.`),
    ).quotes;
    expect(quotes.length).toBe(2);
    for (const q of quotes) expect(q.source).toBeUndefined();
  });
});
