import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readArticleText } from '../../../src/articles/index.js';
import { BriefingSchema, createBriefing, listSentences, type Briefing } from '../../../src/briefing/index.js';

/**
 * The acceptance list of the engine issue, on the article the project started from. Nothing in
 * the engine knows this article: these assertions hold because the general rules do.
 */
const path = new URL('../../../briefings/000_85307bba339e5121.txt', import.meta.url);
const article = readArticleText(readFileSync(path, 'utf8'), 'seed.txt');
const briefing: Briefing = createBriefing(article);

const quoteBy = (speaker: string) => briefing.quotes.filter((q) => q.speaker === speaker);

describe('the seed article', () => {
  it('validates against the exported schema', () => {
    expect(() => BriefingSchema.parse(briefing)).not.toThrow();
  });

  it('reads the layout: headline, byline, date, highlights, subheading', () => {
    expect(briefing.title).toBe('North Korea deploys 6,000 engineers to Kursk as military alliance with Russia escalates');
    expect(briefing.byline).toMatchObject({ author: 'kevinhughes', published: '2025-11-17' });
    expect(briefing.highlights).toHaveLength(5);
    expect(article.blocks.filter((b) => b.kind === 'heading').map((b) => b.text)).toEqual(['Russia-North Korea arms trade threatens global security']);
  });

  it('does not split "Lt. Gen. Kyrylo Budanov" or "BrightU.AI"', () => {
    const sentences = listSentences(article);
    expect(sentences.filter((s) => s.includes('Lt. Gen. Kyrylo Budanov, confirmed'))).toHaveLength(1);
    expect(sentences.some((s) => /^(Gen\.|Kyrylo|AI\b)/.test(s))).toBe(false);
    expect(sentences.filter((s) => s.includes('at BrightU.AI, the Russia-North Korea arms trade'))).toHaveLength(1);
  });

  it('finds the six real quotes with their speakers', () => {
    expect(briefing.quotes).toHaveLength(6);
    expect(quoteBy('Kim Jong Un').map((q) => q.text)).toEqual(['unconditional support', 'advance non-stop']);
    expect(quoteBy('Veles').map((q) => q.text)).toEqual(["They're great lads, they learn quickly, listen attentively and take notes."]);
    expect(quoteBy('Lesnik').map((q) => q.text)).toEqual(['They are on an equal level with my sappers, carrying out the same tasks as my guys.']);
  });

  it('keeps multi-sentence quotes whole', () => {
    expect(quoteBy('Volodymyr Zelensky').map((q) => q.text)).toEqual(['their losses are more than 4,000. I think two-thirds have died.']);
    expect(quoteBy('Dmitry Peskov').map((q) => q.text)).toEqual([
      'We will never forget this help. This work continues. It is dangerous and difficult, but our Korean friends are truly helping us, and we greatly appreciate it.',
    ]);
  });

  it('never reports the call signs as quotes', () => {
    expect(briefing.quotes.map((q) => q.text)).not.toContain('Veles');
    expect(briefing.quotes.map((q) => q.text)).not.toContain('Lesnik');
  });

  it('keeps opinion, promos, the subheading and the source list out of the key points and TL;DR', () => {
    const summary = [briefing.tldr, ...briefing.keyPoints.map((k) => k.text)].join('\n');
    expect(briefing.keyPoints.length).toBeGreaterThanOrEqual(3);
    expect(briefing.keyPoints.length).toBeLessThanOrEqual(5);
    for (const banned of ['must continue to pressure', 'most alarming', 'critical challenge', 'Watch the video', 'This video is from', 'Sources include', 'arms trade threatens global security']) {
      expect(summary).not.toContain(banned);
    }
    expect(briefing.opinion.map((o) => o.text).join('\n')).toContain('must continue to pressure');
    expect(briefing.boilerplate.map((b) => b.reason)).toEqual(expect.arrayContaining(['video promo', 'source list']));
  });

  it('lists the key figures with what they count and their hedges', () => {
    const find = (value: string, what: RegExp) => briefing.figures.find((f) => f.value === value && what.test(f.what));
    expect(find('6,000', /engineers/)).toMatchObject({ quantity: 6000 });
    expect(find('10,000', /troops/)).toMatchObject({ quantity: 10000, hedge: expect.stringContaining('more than') });
    expect(find('12 million', /shells/)).toMatchObject({ quantity: 12_000_000 });
    expect(find('37 of 64', /settlements/)).toBeDefined();
    expect(find('4,000', /losses/)).toMatchObject({ attributedTo: 'Volodymyr Zelensky' });
  });

  it('flags the disagreeing troop and casualty figures', () => {
    const about = (value: string) => briefing.figures.findIndex((f) => f.value === value && f.unit !== 'fraction');
    const groups = briefing.conflicts.map((c) => c.figures.map((i) => briefing.figures[i]!.value).sort());
    expect(groups).toEqual(expect.arrayContaining([expect.arrayContaining(['10,000', '12,000']), expect.arrayContaining(['4,000', '6,000'])]));
    expect(about('12,000')).toBeGreaterThanOrEqual(0);
  });

  it('is deterministic', () => {
    expect(createBriefing(article)).toEqual(briefing);
  });
});
