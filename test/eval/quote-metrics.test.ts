import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  analyseSpeaker,
  evaluateQuotes,
  formatQuoteReport,
  judgeSpeaker,
  matchQuotes,
  namesPerson,
  parseGoldJsonl,
  quoteTokens,
  resolveGoldSpeaker,
  singularNoun,
  tokenOverlap,
  type GoldArticle,
  type PredictedQuote,
  type ResolvedSpeaker,
} from '../../src/eval/quote-metrics.js';

// Four PolNeAR dev articles (see fixtures/README.md), kept with their `source`.
const articles = parseGoldJsonl(readFileSync(new URL('./fixtures/quotes-dev.sample.jsonl', import.meta.url), 'utf8'));
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

describe('resolveGoldSpeaker on real annotations', () => {
  const resolved = (a: GoldArticle, i: number): ResolvedSpeaker => resolveGoldSpeaker(a, i);

  it('keeps names as they are', () => {
    expect(resolved(clintonTulsa, 6)).toMatchObject({ goldKind: 'name', via: 'span', persons: [['chuck', 'jordan']] });
  });

  it('resolves a pronoun to the nearest preceding named speaker', () => {
    expect(clintonTulsa.quotes[4]!.speaker).toBe('she');
    expect(resolved(clintonTulsa, 4)).toMatchObject({
      goldKind: 'pronoun',
      via: 'attribution',
      persons: [['clinton']],
    });
    expect(axelrod.quotes[5]!.speaker).toBe('He');
    expect(resolved(axelrod, 5)).toMatchObject({ goldKind: 'pronoun', persons: [['dean']] });
    // "he" after "Republican presidential nominee Donald Trump" (a mixed attribution) is Trump.
    expect(resolved(chelsea, 15)).toMatchObject({ goldKind: 'pronoun', persons: [['donald', 'trump']] });
  });

  it('resolves definite descriptions the text names', () => {
    expect(resolved(chelsea, 3)).toMatchObject({
      goldKind: 'description',
      via: 'title',
      head: 'mayor',
      persons: [['bill', 'de', 'blasio']],
    });
    expect(resolved(goldStar, 3)).toMatchObject({
      goldKind: 'description',
      head: 'president',
      persons: [['barack', 'obama']],
    });
    // "Obama's former campaign strategist" follows "David Axelrod on Wednesday called on ...".
    expect(resolved(axelrod, 2)).toMatchObject({
      goldKind: 'description',
      head: 'strategist',
      persons: [['david', 'axelrod']],
    });
  });

  it('repairs annotations whose speaker span is the verb ("said") and whose cue is the name', () => {
    expect(goldStar.quotes[6]).toMatchObject({ speaker: 'said', cue: 'Obama' });
    expect(resolved(goldStar, 6)).toMatchObject({ goldKind: 'name', goldSpan: 'Obama', persons: [['obama']] });
  });

  it('leaves an indefinite description unresolved to a person', () => {
    const text = 'Trump spoke on Monday. “It was fine,” a campaign aide said.';
    const doc: GoldArticle = {
      id: 'x',
      text,
      quotes: [
        { quote: 'Trump spoke', speaker: 'Trump', type: 'indirect', quote_spans: [[6, 11]], speaker_spans: [[0, 5]] },
        {
          quote: '“It was fine,”',
          speaker: 'a campaign aide',
          type: 'direct',
          quote_spans: [[23, 38]],
          speaker_spans: [[39, 54]],
        },
      ],
    };
    expect(resolveGoldSpeaker(doc, 1)).toMatchObject({
      goldKind: 'description',
      via: 'span',
      persons: [],
      head: 'aide',
    });
  });
});

describe('judgeSpeaker', () => {
  const description: ResolvedSpeaker = {
    goldKind: 'description',
    goldSpan: 'a campaign aide',
    via: 'span',
    persons: [],
    head: 'aide',
    possessors: [],
  };
  const pronoun: ResolvedSpeaker = {
    goldKind: 'pronoun',
    goldSpan: 'she',
    via: 'attribution',
    persons: [['clinton']],
    possessors: [],
  };

  it('accepts the head noun of a description, or the person it was resolved to', () => {
    expect(judgeSpeaker('an aide', description)).toBe('correct');
    expect(judgeSpeaker('Clinton aides', description)).toBe('correct');
    expect(judgeSpeaker('Clinton', description)).toBe('wrong');
    expect(judgeSpeaker('Bill de Blasio', { ...description, head: 'mayor', persons: [['bill', 'de', 'blasio']] })).toBe(
      'correct',
    );
  });

  it('wants the named person for a pronoun, not the pronoun', () => {
    expect(judgeSpeaker('Hillary Clinton', pronoun)).toBe('correct');
    expect(judgeSpeaker('she', pronoun)).toBe('wrong');
    expect(judgeSpeaker(undefined, pronoun)).toBe('missing');
    expect(judgeSpeaker('  ', pronoun)).toBe('missing');
    expect(judgeSpeaker('Clinton', { ...pronoun, via: 'unresolved', persons: [] })).toBe('unresolved');
  });

  it('does not judge quotes without a gold speaker', () => {
    expect(
      judgeSpeaker('Anyone', { goldKind: 'none', goldSpan: null, via: 'unresolved', persons: [], possessors: [] }),
    ).toBe('no-gold-speaker');
  });

  it('credits the author of a document ("Hoff\'s letter")', () => {
    const letter = analyseSpeaker("Hoff's letter");
    expect(letter).toMatchObject({ kind: 'description', head: 'letter', possessors: [['hoff']] });
    const gold: ResolvedSpeaker = {
      goldKind: 'description',
      goldSpan: "Hoff's letter",
      via: 'span',
      persons: [],
      head: 'letter',
      possessors: [['hoff']],
    };
    expect(judgeSpeaker('Hoff', gold)).toBe('correct');
  });
});

describe('evaluateQuotes', () => {
  const direct = (a: GoldArticle) => a.quotes.filter((q) => q.type === 'direct');

  it('scores the gold quotes themselves perfectly, speakers resolved', () => {
    const predictions = new Map<string, PredictedQuote[]>();
    for (const a of articles) {
      predictions.set(
        a.id,
        a.quotes.flatMap((q, i) => {
          if (q.type !== 'direct') return [];
          const r = resolveGoldSpeaker(a, i);
          const person = r.persons[0];
          return [{ text: q.quote, speaker: person ? person.join(' ') : (q.speaker ?? undefined) }];
        }),
      );
    }
    const report = evaluateQuotes(articles, predictions);
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
      expect(t.speaker.accuracy).toBe(1);
      expect(t.speaker.byKind.pronoun.matched).toBeGreaterThan(0);
      expect(t.speaker.byKind.pronoun.correct).toBe(t.speaker.byKind.pronoun.judged);
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
    const report = evaluateQuotes([clintonTulsa, axelrod], predictions, { thresholds: [0.3, 0.8] });
    const [low, high] = report.thresholds;
    expect(report.goldDirect).toBe(3 + 4);
    expect(report.predicted).toBe(4);
    expect(low).toMatchObject({ truePositives: 3, falsePositives: 1, falseNegatives: 4 });
    expect(low!.precision).toBeCloseTo(3 / 4, 12);
    expect(low!.recall).toBeCloseTo(3 / 7, 12);
    expect(low!.f1).toBeCloseTo((2 * 0.75 * (3 / 7)) / (0.75 + 3 / 7), 12);
    expect(high).toMatchObject({ truePositives: 2, falsePositives: 2, falseNegatives: 5 });
    // At 0.3: name (Clinton, correct), pronoun "she" -> Clinton (correct), pronoun "He" -> Dean (predicted "he": wrong).
    expect(low!.speaker).toMatchObject({ judged: 3, correct: 2 });
    expect(low!.speaker.byKind.pronoun).toEqual({ matched: 2, judged: 2, correct: 1, missing: 0 });
    expect(low!.speaker.byKind.name).toEqual({ matched: 1, judged: 1, correct: 1, missing: 0 });
    expect(high!.speaker.byKind.name.matched).toBe(0);
  });

  it('reports articles without predictions and predictions for unknown articles', () => {
    const report = evaluateQuotes([goldStar], { 'no-such-article': [{ text: 'x' }] });
    expect(report.articlesWithoutPredictions).toEqual([goldStar.id]);
    expect(report.unknownArticles).toEqual(['no-such-article']);
    expect(report.thresholds[0]).toMatchObject({ truePositives: 0, precision: 0, recall: 0, f1: 0 });
  });

  it('formats a plain-text table', () => {
    const report = evaluateQuotes(articles, new Map([[chelsea.id, direct(chelsea).map((q) => ({ text: q.quote }))]]));
    const text = formatQuoteReport(report);
    expect(text).toContain('threshold');
    expect(text).toMatch(/0\.30\s+6\s+0\s+\d+\s+100\.0/);
    expect(text).toContain('pronoun');
    expect(text.split('\n').length).toBeGreaterThan(8);
  });
});

describe('parseGoldJsonl', () => {
  it('rejects a record of the wrong shape', () => {
    expect(() => parseGoldJsonl('{"id":"a","text":"t","quotes":[{"quote":"q"}]}')).toThrow(/record 1/);
  });

  it('reads the fixture records as they are', () => {
    expect(articles).toHaveLength(4);
    expect(articles.every((a) => a.source?.startsWith('networkdynamics/PolNeAR@'))).toBe(true);
  });
});

describe('resolveGoldSpeaker: who a pronoun refers to', () => {
  /** A hand-made article: spans are found by searching the text. */
  function make(text: string, quotes: Array<{ quote: string; speaker: string; type: 'direct' | 'mixed' | 'indirect' }>): GoldArticle {
    return {
      id: 'synthetic',
      text,
      quotes: quotes.map((q) => {
        const qs = text.indexOf(q.quote);
        const ss = text.indexOf(q.speaker, q.speaker === 'he' ? qs : 0);
        return { quote: q.quote, speaker: q.speaker, type: q.type, quote_spans: [[qs, qs + q.quote.length]], speaker_spans: [[ss, ss + q.speaker.length]] };
      }),
    };
  }

  it('prefers a person who opens a sentence after the last named attribution', () => {
    const text =
      '"He has not shown an ambition for higher office," said Quentin Kidd, a political scientist.\n\n' +
      'Bobby Scott bristles at the suggestion. "I have raised all I needed," he said.';
    const a = make(text, [
      { quote: '"He has not shown an ambition for higher office,"', speaker: 'Quentin Kidd', type: 'direct' },
      { quote: '"I have raised all I needed,"', speaker: 'he', type: 'direct' },
    ]);
    expect(resolveGoldSpeaker(a, 1)).toMatchObject({ goldKind: 'pronoun', persons: [['bobby', 'scott']] });
  });

  it('keeps the attribution when no one else opens a sentence, and skips a lone demonym', () => {
    const text = 'Nick Witney said the plan was late. The European reluctance is old. "There is more to do," he said.';
    const a = make(text, [
      { quote: 'the plan was late', speaker: 'Nick Witney', type: 'indirect' },
      { quote: 'reluctance is old', speaker: 'European', type: 'indirect' },
      { quote: '"There is more to do,"', speaker: 'he', type: 'direct' },
    ]);
    expect(resolveGoldSpeaker(a, 2)).toMatchObject({ goldKind: 'pronoun', persons: [['nick', 'witney']] });
  });
});
