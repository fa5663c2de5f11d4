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
