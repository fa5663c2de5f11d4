import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../../src/articles/index.js';
import { createBriefing, listSentences } from '../../../src/briefing/index.js';
import { DEFAULT_WEIGHTS, hasBalancedQuotes, isStatLine, rankSentences, readsAsProse, selectKeyPoints, standsAlone, toTldr } from '../../../src/briefing/summarize.js';
import { buildDocument } from '../../../src/briefing/document.js';
import { classifyAll } from '../../../src/briefing/stance.js';

/**
 * Key points and the TL;DR are whole sentences of the article that a reader can take on their
 * own: never a piece of a quotation cut at a full stop, never page furniture, and a TL;DR never
 * leans on a sentence the reader cannot see. Articles here are written for these tests.
 */

const brief = (text: string) => createBriefing(readPlainText(text));
const shown = (text: string) => {
  const b = brief(text);
  return [b.tldr, ...b.keyPoints.map((k) => k.text)];
};

describe('sentences cut from inside a quotation', () => {
  it('are told by their unbalanced quotation marks', () => {
    expect(hasBalancedQuotes('"Markets run ahead of the economy.')).toBe(false);
    expect(hasBalancedQuotes('Now we expect stocks to rise," said the analyst.')).toBe(false);
    expect(hasBalancedQuotes('“We expect stocks to rise,” said the analyst.')).toBe(true);
    expect(hasBalancedQuotes('The analyst called it “a correction”.')).toBe(true);
    expect(hasBalancedQuotes('“The first part. ')).toBe(false);
    expect(hasBalancedQuotes('No quotation here at all.')).toBe(true);
  });

  it('are never a key point or the TL;DR', () => {
    const text = `Fund manager sees stocks rising next year

"Markets usually run ahead of the wider economy and price in future growth. Now, we expect broader markets to outperform the large companies," said Priya Nair, who runs a fund at Harbor Capital.

Stocks in the index rose 12 percent this year, led by a small group of technology companies.

Nair's fund holds about 40 companies, most of them outside the technology sector.

Analysts at two other banks made similar calls in reports published on Monday.

The index closed at a record high on Friday after a week of strong earnings reports.`;
    for (const sentence of shown(text)) {
      expect(hasBalancedQuotes(sentence)).toBe(true);
      expect(sentence).not.toMatch(/^"Markets usually/);
      expect(sentence).not.toMatch(/^Now, we expect/);
    }
  });
});

describe('a quotation in single marks, British style', () => {
  it('gives no key point cut from inside it', () => {
    const text = `Trainer keeps jockey guessing before the big race

Trainer Ruth Nicholls said: 'I have not made up my mind about who rides the favourite yet. The jockey needs a decision by Friday and he will get one.'

The favourite has won four of its last five races, including two at the course this season.

Bookmakers cut the horse's odds to three to one on Monday after a strong gallop at the weekend.

The race is run on Saturday afternoon over three miles and is shown live on national television.`;
    for (const sentence of shown(text)) {
      expect(sentence).not.toContain('I have not made up my mind');
      expect(sentence).not.toMatch(/^The jockey needs a decision/);
    }
  });
});

describe('page furniture in the body', () => {
  it('is not read as prose', () => {
    expect(readsAsProse('Nov. 20, 2019Updated: Nov. 20, 2019 1:35 a.m.')).toBe(false);
    expect(readsAsProse('1of4Grass Valley farmer Jo Reyes looks at the burned field near her home.')).toBe(false);
    expect(readsAsProse('Home News World Europe Politics Business Climate Tech Science Health.')).toBe(false);
    expect(readsAsProse('Photo Gallery: Scenes From The Opening Night Of The New Opera House.')).toBe(false);
  });

  it('is not prose when a link\'s hover card is glued into it', () => {
    expect(readsAsProse('The mayor, Jo Anne ReyesJo Anne ReyesCity mayor opens new bridge, said the bridge would open in May.')).toBe(false);
    expect(readsAsProse('Sen. Tom HaleTom HaleSenator backs farm bill, said the vote was close.')).toBe(false);
    expect(readsAsProse('The company posted the video on YouTube and sold burgers at McDonald restaurants in the city.')).toBe(true);
  });

  it('still reads news sentences full of names, and scripts without case', () => {
    expect(readsAsProse('Barack Obama met Angela Merkel and Emmanuel Macron in Berlin on Monday.')).toBe(true);
    expect(readsAsProse('The new 5G network reached 4K video speeds in 3D tests, engineers said.')).toBe(true);
    expect(readsAsProse('Der Bundestag hat am Dienstag das neue Gesetz mit großer Mehrheit beschlossen.')).toBe(true);
    expect(readsAsProse('東京都は月曜日、新しい計画を発表した。')).toBe(true);
  });

  it('never becomes a key point', () => {
    const text = `Council opens new library

Nov. 20, 2019Updated: Nov. 20, 2019 1:35 a.m.

The city council opened a new public library on Tuesday in the north of the city, the first in ten years.

The library holds 80,000 books and has a children's wing with space for 60 readers.

Local schools will bring classes to the library every week starting in January, the council said.

The building cost 12 million euros and was paid for by the city and a regional fund.`;
    const b = brief(text);
    for (const sentence of [b.tldr, ...b.keyPoints.map((k) => k.text)]) expect(sentence).not.toContain('Updated');
  });
});

describe('a TL;DR that stands alone', () => {
  it('does not open with a connective or a pronoun pointing outside it', () => {
    for (const s of [
      'But the council voted against the plan.',
      'However, the vote was close.',
      'He was sentenced to ten years in prison.',
      'His sentencing is scheduled for Feb. 14.',
      'Her new campaign is raising eyebrows.',
      'This comes after police said the suspect fled.',
      'This move angered the unions.',
      'They said the plan would fail.',
      '"He was a good man," the mayor said.',
      'In addition, the company will cut 300 jobs.',
      'The state courts, however, have upheld the permits.',
      'The mayor, for her part, said the budget was sound.',
      'Ferry crews, too, will strike on Monday.',
      "That's the deadline for the council to decide.",
      'It’s a 24-hour trip from the capital.',
      "They're due back in port on Friday.",
    ])
      expect(standsAlone(s), s).toBe(false);
  });

  it('lets a sentence open with a name, a noun or a date', () => {
    for (const s of [
      'The council voted against the plan on Tuesday.',
      'This year, the festival drew 40,000 visitors.',
      'Police arrested a man after the attack.',
      'Thousands marched through the capital on Sunday.',
      'Italy won the final on penalties.',
      'In Lyon, however badly the season began, the club finished third.',
      'Ana Reyes, the council leader, said the budget was sound.',
    ])
      expect(standsAlone(s), s).toBe(true);
  });

  it('chooses another sentence when the best one leans on its neighbour', () => {
    const text = `Tram line costs rise

However, the new tram line that the city council approved on Monday will cost 40 million euros more than planned.

The council's transport committee approved the revised budget for the tram line by seven votes to two.

Work on the tram line is due to start in March and to end in two years, the council said.

Opposition members said the council had hidden the rising costs from voters for months.`;
    const b = brief(text);
    expect(b.tldr).toBe("The council's transport committee approved the revised budget for the tram line by seven votes to two.");
  });
});

describe('a TL;DR that tells', () => {
  it('is a statement, not the question the article opens with', () => {
    const text = `Why are eels vanishing from the river?

Why are the eels that once filled the Marrow river vanishing from its waters, year after year?

Eel numbers in the river have fallen by 90 percent since 1990, a study by the regional fisheries office found.

The study blames dams that stop young eels from swimming upstream, and a parasite that arrived with farmed fish.

The fisheries office wants to build passes for eels at six dams by the end of the decade.`;
    expect(createBriefing(readPlainText(text)).tldr).toBe(
      'Eel numbers in the river have fallen by 90 percent since 1990, a study by the regional fisheries office found.',
    );
  });
});

describe('key points are sentences of the article', () => {
  it('are shown verbatim, parentheticals and opening phrases kept', () => {
    const text = `Storm closes ports

Before the storm reached the coast on Sunday, the port authority (PA) closed all four harbours to shipping.

Winds of up to 150 km an hour damaged roofs in three towns along the coast, officials said.

About 2,000 people spent the night in shelters, the regional government said on Monday.

Ferries are expected to run again on Wednesday if the weather improves as forecast.`;
    const sentences = listSentences(readPlainText(text));
    const b = brief(text);
    for (const point of b.keyPoints) expect(sentences).toContain(point.text);
    expect(sentences).toContain(b.tldr);
  });
});

describe('a TL;DR longer than one line', () => {
  const tail = 'the regional water authority approved a plan to build two reservoirs, a desalination plant and 140 kilometres of new pipes over the next decade, at a cost the authority puts at 3.1 billion euros and its critics at more than 5 billion euros';
  it('loses a framing opener, and only that, to fit', () => {
    expect(toTldr(`In a sharp change of course after three dry summers, ${tail}.`)).toBe(`The regional water authority approved a plan to build two reservoirs, a desalination plant and 140 kilometres of new pipes over the next decade, at a cost the authority puts at 3.1 billion euros and its critics at more than 5 billion euros.`);
  });
  it('keeps an opener of time or condition, and gives up the sentence instead', () => {
    expect(toTldr(`Before the drought ended in the spring of last year, ${tail}.`)).toBeUndefined();
    expect(toTldr(`If the regional parliament agrees next month, ${tail}.`)).toBeUndefined();
  });
  it('leaves a sentence that fits as it is', () => {
    expect(toTldr('In a surprise move on Monday, the council approved the plan.')).toBe('In a surprise move on Monday, the council approved the plan.');
  });
});

describe('a wire dateline', () => {
  it('goes from the front of a key point, whatever the agency', () => {
    const b = createBriefing(readPlainText(`Mine floods

RIVERTON, Kestland (Northwire) -- Water flooded a coal mine near the town on Tuesday, trapping nine miners underground for six hours, officials said.

Rescuers pumped water from the main shaft through the night and reached the miners early on Wednesday.

All nine miners were taken to hospital in Riverton, where doctors said they were in good condition.`));
    expect(b.tldr).toBe('Water flooded a coal mine near the town on Tuesday, trapping nine miners underground for six hours, officials said.');
  });
});

describe('what is never a key point', () => {
  const text = `Harbour plan approved

The town council approved the harbour plan on Tuesday, adding 40 moorings to the east quay.

Will the moorings be ready for the summer season?

The state will pay for the work with a grant of $2 million, council leader Ana Reyes said.

Fishing crews had asked for more room at the quay for two years, and welcomed the vote.

Work is due to start in March and to end before the first boats arrive in June.

The town council approved the harbour plan on Tuesday, adding 40 moorings to the east quay.`;

  it('a question, which leads the reader on rather than telling them', () => {
    expect(shown(text).some((s) => s.includes('?'))).toBe(false);
  });

  it('the same sentence twice, when the page prints it twice, even with no weight against redundancy', () => {
    const points = brief(text).keyPoints.map((k) => k.text);
    expect(points.length).toBeGreaterThanOrEqual(3);
    expect(new Set(points).size).toBe(points.length);
    const doc = buildDocument(readPlainText(text));
    const weights = { ...DEFAULT_WEIGHTS, redundancy: 0 };
    const ranked = rankSentences(doc, classifyAll(doc), weights);
    const chosen = selectKeyPoints(ranked, 5, weights).map((r) => r.sentence.text);
    expect(chosen.filter((t) => t.startsWith('The town council approved'))).toHaveLength(1);
  });
});

describe('a transcript', () => {
  const text = `Mayor talks ferries

Mayor Ana Reyes spoke to the Valley Post about the ferry strike on Monday, a day after talks broke down.

Questions and answers have been edited for length and clarity.

Q: Will the ferries run this weekend?

A: I hope so, but the crews have not agreed to the new rota yet.

REPORTER: The union says the rota breaks the contract.

REYES: The union has seen the rota and the contract, and our lawyers say it does not.

The strike has stopped all crossings to the islands since Saturday, and 4,000 passengers a day are affected.

The union said it would meet the council again on Wednesday.`;

  it('is told by a Q&A or a label used twice: one capitalised label is a dateline or a heading, and its sentence can lead', () => {
    const dateline = brief(`Ports plan approved

NEW DELHI: The government on Monday approved a $2 billion plan to build 40 new ports along the coast.

The ports will be built over ten years, the shipping ministry said in a statement on Monday.

WHY IT MATTERS: The plan could cut the cost of moving goods by sea by a fifth, economists said.`);
    expect(dateline.tldr).toMatch(/^NEW DELHI: The government on Monday approved/);
    expect(dateline.keyPoints.map((k) => k.text).join(' ')).toMatch(/WHY IT MATTERS/);
  });

  it('never gives a labelled line or the editing note as a key point or the TL;DR', () => {
    for (const s of shown(text)) expect(s, s).not.toMatch(/^(?:Q|A|REPORTER|REYES):|edited for length/);
    expect(brief(text).boilerplate.map((b) => b.text)).toContain('Questions and answers have been edited for length and clarity.');
  });
});

describe('a row of a table set as a line', () => {
  it('is no sentence', () => {
    for (const s of ['1 sack, 1 TFL, 2 QH.', '2 tackles, 1 assist (3 combined).', 'Harbour Town 2, Valley Rovers 1.', 'Frozen peas, 1 kilo bag: £0.98.']) expect(isStatLine(s), s).toBe(true);
  });

  it('leaves sentences with numbers in them', () => {
    for (const s of ['Police arrested 3 men in 2 towns.', 'Sales rose 5% to $3 billion.', 'Harbour Town beat Valley Rovers 2-1 on Saturday.', 'About 40 boats sank.'])
      expect(isStatLine(s), s).toBe(false);
  });
});
