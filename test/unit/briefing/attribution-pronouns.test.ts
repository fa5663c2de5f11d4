import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../../src/articles/index.js';
import { createBriefing } from '../../../src/briefing/index.js';

/**
 * Who a pronoun in an attribution stands for, on short articles written for these tests. News
 * paragraphs keep one topic: "he" or "she" continues the person the paragraphs before were about
 * (the one who spoke, or the subject), never a name that only came up as an object.
 */

const speakerOf = (text: string, quoteStart: string) =>
  createBriefing(readPlainText(text)).quotes.find((q) => q.text.startsWith(quoteStart))?.speaker;

describe('a pronoun continues the topic of the paragraphs before it', () => {
  it('is the person just quoted, even when another was the subject further back', () => {
    const text = `Anchor clashes with candidate

Mayor Tom Briggs threw the reporter Luis Ortega out of a news conference last year.

"Go back to your desk," Briggs said as a guard led Ortega out.

The clash came two months after the mayor entered the race with harsh words about the press.

"We were tremendously wrong not to have confronted him from the very beginning of it all," Ortega, 58, told a radio station on Monday.

"Too many people simply did not react to the danger," he said.`;
    expect(speakerOf(text, 'Too many people')).toBe('Luis Ortega');
  });

  it('is the subject of the sentence before, not a person named as its object', () => {
    const text = `Former leader weighs in

Former president Felipe Marquez spoke on Sunday about Paul Keller.

Keller also said at the time that the country had become "a dumping ground for everybody else's problems."

In his assessment of the race, Marquez voiced disappointment that voters have given Keller a real shot at the office.

"It is incredible that such a candidate got this far," he said.`;
    expect(speakerOf(text, 'It is incredible')).toBe('Felipe Marquez');
  });

  it('is the source of a trailing attribution, not the subject of the reported words', () => {
    const text = `The early years

Ann Keller joined Mark Dorsey at small gatherings in bars around the city.

Keller electrified the small crowds with fiery speeches, Dorsey said.

"She was sharp, smart and well spoken," he said.`;
    expect(speakerOf(text, 'She was sharp')).toBe('Mark Dorsey');
  });

  it('finds the person before an appositive that holds commas of its own', () => {
    const text = `Donors look elsewhere

Rachel Stern, a doctor from Monsey, New York, said the speeches had led her to look at other candidates. Along with her husband, Milton Stern, a banker, she has given to many campaigns.

"I feel bad to say it," she said.`;
    expect(speakerOf(text, 'I feel bad')).toBe('Rachel Stern');
  });

  it('does not take a people\'s word after a title for a person ("a former Spanish teacher")', () => {
    const text = `An old friend

Betsy Moran met the candidate in sixth grade. She is a grandmother and a former Spanish teacher.

"It has been part of the fabric of my life," she said.`;
    expect(speakerOf(text, 'It has been part')).toBe('Betsy Moran');
  });

  it('never names a speaker "When" or "If" from a sentence that opens "When asked"', () => {
    const text = `Candidate on the record

Carla Fine spoke to reporters after the vote.

When asked about the plan, she said: "We are going to fight this to the end of the session."`;
    expect(speakerOf(text, 'We are going to fight')).toBe('Carla Fine');
  });
});

describe('the clause after a quote', () => {
  it('reads a participle after the quote as the main speaker\'s, not its object as the speaker', () => {
    const text = `Club closes

Jeremy Boreing said the members will still meet for drinks, but said, "It is time we change how we do it," promising Friends of Liberty will return to its roots.`;
    expect(speakerOf(text, 'It is time we change')).toBe('Jeremy Boreing');
  });

  it('reads a verb after a comma as inverted: "..., said Christine Moss"', () => {
    const text = `City on edge

Visitors pour in with a "candidate who is a lightning rod for protest" and residents get nervous, said Christine Moss, director of the civil liberties group.`;
    expect(speakerOf(text, 'candidate who is a lightning rod')).toBe('Christine Moss');
  });
});

describe('what the sentences before a pronoun offer as its topic', () => {
  it('takes a description of a person as a sentence\'s subject for whom it describes', () => {
    const text = `Tweets fly

Sen. Ruth Baxter answered Maria Lopez on Friday. Lopez had attacked her plan on Thursday. The senator's response came in her own series of tweets.

She tweeted: "When something gets under her thin skin, she lashes out and cannot let it go."`;
    expect(speakerOf(text, 'When something gets')).toBe('Ruth Baxter');
  });

  it('skips a speech verb inside a relative clause ("condemned what he called a breach")', () => {
    const text = `Missile test

Foreign minister Jean Aubert said the test could not be left without consequences.

Secretary General Ban Ki-moon condemned what he called a "brazen breach" of the resolutions.

"I count on the council to remain united and take appropriate action," he told reporters.`;
    expect(speakerOf(text, 'I count on the council')).toMatch(/^Ban Ki/);
  });

  it('takes the one person a sentence introduces with a role when it has no subject to follow', () => {
    const text = `Music and votes

Tom Drake campaigned in Miami on Monday.

The lack of famous musicians on her side is something that concerns Henry Crespo, president of the city's Democratic caucus.

"No one is writing songs for her this time," he said.`;
    expect(speakerOf(text, 'No one is writing songs')).toBe('Henry Crespo');
  });

  it('carries the topic through a sentence that opens with a pronoun', () => {
    const text = `Victory night

Tom Drake thanked his supporters in Manchester.

He nodded only obliquely to his second-place finish behind Ted Cruz, the senator from Texas.

"We learned a lot about ground games in one week, I have to tell you," he said.`;
    expect(speakerOf(text, 'We learned a lot')).toBe('Tom Drake');
  });

  it('takes a first name that is also a word as a name ("Bob met with Stevens")', () => {
    const text = `Base chief speaks

A rumpled figure with short gray whiskers, Bob said he arrived in the city in December. Bob met with Stevens on Sept. 10, when the agency briefed the ambassador.

"We did try to convey how serious the threat was," he said.`;
    expect(speakerOf(text, 'We did try')).toBe('Bob');
  });

  it('does not take a plural of people opening a sentence for a name ("Delegates questioned ...")', () => {
    const text = `Pledge broken

Senator Ted Cruz spoke to the delegation in the morning.

Delegates questioned how Cruz could turn back on a pledge he made.

"The day that was abrogated was the day this became personal," he said.`;
    expect(speakerOf(text, 'The day that was abrogated')).toBe('Ted Cruz');
  });
});
