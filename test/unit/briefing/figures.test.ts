import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../../src/articles/index.js';
import { createBriefing, type Figure } from '../../../src/briefing/index.js';

/**
 * Figures, rule by rule, on sentences written for these tests: what a number phrase is worth, what it
 * counts, its unit, range, change and hedge, and the numbers that are not figures at all.
 */

const figuresOf = (text: string): Figure[] => createBriefing(readPlainText(text)).figures;
const only = (text: string): Figure => {
  const figures = figuresOf(text);
  expect(figures, JSON.stringify(figures)).toHaveLength(1);
  return figures[0]!;
};
const values = (text: string): string[] => figuresOf(text).map((f) => f.value);

describe('what a figure counts', () => {
  it('is the noun phrase after a count', () => {
    expect(only('The plant has 13,000 workers in the region.')).toMatchObject({ value: '13,000', quantity: 13000, what: 'workers' });
    expect(only('About 96 Ashford fans travelled to the match.')).toMatchObject({ what: 'Ashford fans', hedge: 'about' });
    expect(only('The club signed eight more players this summer.')).toMatchObject({ quantity: 8, what: 'more players' });
    expect(only('Two of the mayor’s deputies resigned on Monday.')).toMatchObject({ quantity: 2, what: 'mayor deputies' });
    expect(only('The defence gave up 412 rushing yards in the game.')).toMatchObject({ what: 'rushing yards' });
  });

  it('lets money and percentages stand alone unless the sentence says what they measure', () => {
    expect(only('A hard exit would cost the firm $800 million in 2026.')).toMatchObject({ value: '$800 million', what: '' });
    expect(only('The reserves are worth $200 billion he said.')).toMatchObject({ value: '$200 billion', what: '' });
    expect(only('The lender signed a $150,000 contract with the club.')).toMatchObject({ what: 'contract' });
    expect(only('The court imposed a fine of $12 million on the bank.')).toMatchObject({ what: 'fine' });
    expect(only('The group earns more than 60 per cent of its revenue from ads.')).toMatchObject({ what: 'revenue', hedge: 'more than' });
    expect(only('The region already had a 25% tax on imported cars.')).toMatchObject({ what: 'tax' });
    expect(only('The median sale price for houses in May was $3.1 million.')).toMatchObject({ what: 'median sale price' });
  });

  it('is never a verb, a function word or a noun from another clause', () => {
    expect(figuresOf('The harbour fund got £6.6m spread over two decades.').map((f) => [f.value, f.what, f.hedge])).toEqual([
      ['£6.6m', '', undefined],
      ['two decades', '', undefined],
    ]);
    expect(only('Apex jumped 0.4% while bonds were flat.').what).toBe('');
    expect(only('Apex slid 8% during the sell-off.').what).toBe('');
    expect(only('Its shares slid 8% during the sell-off.').what).toBe('shares');
    expect(only('About 1000 come from the north each year.')).toMatchObject({ what: '', hedge: 'about' });
  });

  it('reads the noun an amount is of, and no verb phrase in its place', () => {
    expect(only('The poll has a margin of error of 2.8 percentage points.')).toMatchObject({ what: 'margin of error', unit: 'percentage points' });
    expect(only('Workers could earn upward of $20 an hour there.')).toMatchObject({ what: '', hedge: 'more than' });
    expect(only('Membership dues start at $100,000.').what).toBe('');
    expect(only('The bank kept its main lending rate at 4.5% on Thursday.')).toMatchObject({ what: 'rate' });
    expect(only('Food inflation, which remains at 4.2%, worries the board.').what).toBe('');
    expect(only('The idea of a further £1bn in savings alarmed them.').what).toBe('');
    expect(only('Half of Mrs. Park’s donors are women.')).toMatchObject({ unit: 'fraction', what: expect.stringMatching(/donors$/) });
    expect(only('At least four U.N. monitors were hurt.')).toMatchObject({ what: 'U.N monitors', hedge: 'at least' });
  });

  it('takes a modifier or an acronym into the counted phrase, and stops at a plural or a comparison', () => {
    expect(only('Roughly 13,000 US troops remain there.')).toMatchObject({ what: 'US troops' });
    expect(only('It covers more than 400,000 state residents.')).toMatchObject({ what: 'state residents' });
    expect(only('The rocket can carry up to 100 metric tons of cargo.')).toMatchObject({ what: 'metric tons of cargo' });
    expect(only('About 70 percent of Americans say they agree.')).toMatchObject({ what: 'Americans' });
    expect(only('The new engine is 20% more powerful.').what).toBe('');
    expect(only('He posted an elite 93.2 defensive grade.')).toMatchObject({ what: 'defensive grade' });
    expect(only('The 2,812 piece Castle Siege set sold out.').what).toBe('');
    expect(only('Police found two anti-personnel mines.')).toMatchObject({ what: 'anti-personnel mines' });
    expect(only('That equals about 20 decently sized coal-fired power plants.')).toMatchObject({ what: 'decently sized coal-fired power plants' });
    expect(figuresOf('I might post 20 or 30 photos a day.').map((f) => f.what)).toEqual(['photos', 'photos']);
  });

  it('ends the counted phrase before a verb in -s that takes an object, and keeps a plural that modifies a plural', () => {
    expect(only('The arrival of 300 volunteers marks a turning point for the harbour town.')).toMatchObject({ what: 'volunteers' });
    expect(only('The deployment of 40 inspectors signals the end of the amnesty.')).toMatchObject({ what: 'inspectors' });
    expect(only('Police arrested 12 arms dealers at the border.')).toMatchObject({ what: 'arms dealers' });
    expect(only('The club sold 15 sports cars this month.')).toMatchObject({ what: 'sports cars' });
    expect(only('The bank opened 3,000 savings accounts this year.')).toMatchObject({ what: 'savings accounts' });
    expect(only('The agency filed 200 sales reports each quarter.')).toMatchObject({ what: 'sales reports' });
  });

  it('does not give a margin to the rival it is measured from', () => {
    expect(only('A new poll puts Reyes within four points of Okafor.')).toMatchObject({ value: 'four points', what: '' });
    expect(only('The plant lost 40 percent of its orders.')).toMatchObject({ what: 'orders' });
  });

  it('reads a name of several words ending in a plural as a modifier of the nouns after it', () => {
    expect(only('Two United Arab Emirates navy officers were hurt in the blast.')).toMatchObject({ what: 'United Arab Emirates navy officers' });
    expect(only('Two Americans said they saw the blast.')).toMatchObject({ what: 'Americans' });
  });

  it('reads "N of M things" as one figure, with the total written in digits or in words', () => {
    expect(only('Six of the 12 jurors asked to see the letter again.')).toMatchObject({ value: 'Six of the 12', what: 'jurors' });
    expect(only('Grain and water, two of three needs of the herd, ran short.')).toMatchObject({ value: 'two of three', what: 'needs' });
    expect(only('Four of the five ferries stayed in port.')).toMatchObject({ value: 'Four of the five', what: 'ferries' });
  });

  it('gives an age to the person, never to the verb after it', () => {
    expect(only('A 93 year-old finishes the race every spring.')).toMatchObject({ value: '93 year-old', what: '' });
    expect(only('The 19 year-old winger scored twice.')).toMatchObject({ value: '19 year-old', what: 'winger' });
    expect(only('Her 6-year-old foster son was unhurt.')).toMatchObject({ what: 'foster son' });
  });

  it('gives an age the whole name or the noun of the person, not a first word', () => {
    expect(only('The 81-year-old Maria Duarte, a retired nurse, opened the fair.')).toMatchObject({ value: '81-year-old', what: 'Maria Duarte' });
    expect(only('The 74-year-old Ohio senator won the vote.')).toMatchObject({ what: 'Ohio senator' });
    expect(only('The 55-year-old hunter was taken to hospital.')).toMatchObject({ what: 'hunter' });
    expect(only('The 40-year-old paper mill closed.')).toMatchObject({ what: '' });
  });
});

describe('units written after the number', () => {
  it('are read, glued or spaced, with one spelling for the unit', () => {
    expect(only('The engine makes 310 pound-feet of torque.')).toMatchObject({ value: '310 pound-feet', unit: 'pound-feet', what: 'torque' });
    expect(only('It peaks at 6500 rpm on the test bench.')).toMatchObject({ value: '6500 rpm', unit: 'rpm' });
    expect(only('The cheapest model has 64GB of storage.')).toMatchObject({ value: '64GB', unit: 'GB', what: 'storage' });
    expect(only('Winds reached 120mph on the coast.')).toMatchObject({ value: '120mph', unit: 'mph' });
    expect(only('The car tops out at about 90 m.p.h. on a flat road.')).toMatchObject({ unit: 'mph', hedge: 'about' });
    expect(only('It comes with a 2.5-liter engine.')).toMatchObject({ unit: 'litre', what: 'engine' });
    expect(only('The office covers 640 sq m of the ground floor.')).toMatchObject({ unit: 'square metres' });
    expect(only('The bridge will be 40 metres long.')).toMatchObject({ value: '40 metres', unit: 'metres' });
    expect(only('The trunk holds 21.7 cu.ft. in total.')).toMatchObject({ unit: 'cubic feet' });
    expect(only('The lake cooled by 1.8 to 2.7 Fahrenheit over the winter.')).toMatchObject({ value: '1.8 to 2.7 Fahrenheit', unit: 'Fahrenheit' });
    expect(values('She finished the 30 Day Challenge twice.')).toEqual([]);
  });

  it('reads "m" as million after a currency and as metres otherwise', () => {
    expect(only('The club paid £4m for the striker.')).toMatchObject({ quantity: 4e6, unit: '£' });
    expect(only('The tower stands 37m above the river.')).toMatchObject({ quantity: 37, unit: 'm' });
    expect(only('The album sold 4.3M copies in its first year.')).toMatchObject({ quantity: 4.3e6, what: 'copies' });
  });

  it('keeps a currency written as a word as the unit, and a rate with the amount', () => {
    expect(only('The firm paid 7,500 Danish crowns for the permit.')).toMatchObject({ value: '7,500', unit: 'Danish crown' });
    expect(only('Crude settled at $61.20 per barrel on Friday.')).toMatchObject({ value: '$61.20 per barrel', unit: '$' });
    expect(only('The refinery handles 52,000 barrels a day.')).toMatchObject({ value: '52,000 barrels a day' });
    expect(only('The town hosts one 52,000 barrel-a-day refinery.')).toMatchObject({ value: '52,000 barrel-a-day', what: 'refinery' });
    expect(only('They led with seven second-innings wickets left.')).toMatchObject({ value: 'seven', what: 'second-innings wickets' });
    expect(only('Turnout was 30 per cent in the city.')).toMatchObject({ quantity: 30, unit: '%' });
    expect(only('The firm owns 30pc of the venture.')).toMatchObject({ quantity: 30, unit: '%', what: 'venture' });
  });
});

describe('ranges, changes and approximations', () => {
  it('keeps a range as one figure', () => {
    expect(only('The battery gives it a range of 250 to 290 miles.')).toMatchObject({ value: '250 to 290 miles', quantity: 250 });
    expect(only('Tickets will cost between $40 and $55 each.')).toMatchObject({ value: 'between $40 and $55', quantity: 40 });
    expect(only('Bids ran from $10 to $15 billion over the week.')).toMatchObject({ quantity: 10e9 });
    expect(only('Fines range from $250,000 to $1 million under the law.')).toMatchObject({ quantity: 250000 });
    expect(only('The lamp draws 5-10W when dimmed.')).toMatchObject({ value: '5-10W', unit: 'W' });
  });

  it('marks a change up or down, and a level reached is not a change', () => {
    expect(only('The March contract was up 19 cents in early trade.')).toMatchObject({ quantity: 19, unit: 'cent', hedge: 'up' });
    expect(only('The index rose 0.65 per cent on Tuesday.')).toMatchObject({ value: '0.65 per cent', hedge: 'up', what: 'index' });
    expect(only('Apex Mining rose 0.65 per cent on Tuesday.')).toMatchObject({ hedge: 'up', what: '' });
    expect(only('The broader market fell 0.9% by noon.')).toMatchObject({ hedge: 'down' });
    expect(only('The bank pulled the sector 0.68 percent lower.')).toMatchObject({ hedge: 'down' });
    expect(only('The 8.6-inch lower display shows the climate controls.').hedge).toBeUndefined();
    expect(only('Quarterly revenue rose to $7.4 billion last quarter.').hedge).toBeUndefined();
    expect(only('In Asia: Nikkei -1.3% at the close.')).toMatchObject({ quantity: -1.3, hedge: 'down' });
    expect(figuresOf('The index lost 190 points, or 0.6%, by noon.').map((f) => f.hedge)).toEqual(['down', 'down']);
    expect(figuresOf('The contract was up 19 cents at $58.24 per barrel.')[1]).toMatchObject({ value: '$58.24 per barrel', what: '' });
  });

  it('keeps approximations and bounds as hedges', () => {
    expect(only('About 50 people were hurt.')).toMatchObject({ hedge: 'about' });
    expect(only('The ferry carried more than 300 people.')).toMatchObject({ hedge: 'more than' });
    expect(only('No fewer than 12 boats sank in the storm.')).toMatchObject({ hedge: 'at least' });
    expect(only('The hall holds no more than 40 people.')).toMatchObject({ hedge: 'at most' });
  });

  it('reads money someone raised as an amount, and a rise as a change', () => {
    expect(only('In March the mayor raised $2.3 million from small donors.').hedge).toBeUndefined();
    expect(only('Ticket prices were raised by $2 this year.')).toMatchObject({ hedge: 'up' });
    expect(only('Shares rose $3 on Monday.')).toMatchObject({ hedge: 'up' });
    expect(only('Demand for sub-300 sq m units has grown.')).toMatchObject({ quantity: 300, hedge: 'less than' });
    expect(only('The plant will hire up to 400 people.')).toMatchObject({ hedge: 'up to' });
  });
});

describe('numbers that are not figures', () => {
  it('leaves years, dates, times, ordinals and decades alone', () => {
    expect(values('The bridge opened in 2019 and closed on February 11 after the 22nd inspection.')).toEqual([]);
    expect(values('The 2014-15 season ended at 9:35 PM on 1 September 2019.')).toEqual([]);
    expect(values('Trading halted at 10 a.m. and again at 0401 GMT.')).toEqual([]);
    expect(values('Prices last fell like this in the 1970s.')).toEqual([]);
    expect(values('Between 1600 and 1900 winters were harsher.')).toEqual([]);
  });

  it('leaves "the two nations" alone: a small number after "the" counts what the article already named', () => {
    expect(values('Talks between the two nations resumed in Geneva.')).toEqual([]);
    expect(values('The three men were charged on Friday.')).toEqual([]);
    expect(values('Two men and the 12 jurors were in court, and the three hundred fans waited outside.')).toEqual(['Two', '12', 'three hundred']);
    expect(values('The ministers of two nations met.')).toEqual(['two']);
  });

  it('leaves a year naming an event or a measure alone, and still counts a plural noun after a four-digit number', () => {
    expect(values('The envoy said raising 2016 elections was pointless.')).toEqual([]);
    expect(values('Emissions fell below 2019 levels, the agency said.')).toEqual([]);
    expect(values('The works made 2016 bricks by hand.')).toEqual(['2016']);
  });

  it('leaves resolutions, sound formats, dimensions and dashed pairs alone', () => {
    expect(values('It streams 4K video with 5.1 surround sound on a 3440x1440 panel.')).toEqual([]);
    expect(values('Rivals levelled the series 1-1, as the journal noted (28: 685-690).')).toEqual([]);
    expect(values('The race drew 20k runners.')).toEqual(['20k']);
  });

  it('leaves phone numbers, versions, counters and addresses alone', () => {
    expect(values('Call the desk on 555-123-4567 to update to version 13.1.2 today.')).toEqual([]);
    expect(values('Photo 1of4 shows the quay at 16-18 Harbour Street.')).toEqual([]);
  });

  it('leaves the numbers of names and models alone', () => {
    expect(values('The S&P 500 and the Stoxx 600 were flat as the Boeing 737 order was signed.')).toEqual([]);
    expect(values('The iPhone 14 sold well after Game 2 was delayed.')).toEqual([]);
    expect(values('The airline is grounding two new 737 Max jets.')).toEqual(['two']);
    expect(values('The debut of its own 787 Dreamliner was delayed.')).toEqual([]);
    expect(values('A category 4 storm is expected.')).toEqual([]);
  });

  it('leaves ages in apposition, ages naming a group, scores and votes alone', () => {
    expect(values('Maria Lopez, 65, said she would appeal.')).toEqual([]);
    expect(values('It says most men aged 18 to 34 watch sport.')).toEqual([]);
    expect(values('She led among voters under 45 in the city.')).toEqual([]);
    expect(values('Two women and four children aged from one to 11 were found.')).toEqual(['Two', 'four']);
    expect(values('The three - two aged 17 and one 19 - were held.')).toEqual([]);
    expect(values('United won 3-1 and drew 2-2 on aggregate.')).toEqual([]);
    expect(values('The court voted 5 to 4 to hear the case.')).toEqual([]);
  });

  it('leaves a year after a possessive, an emergency number and a percentage of emphasis alone', () => {
    expect(values('Half of the senator’s 2012 donors gave again.')).toEqual(['Half']);
    expect(values('Police received 911 calls about the fire.')).toEqual([]);
    expect(values('Her son was 100 percent American.')).toEqual([]);
  });

  it('reads a word hyphened to digits as its unit, but a spelled-out number hyphened to a word names a kind', () => {
    expect(only('The paper ran an 8,000-word article on the case.')).toMatchObject({ value: '8,000-word', unit: 'word', what: 'article' });
    expect(only('There were 30-odd boats in the harbour.')).toMatchObject({ quantity: 30, hedge: 'about', what: 'boats' });
    expect(values('It has a six-speed gearbox and four-, five- and six-cylinder engines.')).toEqual([]);
  });

  it('does not show a bare small number that counts nothing', () => {
    expect(values('He wore number 9 and scored in the 2 games he played in.')).toEqual(['2']);
    expect(values('They met 3 times before.')).toEqual(['3 times']);
    expect(values('Only 3 turned up.')).toEqual([]);
    expect(values('Add 1 lime and 2 onions.')).toEqual(['2']);
  });
});

describe('figures without a noun of their own', () => {
  it('take the unit or the noun of the figure they pair with', () => {
    const homes = figuresOf('The launches will offer 435 homes by open sale and 187 by tender.');
    expect(homes.map((f) => [f.value, f.what])).toEqual([
      ['435', 'homes'],
      ['187', 'homes'],
    ]);
    const forecast = figuresOf('The highest forecast is 84.75 cents, while the lowest is 74.07.');
    expect(forecast[1]).toMatchObject({ value: '74.07', unit: 'cent' });
    expect(figuresOf('It costs about 8 or $9.')[0]).toMatchObject({ value: '8', unit: '$' });
  });

  it('take the noun written once at the end of a list of numbers', () => {
    const list = figuresOf('The ministry said it could admit 10,000, 20,000 or 30,000 students next year.');
    expect(list.map((f) => [f.value, f.what])).toEqual([
      ['10,000', 'students'],
      ['20,000', 'students'],
      ['30,000', 'students'],
    ]);
    // A comma alone is no list: the year before a count keeps its own reading.
    expect(figuresOf('In 2024, 3,000 students enrolled.').map((f) => [f.value, f.what])).toEqual([['3,000', 'students']]);
  });

  it('take the noun of a figure the same verb governs in a parallel clause, in the sentence or the next', () => {
    const votes = figuresOf('Ms. Alvarez won at least 41 seats and Mr. Brook won at least 29.');
    expect(votes.map((f) => [f.value, f.what, f.hedge])).toEqual([
      ['41', 'seats', 'at least'],
      ['29', 'seats', 'at least'],
    ]);
    // "has" and "have" are one verb.
    const tally = figuresOf('The Greens have 212 councillors so far. Labour has 187, and the Liberals have 96.');
    expect(tally.map((f) => [f.value, f.what])).toEqual([
      ['212', 'councillors'],
      ['187', 'councillors'],
      ['96', 'councillors'],
    ]);
  });

  it('do not take a noun across another verb, a paragraph, or from a number that is not a count by a noun', () => {
    // Another verb ("takes", not "has"); an appositive age after a count; a new paragraph.
    expect(figuresOf('Ms. Alvarez has 41 seats. It takes 60 to govern.').map((f) => f.what)).toEqual(['seats']);
    expect(figuresOf('Three people were hurt. The driver, 41, was arrested.').map((f) => [f.value, f.what])).toEqual([['Three', 'people']]);
    expect(figuresOf('Ms. Alvarez has 41 seats.\n\nMr. Brook has 29.').map((f) => f.what)).toEqual(['seats']);
    expect(figuresOf('The fund has $41 million. Mr. Brook has 29.').map((f) => [f.value, f.what])).toEqual([['$41 million', '']]);
  });

  it('do not take a noun by gapping where the number has a noun of its own, follows "be" or a verb of saying, or another number comes between', () => {
    // A noun the reader cannot name ("aircraft", "sheep") is still the number's own.
    expect(figuresOf('The airline has 3,000 pilots. It has 112 aircraft.').filter((f) => f.what === 'pilots').map((f) => f.value)).toEqual(['3,000']);
    expect(figuresOf('Smith has 3 children. Jones has 12 grandchildren.').filter((f) => f.what === 'children').map((f) => f.value)).toEqual(['3']);
    expect(figuresOf('Rescuers found 12 bodies. Divers found 2 alive.').filter((f) => f.what === 'bodies').map((f) => f.value)).toEqual(['12']);
    // "Be" and the verbs of saying govern what follows them, not a parallel count.
    expect(figuresOf('There were 300 arrests. The youngest was 14. The oldest was 71.').filter((f) => f.what === 'arrests').map((f) => f.value)).toEqual(['300']);
    expect(figuresOf('Officials said 300 homes were destroyed. Police said 12 were arrested.').filter((f) => f.what === 'homes').map((f) => f.value)).toEqual(['300']);
    // Another number between the two: the second is not the first's parallel.
    expect(figuresOf('The club has 20,000 members. The stadium, which opened in 1998, has 60,000.').filter((f) => f.what === 'members').map((f) => f.value)).toEqual(['20,000']);
  });

  it('read a number closing a phrase of its own before a comma as no item of the list after it', () => {
    expect(figuresOf('In a town of 12,000, 30 or 40 percent of homes are empty.').map((f) => [f.value, f.unit ?? ''])).toEqual([
      ['12,000', ''],
      ['30', '%'],
      ['40 percent', '%'],
    ]);
    expect(figuresOf('The index closed at 34,000, 200 or 300 points below its peak.').map((f) => [f.value, f.unit ?? ''])).toEqual([
      ['34,000', ''],
      ['200', 'points'],
      ['300 points', 'points'],
    ]);
  });

  it('say whose share a percentage is, where the sentence gives it to a person or party the article names', () => {
    const poll = figuresOf('Mayor Dana Whitfield leads with 41 percent, followed by councillor Omar Baptiste at 23 percent and Paula Greer at nine percent. Baptiste received 30 percent in March.');
    expect(poll.map((f) => [f.value, f.what])).toEqual([
      ['41 percent', ''],
      ['23 percent', 'for Omar Baptiste'],
      ['nine percent', 'for Paula Greer'],
      ['30 percent', 'for Omar Baptiste'],
    ]);
    expect(figuresOf('Among renters, 56 percent would vote for Dana Whitfield.').map((f) => f.what)).toEqual(['for Dana Whitfield']);
    expect(figuresOf('Labour was at 30 percent and the Conservatives at 28 percent.').map((f) => f.what)).toEqual(['for Labour', 'for Conservatives']);
  });

  it('give a percentage to no one the article does not name as a person, organisation or party', () => {
    // A capitalised word that names no one ("Inflation"), a surname never given in full, a rate.
    expect(figuresOf('Inflation at 3 percent worried the markets.').map((f) => f.what)).toEqual(['']);
    expect(figuresOf('Whitfield has 5 percent.').map((f) => f.what)).toEqual(['']);
    expect(figuresOf('The bank held rates at 3 percent.').map((f) => f.what)).toEqual(['rates']);
    // A share against someone is not theirs.
    expect(figuresOf('Asked whom they would not support, voters named Paula Greer at 20 percent.').map((f) => f.what)).toEqual(['']);
    expect(figuresOf('Paula Greer ran. Asked whom they trusted least, voters named Paula Greer at 20 percent.').map((f) => f.what)).toEqual(['']);
    // Where or among whom a share is counted is not its holder; a difference is no share.
    expect(figuresOf('Theresa May spoke. Inflation in May was at 3 percent.').map((f) => f.what)).toEqual(['']);
    expect(figuresOf('Turnout among Democrats was at 60 percent.').map((f) => f.what)).toEqual(['']);
    expect(figuresOf('Keir Starmer spoke. Starmer won 30 percent more votes than in 2019.').map((f) => f.what)).not.toContain('for Keir Starmer');
    expect(figuresOf('Dana Whitfield spoke. Whitfield took 5 percent off the sales tax.').map((f) => f.what)).toEqual(['']);
  });

  it('never carry a percentage over to a level reached after a percentage change', () => {
    const stock = figuresOf('The stock rose 8.15% to 3.65 after the news.');
    expect(stock.map((f) => f.unit)).toEqual(['%', undefined]);
    expect(stock[1]).toMatchObject({ value: '3.65', what: '' });
  });

  it('read a ratio as the share it is', () => {
    expect(only('The condition affects one in 23 people.')).toMatchObject({ value: 'one in 23', unit: 'fraction', what: 'people' });
    expect(only('About six in 10 members backed the plan.')).toMatchObject({ value: 'six in 10', quantity: 0.6, what: 'members', hedge: 'about' });
    expect(only('The survey found about 4 in 10 tenants behind on rent.')).toMatchObject({ value: '4 in 10', what: 'tenants', hedge: 'about' });
    expect(only('Nearly one in five adults smoke.')).toMatchObject({ value: 'one in five', hedge: 'nearly' });
  });
});
