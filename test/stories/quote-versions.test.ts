import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../src/articles/index.js';
import type { Quote } from '../../src/briefing/index.js';
import { compareQuoteVersions, quoteDifferences, type QuoteGroup } from '../../src/stories/quote-versions.js';
import { reportOf, type OutletReport } from '../../src/stories/outlet-report.js';

/**
 * Quote versions across outlets, on short articles written for these tests and briefed by the real
 * engine: the same speaker's quote as each outlet printed it, with a dropped negation, a changed
 * number, a truncation and a splice each flagged as what it is, and a copy that differs only in
 * curly quotes, case and punctuation not flagged.
 */

const ORIGINAL = 'We will not withdraw our 10,000 soldiers from the border. The talks have failed, and we are ready to defend every village.';

const report = (id: string, outlet: string, published: string, body: string): OutletReport =>
  reportOf(readPlainText(body, { id, outlet, published, title: `Report ${id}` }));

const article = (id: string, outlet: string, hour: number, quote: string, open = '"', close = '"'): OutletReport =>
  report(id, outlet, `2026-12-04T${String(hour).padStart(2, '0')}:00:00Z`, `Defence Minister Maria Kovac spoke in Zagreb on Thursday.\n\n${open}${quote.replace(/\.$/, ',')}${close} Kovac told reporters.`);

const kindsOf = (group: QuoteGroup, outlet: string): string[] => group.versions.find((v) => v.outlet === outlet)!.differences.map((d) => d.kind);

function onlyGroup(reports: OutletReport[]): QuoteGroup {
  for (const r of reports) expect(r.briefing.quotes.map((q) => q.speaker), `${r.outlet}'s quote is given to Kovac`).toContain('Maria Kovac');
  const groups = compareQuoteVersions(reports);
  expect(groups).toHaveLength(1);
  return groups[0]!;
}

describe('quote versions across outlets', () => {
  it('does not flag an identical quote printed with curly quotes, other case and punctuation', () => {
    const a = article('a', 'Reuters', 9, ORIGINAL);
    const b = article('b', 'Guardian', 10, ORIGINAL.replace('We will', 'we will').replace(', and', ' and').replace('border.', 'border;'), '“', '”');
    const group = onlyGroup([a, b]);
    expect(group.speaker).toBe('Maria Kovac');
    expect(group.versions.map((v) => v.outlet)).toEqual(['Reuters', 'Guardian']);
    expect(group.flagged).toBe(false);
  });

  it('flags a dropped negation', () => {
    const group = onlyGroup([article('a', 'Reuters', 9, ORIGINAL), article('b', 'Daily', 10, ORIGINAL.replace('will not withdraw', 'will withdraw')), article('c', 'AP', 11, ORIGINAL)]);
    expect(group.flagged).toBe(true);
    // The wording two outlets printed is the reference; the odd one out is flagged.
    expect(group.versions[group.reference]!.outlet).toBe('Reuters');
    expect(kindsOf(group, 'Daily')).toEqual(['negation']);
    expect(kindsOf(group, 'AP')).toEqual([]);
    expect(group.versions.find((v) => v.outlet === 'Daily')!.differences[0]!.detail).toMatch(/no "not" where Reuters has it/);
  });

  it('flags a changed number, but not a number written in words', () => {
    const group = onlyGroup([article('a', 'Reuters', 9, ORIGINAL), article('b', 'Daily', 10, ORIGINAL.replace('10,000', '12,000')), article('c', 'AP', 11, ORIGINAL.replace('10,000', 'ten thousand'))]);
    expect(kindsOf(group, 'Daily')).toEqual(['number']);
    expect(group.versions.find((v) => v.outlet === 'Daily')!.differences[0]!.detail).toBe('12,000 where Reuters has 10,000');
    expect(kindsOf(group, 'AP')).toEqual([]);
  });

  it('flags a truncation, and takes the longer version as the reference', () => {
    const cut = 'We will not withdraw our 10,000 soldiers from the border. The talks have failed';
    const group = onlyGroup([article('a', 'Daily', 9, cut), article('b', 'Reuters', 10, ORIGINAL)]);
    expect(group.versions[group.reference]!.outlet).toBe('Reuters');
    expect(kindsOf(group, 'Daily')).toEqual(['truncation']);
    expect(group.versions.find((v) => v.outlet === 'Daily')!.differences[0]!.detail).toMatch(/cut at the end: lacks "and we are ready to defend every village"/);
  });

  it('flags words spliced from two places with the join hidden, but not a cut shown with an ellipsis', () => {
    const spliced = 'We will not withdraw our 10,000 soldiers. We are ready to defend every village.';
    const shown = 'We will not withdraw our 10,000 soldiers … we are ready to defend every village.';
    const group = onlyGroup([article('a', 'Reuters', 9, ORIGINAL), article('b', 'Daily', 10, spliced), article('c', 'AP', 11, shown)]);
    expect(kindsOf(group, 'Daily')).toEqual(['splice']);
    expect(kindsOf(group, 'AP')).toEqual([]);
  });

  it('keeps different quotes of one speaker apart, and another speaker’s words out', () => {
    const a = report('a', 'Reuters', '2026-12-04T09:00:00Z', `Defence Minister Maria Kovac spoke in Zagreb on Thursday.\n\n"${ORIGINAL.replace(/\.$/, ',')}" Kovac told reporters.\n\n"Our economy is strong enough to carry the cost of this winter," Kovac added.`);
    const b = report('b', 'AP', '2026-12-04T10:00:00Z', `Prime Minister Ivan Horvat spoke in Zagreb on Thursday.\n\n"${ORIGINAL.replace(/\.$/, ',')}" Horvat told reporters.`);
    const c = report('c', 'BBC', '2026-12-04T11:00:00Z', `Defence Minister Maria Kovac spoke in Zagreb on Thursday.\n\n"Our economy is strong enough to carry the cost of this winter," Kovac said.`);
    expect(a.briefing.quotes).toHaveLength(2);
    const groups = compareQuoteVersions([a, b, c]);
    // Horvat's identical words are not a version of Kovac's quote; Kovac's two quotes are two groups.
    expect(groups.map((g) => [g.speaker, g.versions.map((v) => v.outlet)])).toEqual([['Maria Kovac', ['Reuters', 'BBC']]]);
    expect(groups[0]!.versions[0]!.quote.text).toMatch(/^Our economy/);
  });

  it('does not take two short quotes that share only "we will" for versions of one', () => {
    const short = (id: string, outlet: string, words: string): OutletReport =>
      report(id, outlet, '2026-12-04T09:00:00Z', `Defence Minister Maria Kovac spoke in Zagreb on Thursday.\n\n"${words}," Kovac said.`);
    const a = short('a', 'Reuters', 'We will win this');
    const b = short('b', 'AP', 'We will rebuild it');
    expect([...a.briefing.quotes, ...b.briefing.quotes].map((x) => x.speaker)).toEqual(['Maria Kovac', 'Maria Kovac']);
    expect(compareQuoteVersions([a, b])).toEqual([]);
  });
});

describe('quote differences, word by word', () => {
  const q = (text: string, kind: Quote['kind'] = 'direct'): Quote => ({ text, kind, sentence: 0 });

  it('reads contractions, curly apostrophes and case as the same words', () => {
    expect(quoteDifferences(q('We won’t go back.'), q("we will not go back"))).toEqual([]);
    expect(quoteDifferences(q("We don't know."), q('We do not know.'))).toEqual([]);
  });

  it('names an added negation, and a changed word as wording', () => {
    expect(quoteDifferences(q('We will go back.'), q('We will never go back.')).map((d) => d.kind)).toEqual(['negation']);
    expect(quoteDifferences(q('We will go back soon.'), q('We will go back later.')).map((d) => d.kind)).toEqual(['wording']);
  });

  it('does not call a partial quote a truncation, nor a bracketed insertion a misquote', () => {
    expect(quoteDifferences(q('We will defend every village with everything we have.'), q('defend every village', 'partial'))).toEqual([]);
    expect(quoteDifferences(q('We know they will attack again.'), q('We know [Russia] will attack again.'))).toEqual([]);
    expect(quoteDifferences(q('We will defend every village with everything we have.'), q('defend every village')).map((d) => d.kind)).toEqual(['truncation']);
  });
});
