import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../../src/articles/index.js';
import { BriefingSchema, createBriefing, listSentences, splitSentences } from '../../../src/briefing/index.js';

/**
 * The engine on articles written for these tests: each rule checked on its own, away from the seed
 * article, so a rule that only happens to work there is caught.
 */

const brief = (text: string) => createBriefing(readPlainText(text));

describe('sentences', () => {
  const texts = (p: string) => splitSentences(p).map((s) => s.text);

  it('keeps titles, initials, acronyms, decimals and web addresses inside sentences', () => {
    expect(texts('Dr. Jane Roe met Mr. J. R. Smith in the U.S. Capitol at 3.5 p.m. local time. Then she left.')).toEqual([
      'Dr. Jane Roe met Mr. J. R. Smith in the U.S. Capitol at 3.5 p.m. local time.',
      'Then she left.',
    ]);
    expect(texts('The report came from Example.com and BrightU.AI on Monday. It was new.')).toHaveLength(2);
  });

  it('ends a sentence after an acronym when a new one clearly starts', () => {
    expect(texts('Troops returned to the U.S. The move was expected.')).toEqual(['Troops returned to the U.S.', 'The move was expected.']);
  });

  it('keeps closing quotation marks with their sentence, and a quoted question with its attribution', () => {
    expect(texts('"We will win." She smiled.')).toEqual(['"We will win."', 'She smiled.']);
    expect(texts('"Does anybody know?" Graham asked. Nobody did.')).toEqual(['"Does anybody know?" Graham asked.', 'Nobody did.']);
  });
});

const council = `Council approves harbour expansion after long fight

The city council on Tuesday approved a 2.4 billion euro expansion of the harbour, ending a two-year dispute with residents.

Mayor Ana Lopez said the vote was "a turning point for the port." The plan adds 1,200 jobs, according to the council.

"We listened to every objection. We changed the plan three times," Lopez told reporters. "Now it is time to build."

Residents' groups said the council had ignored them. Maria Ortiz, a spokeswoman for the Harbour Residents Association, called the decision "a betrayal."

"They never answered our questions about the noise," she said.

Opponents estimate that as many as 3,000 households will be affected, while the council says about 800 will be.

Construction is set to begin in 2026.

Everyone who loves this city must stand up and oppose this project now.

Click here to subscribe to our newsletter.`;

describe('a whole briefing', () => {
  const b = brief(council);

  it('validates against the schema', () => {
    expect(() => BriefingSchema.parse(b)).not.toThrow();
  });

  it('gives a TL;DR and 3 to 5 key points, in article order, taken from the article', () => {
    expect(b.tldr.length).toBeLessThanOrEqual(280);
    expect(b.keyPoints.length).toBeGreaterThanOrEqual(3);
    const sentences = listSentences(readPlainText(council));
    for (const point of b.keyPoints) expect(sentences[point.sentence]).toContain(point.text.slice(-20));
    const order = b.keyPoints.map((k) => k.sentence);
    expect(order).toEqual([...order].sort((x, y) => x - y));
  });

  it('keeps exhortation and boilerplate out of the summary and sets them apart', () => {
    const summary = [b.tldr, ...b.keyPoints.map((k) => k.text)].join(' ');
    expect(summary).not.toContain('must stand up');
    expect(summary).not.toContain('subscribe');
    expect(b.opinion.map((o) => o.text)).toContain('Everyone who loves this city must stand up and oppose this project now.');
    expect(b.boilerplate.map((o) => o.text)).toContain('Click here to subscribe to our newsletter.');
  });

  it('never makes a key point of a sentence cut from the middle of a quote', () => {
    expect(b.keyPoints.map((k) => k.text)).not.toContain('We changed the plan three times," Lopez told reporters.');
    expect(b.keyPoints.some((k) => k.text.startsWith('We changed the plan'))).toBe(false);
  });

  it('attributes quotes to the named speaker, resolving a pronoun and a surname', () => {
    const lopez = b.quotes.filter((q) => q.speaker === 'Ana Lopez').map((q) => q.text);
    expect(lopez).toContain('We listened to every objection. We changed the plan three times … Now it is time to build.');
    expect(b.quotes.find((q) => q.text.startsWith('They never answered'))).toMatchObject({ speaker: 'Maria Ortiz', kind: 'direct' });
  });

  it('marks quoted words inside the writer\'s sentence as partial', () => {
    expect(b.quotes.find((q) => q.text === 'a betrayal.')).toMatchObject({ kind: 'partial', speaker: 'Maria Ortiz' });
    expect(b.quotes.find((q) => q.text === 'a turning point for the port.')).toMatchObject({ kind: 'partial', speaker: 'Ana Lopez' });
  });

  it('reads figures with what they count, who says so and their hedges, and leaves years alone', () => {
    expect(b.figures.find((f) => f.value === '1,200')).toMatchObject({ quantity: 1200, what: 'jobs', attributedTo: 'the council' });
    expect(b.figures.find((f) => f.value === '3,000')).toMatchObject({ what: 'households', hedge: expect.stringContaining('as many as') });
    expect(b.figures.find((f) => f.value === '800')).toMatchObject({ what: 'households', hedge: 'about', attributedTo: 'the council' });
    expect(b.figures.find((f) => f.value === '2.4 billion')).toMatchObject({ quantity: 2.4e9, unit: 'euro', what: 'expansion' });
    expect(b.figures.some((f) => f.value === '2026')).toBe(false);
  });

  it('flags figures about the same thing that disagree', () => {
    const households = b.conflicts.find((c) => c.about === 'household');
    expect(households?.figures.map((i) => b.figures[i]!.value).sort()).toEqual(['3,000', '800']);
    expect(b.conflicts.some((c) => c.about === 'job')).toBe(false);
  });

  it('lists the people and places it names', () => {
    expect(b.people).toEqual(expect.arrayContaining(['Ana Lopez', 'Maria Ortiz']));
    expect(b.organizations).toEqual(expect.arrayContaining(['Harbour Residents Association']));
  });
});

describe('quotation marks that are not quotes', () => {
  it('sets aside names, titles and scare quotes', () => {
    const b = brief(
      'Film festival opens\n\nThe festival opened with "The Long Road Home" on Friday. Critics called the director "Maestro" in reviews. The so-called "reform" changed little, officials said in a statement released on Friday evening.',
    );
    expect(b.quotes.map((q) => q.text)).toEqual([]);
  });
});

describe('stance', () => {
  it('does not treat reported exhortation as the outlet\'s opinion', () => {
    const b = brief('Minister urges calm\n\nThe minister said the country must stay calm after the storm. The storm damaged 300 homes on Sunday night in the north. Officials said repairs would take weeks.');
    expect(b.opinion).toEqual([]);
  });
});

describe('compression', () => {
  it('keeps the whole sentence: an opening adverbial and a parenthetical can carry the meaning', () => {
    const b = brief(
      'Port deal\n\nIn a surprise move on Monday afternoon, the port authority (PA) signed a deal with three shipping lines. The deal covers ten years. Shipping lines welcomed it.',
    );
    expect(b.tldr).toBe('In a surprise move on Monday afternoon, the port authority (PA) signed a deal with three shipping lines.');
  });
});

describe('datelines', () => {
  it('drops a wire dateline and keeps the words around a parenthetical apart', () => {
    const b = brief(
      'Blast at plant\n\nHong Kong (CNN)Six people were hurt after an explosion at a chemical plant in the southeast on Monday. Firefighters put out the blaze within hours. Officials ordered an inquiry into the cause.',
    );
    expect(b.tldr).toBe('Six people were hurt after an explosion at a chemical plant in the southeast on Monday.');
    const wire = brief('Train derails\n\nBAGHDAD, Iraq (CNN) -- A train left its tracks on Friday, killing six people near the city. Rescuers worked through the night. The line stays closed.');
    expect(wire.tldr).toBe('A train left its tracks on Friday, killing six people near the city.');
  });
});

describe('a quote that goes on in the next paragraph', () => {
  it('joins a paragraph made only of a quote to the attributed quote before it', () => {
    const b = brief(
      'Veteran backs senator\n\n"He is the best candidate since Reagan," Richard Viguerie told reporters on Monday.\n\n"He is what we waited for. He checks all our boxes."\n\nThe campaign welcomed the endorsement on Tuesday.',
    );
    expect(b.quotes).toEqual([
      expect.objectContaining({
        text: 'He is the best candidate since Reagan … He is what we waited for. He checks all our boxes.',
        speaker: 'Richard Viguerie',
        kind: 'direct',
      }),
    ]);
  });
});
