import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../../src/articles/index.js';
import { buildDocument } from '../../../src/briefing/document.js';
import { classifyAll } from '../../../src/briefing/stance.js';

/**
 * What a web page says about itself (notices, promos, bylines, photo descriptions) is set apart
 * from what the article reports. Each sentence here is written for the test.
 */

function roles(paragraphs: string[]) {
  const doc = buildDocument(readPlainText(['A headline for the test', ...paragraphs].join('\n\n')));
  const stances = classifyAll(doc);
  return doc.sentences.filter((s) => !s.heading).map((s) => ({ text: s.text, ...stances[s.index]! }));
}

const roleOf = (sentence: string) => roles([sentence])[0]!;

describe('page notices and promos', () => {
  it.each([
    ['This post may contain affiliate and/or referral links.', 'disclosure'],
    ['We may earn a commission when you buy through links on our site.', 'disclosure'],
    ["Welcome to the Garden Club's weekly deals, your source for the best prices on tools.", 'promo'],
    ['The news and stories that matter, delivered weekday mornings.', 'promo'],
    ['Get the top headlines delivered to your inbox every morning.', 'promo'],
    ['© Ana Ruiz A nurse gives a flu shot at a clinic in the capital.', 'copyright'],
  ])('%s -> %s', (sentence, reason) => {
    expect(roleOf(sentence)).toMatchObject({ role: 'boilerplate', reason });
  });

  it('an invitation addressed to the reader is not reported news', () => {
    expect(roleOf('Start your day with the Morning Note, our guide to the markets.').role).not.toBe('report');
  });
});

describe('bylines and photo descriptions standing as sentences', () => {
  it.each([
    ['By Jo Reyes and Sam Lee on Monday, November 18th, 2019 at 11:08 a.m.', 'byline'],
    ['By Maria Ortiz | Staff Writer | March 3, 2024.', 'byline'],
    ["An artist's illustration of a comet passing close to the sun.", 'caption'],
    ['The probe took this image of the moon rising above the clouds in 2007.', 'caption'],
    ['Two band members pose for a photo at a studio in Nashville on June 28, 2019.', 'caption'],
  ])('%s -> %s', (sentence, reason) => {
    expect(roleOf(sentence)).toMatchObject({ role: 'boilerplate', reason });
  });

  it('leaves sentences that open with "By" and a time, or mention photos in passing, as reports', () => {
    expect(roleOf('By Tuesday, the fire had spread to three more villages in the valley.').role).toBe('report');
    expect(roleOf('By March the council had spent most of its budget on repairs.').role).toBe('report');
    expect(roleOf('Police released a photo of the suspect on Monday and asked for help.').role).toBe('report');
    expect(roleOf('Welcome packs were handed to 300 refugees who arrived on Sunday.').role).toBe('report');
  });
});

describe('the outlet asking for something in its own voice', () => {
  it('is opinion, and reported demands stay reports', () => {
    expect(roleOf('We need a fair plan for the harbour, and we need it now.').role).toBe('opinion');
    expect(roleOf('The union said workers deserve a fair plan and want talks to resume this week.').role).toBe('report');
    expect(roleOf('"We need a fair plan," the union leader told reporters on Monday.').role).toBe('report');
  });
});

describe("the outlet's notes about its own article", () => {
  it.each([
    ['Editor’s note: This report was first published in the spring edition of the magazine.'],
    ["Editor's Note: The following is an excerpt from a new book about river towns."],
    ['CORRECTION: An earlier draft of this page gave the wrong date for the vote.'],
    ['Correction appended.'],
    ['Clarification: The second paragraph now says the school board, not the council, voted.'],
    ['UPDATE: 3/14 — The council has postponed the vote to next week.'],
    ['Updated 4:10 p.m. ET: Adds comment from the mayor.'],
    ['Update (6 p.m.): The road has reopened in both directions.'],
    ['PREVIOUSLY:'],
    ['This story has been updated to include a statement from the hospital.'],
    ['This post was updated with figures from the county clerk.'],
    ['Correction: An earlier version of this article misspelled the name of the bakery.'],
    ['As published in the Weekend Herald.'],
  ])('%s is a note, set apart', (sentence) => {
    expect(roleOf(sentence)).toMatchObject({ role: 'boilerplate', reason: expect.stringMatching(/editor's note|correction/) });
  });

  it('a paragraph that opens with a note label is the note throughout, and the next paragraph is the article again', () => {
    const found = roles([
      'UPDATE: 3/14 — The council has postponed the vote to next week. It will now be held on Thursday.',
      'The town council will vote on the new harbour plan, which would add 40 moorings.',
    ]);
    expect(found.map((s) => s.role)).toEqual(['boilerplate', 'boilerplate', 'report']);
  });

  it('leaves reports that only begin like a note', () => {
    expect(roleOf('Earlier, the senator said the bill would pass before the recess.').role).toBe('report');
    expect(roleOf('Updated figures released on Monday show 1,200 new cases in the region.').role).toBe('report');
    expect(roleOf('The agency said its report was updated in March to include 40 more wells.').role).toBe('report');
    expect(roleOf('Previously, the plant employed 300 people on two shifts.').role).toBe('report');
    expect(roleOf('Corrections officers at the county jail voted to strike on Friday.').role).toBe('report');
    expect(roleOf('Updated census data released Thursday — the first since 2020 — showed the town grew 4%.').role).toBe('report');
    expect(roleOf('Updated figures from the ministry: 4,000 people were displaced.').role).toBe('report');
    expect(roleOf('Updates to the tax code take effect in January - officials said.').role).toBe('report');
    expect(roleOf('Earlier — before the vote — the senator told reporters the bill would pass.').role).toBe('report');
    expect(roleOf('The transcript of the call was edited, the whistleblower alleged.').role).toBe('report');
    expect(roleOf("The mayor's remarks were edited out of the broadcast, the station confirmed.").role).toBe('report');
  });

  it('a newsletter selling itself is a promo', () => {
    expect(roleOf('You can receive this weekly roundup every Friday morning via email!')).toMatchObject({ role: 'boilerplate', reason: 'promo' });
    expect(roleOf('Officials said they would get the update to residents by email on Tuesday.').role).toBe('report');
  });
});

describe('a briefing does not lead with a note', () => {
  it('takes its TL;DR and key points from the article under an update stamp', async () => {
    const { createBriefing } = await import('../../../src/briefing/index.js');
    const article = readPlainText(
      [
        'Harbour vote delayed',
        'UPDATE: 3/14 — The council has postponed the vote to next week. It will now be held on Thursday.',
        'The town council will vote on the new harbour plan, which would add 40 moorings to the east quay.',
        'The plan has been debated for two years, and fishing crews have asked for more room at the quay.',
        'Council leader Ana Reyes said the moorings would be paid for by a state grant of $2 million.',
      ].join('\n\n'),
    );
    const briefing = createBriefing(article);
    expect(briefing.tldr).not.toMatch(/UPDATE|It will now/);
    expect(briefing.keyPoints.map((k) => k.text).join(' ')).not.toMatch(/UPDATE|It will now/);
    expect(briefing.boilerplate.map((b) => b.text)).toContain('It will now be held on Thursday.');
  });
});

describe('what an embedded player or a house promo says', () => {
  it.each([
    ['We Are Sorry,This video is restricted from playing in your location.', 'player message'],
    ['Your browser does not support the video tag.', 'player message'],
    ['Please enable JavaScript to view the comments.', 'player message'],
    ['For more video news from the Valley Post, check out our evening newsbrief.', 'navigation'],
    ['For more coverage of the harbour vote, visit our live page.', 'navigation'],
  ])('%s -> %s', (sentence, reason) => {
    expect(roleOf(sentence)).toMatchObject({ role: 'boilerplate', reason });
  });

  it('leaves reports about videos and about what people can find out', () => {
    expect(roleOf('The video was restricted by the platform after 2 million views, the company said.').role).toBe('report');
    expect(roleOf('This video has been blocked in three countries, the company said.').role).toBe('report');
    expect(roleOf('For more than 40 years, the plant has been the town’s largest employer.').role).toBe('report');
    expect(roleOf('For more news on the strike, union members were told to watch the noticeboard, a spokesman said.').role).toBe('report');
  });
});

describe('a call to action behind a label', () => {
  it('is still a call to action', () => {
    expect(roleOf('Pro tip: Get more meal ideas from our recipe page!')).toMatchObject({ role: 'opinion', reason: 'call to action' });
    expect(roleOf('Note: Remember to bring your own cup to the fair.')).toMatchObject({ role: 'opinion', reason: 'call to action' });
  });

  it('a speaker label in a transcript is not such a label', () => {
    expect(roleOf('TAPPER: Watch the vote count in Ohio tonight, the senator told viewers.').role).toBe('report');
  });
});

describe('obligation reported, not urged', () => {
  it('is a report when someone else says it, or when it foretells a condition', () => {
    expect(roleOf('The senator issued a statement saying that the committee should not approve the budget.').role).toBe('report');
    expect(roleOf('The mayor is campaigning hard in the must-win district of Eastport.').role).toBe('report');
    expect(roleOf('To catch up, the challenger would have to win every remaining district.').role).toBe('report');
    expect(roleOf('Residents asked whether the council should pay for the repairs.').role).toBe('report');
    expect(roleOf('The union reiterated that the port must stay open at night.').role).toBe('report');
  });

  it('is still opinion in the outlet’s own voice', () => {
    expect(roleOf('The council must stop wasting money on studies and fix the harbour wall.').role).toBe('opinion');
    expect(roleOf('We must decide whether to act.').role).toBe('opinion');
    expect(roleOf('I say we must act now before it is too late.').role).toBe('opinion');
    expect(roleOf('We need to act before the next storm season.').role).toBe('opinion');
  });
});

describe('a sentence that opens with a word that is both a command and a thing', () => {
  it('is a report when the word is the subject', () => {
    expect(roleOf('Order soon returned to the hall, and the vote went ahead.').role).toBe('report');
    expect(roleOf('Support for the harbour plan has grown since the storm.').role).toBe('report');
    expect(roleOf('Discover makes its card available to anyone who signs up.').role).toBe('report');
    expect(roleOf('Never before has the ferry carried so many passengers.').role).toBe('report');
  });

  it('is still a call to action when it gives an order', () => {
    for (const order of ['Stay tuned for more updates.', 'Share this story with your friends.', 'Visit us at our website for more.', 'See photos from the parade.', 'Shop deals on laptops now.', 'Order yours today at the link below.'])
      expect(roleOf(order), order).toMatchObject({ role: 'opinion', reason: 'call to action' });
    expect(roleOf('Watch the full interview below.')).toMatchObject({ role: 'opinion', reason: 'call to action' });
    expect(roleOf('Support our newsroom with a monthly gift.')).toMatchObject({ role: 'opinion', reason: 'call to action' });
    expect(roleOf('Sign up for the morning briefing.').role).not.toBe('report');
  });
});
