import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  analyseSpeaker,
  checkReferents,
  evaluateQuotes,
  formatQuoteReport,
  goldSpeakerOf,
  goldSpeakerSpan,
  judgeSpeaker,
  matchQuotes,
  namesPerson,
  parseGoldJsonl,
  parseReferentsJsonl,
  quoteTokens,
  singularNoun,
  tokenOverlap,
  type GoldArticle,
  type GoldSpeaker,
  type PredictedQuote,
} from '../../tools/eval/quote-metrics.js';

// Four PolNeAR dev articles (see fixtures/README.md), kept with their `source`, and their lines of
// the committed referents file (tools/eval/gold/quotes-dev.referents.jsonl).
const articles = parseGoldJsonl(readFileSync(new URL('./fixtures/quotes-dev.sample.jsonl', import.meta.url), 'utf8'));
const referents = parseReferentsJsonl(readFileSync(new URL('./fixtures/quotes-dev.sample.referents.jsonl', import.meta.url), 'utf8'));
const article = (prefix: string): GoldArticle => {
  const found = articles.find((a) => a.id.startsWith(prefix));
  if (!found) throw new Error(`fixture ${prefix} missing`);
  return found;
};
const clintonTulsa = article('huff-post_2016-09-20_hillary-clinton-speaks-directly');
const chelsea = article('politico_2016-09-17_de-blasio-says-chelsea-explosion');
const axelrod = article('politico_2016-09-28_axelrod-calls-on-dean');
const goldStar = article('west-journal_2016-09-29_gold-star-mom-corners-obama');

describe('token overlap', () => {
  it('ignores case, punctuation and quotation marks, keeps inner apostrophes', () => {
    expect(quoteTokens('“We’re ready,” she said — "twice."')).toEqual(["we're", 'ready', 'she', 'said', 'twice']);
    expect(tokenOverlap('"Subpoenas are not optional,"', 'subpoenas are NOT optional')).toBe(1);
  });

  it('is the Dice coefficient over token bags', () => {
    expect(tokenOverlap('a b c d', 'a b')).toBeCloseTo(2 / 3, 12);
    expect(tokenOverlap('the the the', 'the cat')).toBeCloseTo(0.4, 12); // one common "the": 2·1/5
    expect(tokenOverlap('', '')).toBe(0);
    expect(tokenOverlap('x y', 'z')).toBe(0);
  });

  it('lets one part of a two-part gold quote match at 0.3 but not at 0.8', () => {
    const gold = clintonTulsa.quotes[3]!.quote; // “How many times ...” “In Tulsa, ...” (two spans)
    expect(clintonTulsa.quotes[3]!.quote_spans.length).toBeGreaterThan(1);
    const firstPart = '“How many times do we have to see this in our country?”';
    const o = tokenOverlap(firstPart, gold);
    expect(o).toBeGreaterThan(0.3);
    expect(o).toBeLessThan(0.8);
  });
});

describe('matchQuotes', () => {
  it('matches one-to-one at the threshold', () => {
    const gold = ['alpha beta gamma delta', 'one two three four'];
    const matches = matchQuotes(['alpha beta gamma delta', 'alpha beta gamma delta', 'nothing here'], gold, 0.3);
    expect(matches).toEqual([{ predicted: 0, gold: 0, overlap: 1 }]);
    expect(matchQuotes([], gold, 0.3)).toEqual([]);
    expect(matchQuotes(['alpha beta'], gold, 0.8)).toEqual([]);
  });

  it('finds the largest matching where greedy-by-best-overlap would not', () => {
    // p0 overlaps g0 best (0.8) but is the only prediction that can match g1; p1 can only match g0.
    const gold = ['a b c d e', 'a b f g h'];
    const predicted = ['a b c d', 'c d e x y'];
    expect(tokenOverlap(predicted[0]!, gold[0]!)).toBeGreaterThan(tokenOverlap(predicted[1]!, gold[0]!));
    const matches = matchQuotes(predicted, gold, 0.3);
    expect(matches.map((m) => [m.predicted, m.gold])).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('prefers the larger total overlap among matchings of equal size', () => {
    const gold = ['a b c d', 'e f g h'];
    const matches = matchQuotes(['e f g h', 'a b c d'], gold, 0.3);
    expect(matches.map((m) => [m.predicted, m.gold, m.overlap])).toEqual([
      [0, 1, 1],
      [1, 0, 1],
    ]);
  });
});

describe('analyseSpeaker', () => {
  const cases: [string, string, string[][] | string][] = [
    ['Hillary Clinton', 'name', [['hillary', 'clinton']]],
    ['Mr. Obama', 'name', [['obama']]],
    ['Sen. Lindsey O. Graham (R-S.C.), a former presidential candidate', 'name', [['lindsey', 'graham']]],
    ['Trump senior adviser Paul Manafort', 'name', [['paul', 'manafort']]],
    ["Twitter's Adam Sharp", 'name', [['adam', 'sharp']]],
    ['Former secretary of state Hillary Rodham Clinton', 'name', [['hillary', 'rodham', 'clinton']]],
    ['George Zornick of The Nation', 'name', [['george', 'zornick']]],
    ['Mayor Bill de Blasio', 'name', [['bill', 'de', 'blasio']]],
    ['Julie A. Diaz Martinez', 'name', [['julie', 'diaz', 'martinez']]],
    ['Mr. King', 'name', [['king']]],
    ['PENCE', 'name', [['pence']]],
    ['The New York Times', 'name', [['new', 'york', 'times']]],
    [
      'nuclear experts David Albright and Serena Kelleher-Vergantini of ISIS',
      'name',
      [
        ['david', 'albright'],
        ['serena', 'kelleher', 'vergantini'],
      ],
    ],
    ['Another critic, Laurence H. Tribe,', 'name', [['laurence', 'tribe']]],
    ['he', 'pronoun', 'he'],
    ['She', 'pronoun', 'she'],
    ['she’s', 'pronoun', 'she'],
    ['a campaign aide', 'description', 'aide'],
    ['a spokesman for Bernie Sanders', 'description', 'spokesman'],
    ['one of several coal industry veterans who have come to work with Mr. Clarke', 'description', 'veteran'],
    ['a source involved in the super-PAC’s creation', 'description', 'source'],
    ['the Florida senator and Republican presidential candidate', 'description', 'candidate'],
    ['The president', 'description', 'president'],
    ['the ruling', 'description', 'ruling'],
  ];
  for (const [span, kind, expected] of cases) {
    it(`reads ${JSON.stringify(span)} as ${kind}`, () => {
      const a = analyseSpeaker(span);
      expect(a.kind).toBe(kind);
      if (kind === 'name') expect(a.persons).toEqual(expected);
      if (kind === 'pronoun') expect(a.pronoun).toBe(expected);
      if (kind === 'description') expect(a.head).toBe(expected);
    });
  }

  it('reads a sentence-initial common noun as a description when the text uses it lower-case', () => {
    const text = 'Protesters gathered. Police watched the protesters.';
    expect(analyseSpeaker('Protesters', { text, start: 0 }).kind).toBe('description');
    expect(analyseSpeaker('Protesters').kind).toBe('name');
  });

  it('has nothing to say about an empty speaker', () => {
    expect(analyseSpeaker(null).kind).toBe('none');
    expect(analyseSpeaker('  ').kind).toBe('none');
  });

  it('singularises head nouns', () => {
    expect(['spokesmen', 'sources', 'parties', 'boss', 'aide'].map(singularNoun)).toEqual([
      'spokesman',
      'source',
      'party',
      'boss',
      'aide',
    ]);
  });
});

describe('namesPerson (same person)', () => {
  const clinton = [['hillary', 'clinton']];
  it('accepts a surname, a full name, titles, possessives and appended roles', () => {
    expect(namesPerson('Clinton', clinton)).toBe(true);
    expect(namesPerson('Hillary Rodham Clinton', clinton)).toBe(true);
    expect(namesPerson("Clinton's", clinton)).toBe(true);
    expect(namesPerson('Sen. Hillary Clinton (D-N.Y.)', clinton)).toBe(true);
    expect(namesPerson('Hillary Clinton, the Democratic nominee', clinton)).toBe(true);
    expect(namesPerson('Democratic nominee Hillary Clinton', clinton)).toBe(true);
    expect(namesPerson('HILLARY CLINTON', clinton)).toBe(true);
    expect(namesPerson('de Blasio', [['bill', 'de', 'blasio']])).toBe(true);
    expect(namesPerson('O’Neill', [['oneill']])).toBe(true);
  });

  it('keeps a surname that is also a title word', () => {
    expect(namesPerson('Charlie King', [['king']])).toBe(true);
    expect(namesPerson('Howard Dean', [['dean']])).toBe(true);
    expect(namesPerson('Mr. King', [['charlie', 'king']])).toBe(true);
  });

  it('reads an all-lower-case prediction as title case', () => {
    expect(namesPerson('hillary clinton', clinton)).toBe(true);
    expect(namesPerson('bill clinton', clinton)).toBe(false);
  });

  it('rejects another person, a description and a pronoun', () => {
    expect(namesPerson('Bill Clinton', clinton)).toBe(false);
    expect(namesPerson('Trump', clinton)).toBe(false);
    expect(namesPerson('the Clinton campaign', clinton)).toBe(false);
    expect(namesPerson('she', clinton)).toBe(false);
    expect(namesPerson(undefined, clinton)).toBe(false);
  });
});

describe('goldSpeakerOf with frozen referents', () => {
  const speaker = (a: GoldArticle, i: number): GoldSpeaker => goldSpeakerOf(a, i, referents);

  it('keeps names as they are', () => {
    expect(speaker(clintonTulsa, 6)).toMatchObject({ kind: 'name', persons: [['chuck', 'jordan']] });
  });

  it('takes a pronoun or a description to its frozen referent', () => {
    expect(clintonTulsa.quotes[4]!.speaker).toBe('she');
    expect(speaker(clintonTulsa, 4)).toEqual({ kind: 'pronoun', span: 'she', persons: [['clinton']], referent: 'Clinton' });
    expect(speaker(chelsea, 3)).toMatchObject({ kind: 'description', span: 'the mayor', persons: [['bill', 'de', 'blasio']] });
    expect(speaker(axelrod, 2)).toMatchObject({ kind: 'description', persons: [['david', 'axelrod']] });
    expect(speaker(goldStar, 3)).toMatchObject({ kind: 'description', persons: [['barack', 'obama']] });
  });

  it('gives a pronoun with no referent line no person', () => {
    expect(goldSpeakerOf(clintonTulsa, 4)).toEqual({ kind: 'pronoun', span: 'she', persons: [] });
  });

  it('repairs annotations whose speaker span is the verb ("said") and whose cue is the name', () => {
    expect(goldStar.quotes[6]).toMatchObject({ speaker: 'said', cue: 'Obama' });
    expect(goldSpeakerSpan(goldStar.quotes[6]!).text).toBe('Obama');
    expect(speaker(goldStar, 6)).toMatchObject({ kind: 'name', span: 'Obama', persons: [['obama']] });
  });
});

describe('referents files', () => {
  const line = (o: Record<string, unknown>): string => JSON.stringify({ article: 'a', quote: 1, speaker: 'he', kind: 'pronoun', referent: 'Jo Park', ...o });

  it('reads lines into a map by article and quote', () => {
    const map = parseReferentsJsonl([line({}), line({ quote: 2, referent: null })].join('\n') + '\n');
    expect(map.get('a#1')?.referent).toBe('Jo Park');
    expect(map.get('a#2')?.referent).toBeNull();
  });

  it('refuses bad JSON, a bad shape, a second line for a quote and a referent that is not a name', () => {
    expect(() => parseReferentsJsonl('{"article":', 'r.jsonl')).toThrow(/^r\.jsonl:1: not valid JSON$/);
    expect(() => parseReferentsJsonl(line({ quote: -1 }), 'r.jsonl')).toThrow(/r\.jsonl:1: "quote"/);
    expect(() => parseReferentsJsonl([line({}), line({})].join('\n'), 'r.jsonl')).toThrow(/r\.jsonl:2: a second line for quote 1 of a/);
    expect(() => parseReferentsJsonl(line({ referent: 'the mayor' }), 'r.jsonl')).toThrow(/not a name/);
  });

  it('must fit the gold data it is used with', () => {
    expect(checkReferents(articles, referents)).toBe(referents.size);
    const wrongSpeaker = parseReferentsJsonl(line({ article: clintonTulsa.id, quote: 4, speaker: 'he' }));
    expect(() => checkReferents(articles, wrongSpeaker, 'r.jsonl')).toThrow(/r\.jsonl: quote 4 of .* is not a direct quote spoken by "he"/);
    expect(checkReferents(articles, parseReferentsJsonl(line({ article: 'another-set' })))).toBe(0);
  });

  it('the committed file is well formed and as its README counts it', () => {
    const text = readFileSync(new URL('../../tools/eval/gold/quotes-dev.referents.jsonl', import.meta.url), 'utf8');
    const committed = parseReferentsJsonl(text);
    expect(committed.size).toBe(127);
    expect([...committed.values()].filter((l) => l.referent !== null)).toHaveLength(114);
    // The fixture lines are copies of the committed ones.
    for (const [key, value] of referents) expect(committed.get(key)).toEqual(value);
  });

  it('the scorer imports nothing from the engine', () => {
    const source = readFileSync(new URL('../../tools/eval/quote-metrics.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['zod']);
  });
});

describe('judgeSpeaker', () => {
  const named: GoldSpeaker = { kind: 'pronoun', span: 'she', persons: [['clinton']], referent: 'Clinton' };
  const unnamed: GoldSpeaker = { kind: 'description', span: 'a campaign aide', persons: [], referent: null };

  it('wants the named person for a name, a pronoun or a description with a referent', () => {
    expect(judgeSpeaker('Hillary Clinton', named)).toBe('correct');
    expect(judgeSpeaker('Mrs. Clinton', named)).toBe('correct');
    expect(judgeSpeaker('she', named)).toBe('wrong');
    expect(judgeSpeaker('Bill Clinton', { ...named, persons: [['hillary', 'clinton']] })).toBe('wrong');
    expect(judgeSpeaker(undefined, named)).toBe('missing');
    expect(judgeSpeaker('  ', named)).toBe('missing');
    expect(judgeSpeaker('Tim Kaine', { kind: 'name', span: 'Kaine', persons: [['kaine']] })).toBe('correct');
  });

  it('wants no speaker at all when the gold speaker has no referent', () => {
    expect(judgeSpeaker(undefined, unnamed)).toBe('correct');
    expect(judgeSpeaker('', unnamed)).toBe('correct');
    expect(judgeSpeaker('a campaign aide', unnamed)).toBe('wrong');
    expect(judgeSpeaker('Clinton', unnamed)).toBe('wrong');
    expect(judgeSpeaker(undefined, { kind: 'pronoun', span: 'he', persons: [] })).toBe('correct');
  });

  it('does not judge quotes without a gold speaker', () => {
    expect(judgeSpeaker('Anyone', { kind: 'none', span: null, persons: [] })).toBe('no-gold-speaker');
  });
});

describe('evaluateQuotes', () => {
  const direct = (a: GoldArticle) => a.quotes.filter((q) => q.type === 'direct');

  it('scores the gold quotes themselves perfectly, speakers by their referents', () => {
    const predictions = new Map<string, PredictedQuote[]>();
    for (const a of articles) {
      predictions.set(
        a.id,
        a.quotes.flatMap((q, i) => {
          if (q.type !== 'direct') return [];
          const person = goldSpeakerOf(a, i, referents).persons[0];
          return [{ text: q.quote, ...(person ? { speaker: person.join(' ') } : {}) }];
        }),
      );
    }
    const report = evaluateQuotes(articles, predictions, { referents });
    expect(report.nonNameSpeakers).toBe(referents.size);
    expect(report.nonNameSpeakersWithReferentLine).toBe(referents.size);
    const gold = articles.reduce((n, a) => n + direct(a).length, 0);
    expect(report.goldDirect).toBe(gold);
    for (const t of report.thresholds) {
      expect(t).toMatchObject({
        truePositives: gold,
        falsePositives: 0,
        falseNegatives: 0,
        precision: 1,
        recall: 1,
        f1: 1,
      });
      expect(t.speaker.names.accuracy).toBe(1);
      expect(t.speaker.all.accuracy).toBe(1);
      expect(t.speaker.all.judged).toBeGreaterThan(t.speaker.names.judged);
      expect(t.speaker.byKind.pronoun.matched).toBeGreaterThan(0);
      expect(t.speaker.byKind.pronoun.correct).toBe(t.speaker.byKind.pronoun.matched);
    }
  });

  it('micro-averages over articles and reports pronoun speakers separately', () => {
    const predictions: Record<string, PredictedQuote[]> = {
      [clintonTulsa.id]: [
        // half of the two-part quote: matched at 0.3 only
        { text: '“How many times do we have to see this in our country?”', speaker: 'Hillary Clinton' },
        // the pronoun quote, attributed to the resolved person
        { text: direct(clintonTulsa)[1]!.quote, speaker: 'Clinton' },
        { text: 'Something nobody said in this article at all.', speaker: 'Nobody' },
      ],
      [axelrod.id]: [{ text: direct(axelrod)[2]!.quote, speaker: 'he' }], // the "He" quote, pronoun kept
    };
    const report = evaluateQuotes([clintonTulsa, axelrod], predictions, { thresholds: [0.3, 0.8], referents });
    const [low, high] = report.thresholds;
    expect(report.goldDirect).toBe(3 + 4);
    expect(report.predicted).toBe(4);
    expect(low).toMatchObject({ truePositives: 3, falsePositives: 1, falseNegatives: 4 });
    expect(low!.precision).toBeCloseTo(3 / 4, 12);
    expect(low!.recall).toBeCloseTo(3 / 7, 12);
    expect(low!.f1).toBeCloseTo((2 * 0.75 * (3 / 7)) / (0.75 + 3 / 7), 12);
    expect(high).toMatchObject({ truePositives: 2, falsePositives: 2, falseNegatives: 5 });
    // At 0.3: name (Clinton, correct), pronoun "she" -> Clinton (correct), pronoun "He" -> Dean (predicted "he": wrong).
    expect(low!.speaker.all).toEqual({ judged: 3, correct: 2, missing: 0, accuracy: 2 / 3 });
    expect(low!.speaker.names).toEqual({ judged: 1, correct: 1, missing: 0, accuracy: 1 });
    expect(low!.speaker.byKind.pronoun).toEqual({ matched: 2, correct: 1, missing: 0, noReferent: 0, notInReferents: 0 });
    expect(low!.speaker.byKind.name).toEqual({ matched: 1, correct: 1, missing: 0, noReferent: 0, notInReferents: 0 });
    expect(high!.speaker.byKind.name.matched).toBe(0);
    expect(high!.speaker.names).toEqual({ judged: 0, correct: 0, missing: 0, accuracy: 0 });
  });

  it('judges pronouns without referents, and says how many the referents cover', () => {
    const q = direct(clintonTulsa)[1]!; // the "she" quote
    const unattributed = evaluateQuotes([clintonTulsa], { [clintonTulsa.id]: [{ text: q.quote }] });
    expect(unattributed.nonNameSpeakersWithReferentLine).toBe(0);
    expect(unattributed.thresholds[0]!.speaker.all).toMatchObject({ judged: 1, correct: 1 });
    expect(unattributed.thresholds[0]!.speaker.byKind.pronoun).toMatchObject({ matched: 1, noReferent: 1, notInReferents: 1 });
    const attributed = evaluateQuotes([clintonTulsa], { [clintonTulsa.id]: [{ text: q.quote, speaker: 'Hillary Clinton' }] });
    expect(attributed.thresholds[0]!.speaker.all).toMatchObject({ judged: 1, correct: 0 });
  });

  it('reports articles without predictions and predictions for unknown articles', () => {
    const report = evaluateQuotes([goldStar], { 'no-such-article': [{ text: 'x' }] });
    expect(report.articlesWithoutPredictions).toEqual([goldStar.id]);
    expect(report.unknownArticles).toEqual(['no-such-article']);
    expect(report.thresholds[0]).toMatchObject({ truePositives: 0, precision: 0, recall: 0, f1: 0 });
  });

  it('formats a plain-text table', () => {
    const report = evaluateQuotes(articles, new Map([[chelsea.id, direct(chelsea).map((q) => ({ text: q.quote }))]]), { referents });
    const text = formatQuoteReport(report, 'sample.referents.jsonl');
    expect(text).toContain('Referents: sample.referents.jsonl; 9 of 9 pronoun or description speakers');
    expect(text).toContain('threshold');
    expect(text).toMatch(/0\.30\s+6\s+0\s+\d+\s+100\.0/);
    expect(text).toContain('pronoun');
    expect(text.split('\n').length).toBeGreaterThan(8);
  });
});

describe('parseGoldJsonl', () => {
  it('rejects a record of the wrong shape', () => {
    expect(() => parseGoldJsonl('{"id":"a","text":"t","quotes":[{"quote":"q"}]}')).toThrow(/^quotes record:1: "quotes\.0\.speaker": /);
    expect(() => parseGoldJsonl('\n{"id":', 'q.jsonl')).toThrow(/^q\.jsonl:2: not valid JSON$/);
  });

  it('reads the fixture records as they are', () => {
    expect(articles).toHaveLength(4);
    expect(articles.every((a) => a.source?.startsWith('networkdynamics/PolNeAR@'))).toBe(true);
  });
});
