import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../../src/articles/index.js';
import { createBriefing } from '../../../src/briefing/index.js';

/**
 * What a speaker's name may be, on short articles written for these tests: the person the article
 * names in full, whichever part of the name the attribution uses; never a bare title, a pronoun,
 * an outlet or a place. A quote whose speaker cannot be named is left unattributed.
 */

const quotesOf = (text: string) => createBriefing(readPlainText(text)).quotes;
const speakerOf = (text: string, quoteStart: string) => quotesOf(text).find((q) => q.text.startsWith(quoteStart))?.speaker;

describe('a part of a name stands for the whole name', () => {
  it('reads an honorific and a surname that is also a month ("Ms. May")', () => {
    const text = `Talks stall

Prime Minister Theresa May met European leaders in Brussels on Thursday.

"We will not accept a bad deal for this country," Ms. May said after the meeting.`;
    expect(speakerOf(text, 'We will not accept')).toBe('Theresa May');
  });

  it('gives a surname the full name that comes later in the article', () => {
    const text = `Governor weighs in

"Nobody in this state wants another long fight," Kasich said on Friday.

Ohio Governor John Kasich spoke in Columbus after the vote.`;
    expect(speakerOf(text, 'Nobody in this state')).toBe('John Kasich');
  });

  it('gives a first name alone the full name the article uses', () => {
    const text = `Voters at the polls

Sandra Paradis has voted in every election since 1960.

"We have to keep going, whatever happens tonight," Sandra said.`;
    expect(speakerOf(text, 'We have to keep going')).toBe('Sandra Paradis');
  });

  it('keeps a first name alone when two people share it', () => {
    const text = `Two voters

Sandra Paradis and Sandra Lopez stood in line together on Tuesday.

"We have to keep going, whatever happens tonight," Sandra said.`;
    expect(speakerOf(text, 'We have to keep going')).toBe('Sandra');
  });

  it('reads a surname that is also a people\'s word or a company as the person ("Cuban", "Bloomberg")', () => {
    const text = `Business leaders on the race

Mark Cuban and Michael Bloomberg both spoke on Sunday.

"It is too early to tell who will win this thing," Cuban said.

"You cannot win an election unless you are the nominee of a party," Bloomberg said.`;
    expect(speakerOf(text, 'It is too early')).toBe('Mark Cuban');
    expect(speakerOf(text, 'You cannot win')).toBe('Michael Bloomberg');
  });

  it('reads a title and a first name as a person even when the surname names an outlet ("Mayor Don Guardian")', () => {
    const text = `City welcomes visitors

Atlantic City Mayor Don Guardian greeted the crowd on Monday.

"At this point, I do not think there is such a thing as bad publicity," Guardian said.`;
    expect(speakerOf(text, 'At this point')).toBe('Don Guardian');
  });
});

describe('what is never a speaker\'s name', () => {
  it('keeps a surname shaped like an adverb or a verb form when someone said it ("Connolly said", "Manning told")', () => {
    const text = `Harbour row

"We will not back down on this," Connolly said.

"It was a hard night for everyone," Manning told reporters on the quay.`;
    expect(speakerOf(text, 'We will not back down')).toBe('Connolly');
    expect(speakerOf(text, 'It was a hard night')).toBe('Manning');
  });

  it('leaves a verb form or an adverb that opens the sentence out ("Reprising", "Domestically")', () => {
    const text = `Harbour rally

The mayor spoke for an hour at the quay on Friday night.

Reprising one of her favourite lines, the mayor promised "a ferry for every island" and "fares that families can pay."

Domestically, the plan needs "at least two new boats by spring," according to the transport office.

It was a stark contrast to the council. Reprising one of her own lines, the former harbour master talked about the "boats we had under the old plan" and her promise "to do everything we possibly can."`;
    const speakers = quotesOf(text).map((q) => q.speaker);
    expect(quotesOf(text).map((q) => q.text)).toContain('to do everything we possibly can.');
    expect(speakers).not.toContain('Reprising');
    expect(speakers).not.toContain('Domestically');
  });

  it('leaves a quote an outlet published or reported unattributed', () => {
    const text = `Report on the race

"The campaign has been lining up sports stars to speak at the convention," The Daily Herald reported on Monday.

According to CNN, "officials now expect to finish their work in the next few weeks."

"This is the worst kind of fake news there is," the website said.`;
    const quotes = quotesOf(text);
    expect(quotes.find((q) => q.text.startsWith('The campaign has been'))?.speaker).toBeUndefined();
    expect(quotes.find((q) => q.text.startsWith('officials now expect'))?.speaker).toBeUndefined();
    expect(quotes.find((q) => q.text.startsWith('This is the worst'))?.speaker).toBeUndefined();
  });

  it('leaves a quote that "the Times" wrote unattributed', () => {
    const text = `An old profile

"Since then, his fortunes have changed, and he continues to pursue trophy projects," the Times wrote in 1997.`;
    expect(speakerOf(text, 'Since then')).toBeUndefined();
  });

  it('keeps a place after a title a place ("the former Florida governor" is not "Florida")', () => {
    const text = `Debate

Jeb Baxter called his rival unhinged on Tuesday.

"He would not be the commander in chief we need to keep our country safe," the former Florida governor said.`;
    expect(speakerOf(text, 'He would not be')).toBe('Jeb Baxter');
  });

  it('takes the name before a party and state, not the party and state ("Rep. Ann Gale (R-S.C.):")', () => {
    const text = `Hearing

The committee questioned the former secretary for hours.

Rep. Ann Gale (R-S.C.): "I have not heard anyone other than you ever cite that figure."`;
    expect(speakerOf(text, 'I have not heard')).toBe('Ann Gale');
  });

  it('never gives a heading in capitals as the name', () => {
    const text = `Poll roundup

RED STATES OUTNUMBER BLUE STATES FOR THE FIRST TIME: "Our analysis of party affiliation finds that twenty states lean one way."`;
    expect(speakerOf(text, 'Our analysis')).toBeUndefined();
  });

  it('never gives a bare title or honorific as the name', () => {
    const text = `Hearing ends

"We will appeal this ruling as soon as we can," said Former.

"The ruling speaks for itself and needs no comment from me," Ms. said.`;
    for (const q of quotesOf(text)) expect(['Former', 'Ms.', 'Ms']).not.toContain(q.speaker);
  });

  it('never gives a place as the name', () => {
    const text = `Delegates decide

Another delegate, Michael Brown of Washington, D.C., explained his late support on Tuesday.

"It is time to stand behind our candidate and end this," he declared.`;
    expect(speakerOf(text, 'It is time to stand')).toBe('Michael Brown');
  });

  it('leaves a quote from an unnamed description unattributed', () => {
    const text = `Campaign mood

"We are not worried about the polls at all this week," a campaign aide said.`;
    expect(speakerOf(text, 'We are not worried')).toBeUndefined();
  });
});
