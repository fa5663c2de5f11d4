import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../../src/articles/index.js';
import { createAttribution } from '../../../src/briefing/attribution.js';
import { buildDocument } from '../../../src/briefing/document.js';
import { findEntities } from '../../../src/briefing/entities.js';
import { extractQuotes } from '../../../src/briefing/quotes.js';

/**
 * The attribution module's own API, on short articles written for these tests: who said a quote,
 * and who asserts a figure outside quotation marks.
 */

function read(text: string) {
  const doc = buildDocument(readPlainText(text));
  const entities = findEntities(doc);
  const attribution = createAttribution(doc, entities);
  const quotes = extractQuotes(doc, attribution);
  const at = (needle: string) => {
    const sentence = doc.sentences.find((s) => s.text.includes(needle))!;
    const offset = doc.paragraphs[sentence.paragraph]!.text.indexOf(needle);
    const asserter = attribution.asserterAt(sentence, offset);
    return asserter?.name ?? asserter?.description;
  };
  return { quotes, at };
}

describe('asserterAt: who asserts a figure', () => {
  const article = `Budget vote

Finance Minister Laura Petit said on Monday that the deficit would fall to 2 percent next year.

The plan cuts 400 jobs, according to the finance ministry.

Opponents estimate 900 jobs will go, while the ministry says about 400 will.

"We will spend 12 billion on schools," Petit told reporters.

She added that 30 schools would be rebuilt.`;
  const { at } = read(article);

  it('is the subject of the speech verb before the figure', () => {
    expect(at('2 percent')).toBe('Laura Petit');
  });

  it('is the source after "according to", as the article describes it when it gives no name', () => {
    expect(at('400 jobs')).toBe('the finance ministry');
  });

  it('is the speaker of the quote the figure stands in', () => {
    expect(at('12 billion')).toBe('Laura Petit');
  });

  it('resolves a pronoun to the person named before', () => {
    expect(at('30 schools')).toBe('Laura Petit');
  });

  it('takes the verb of the figure\'s own clause', () => {
    expect(at('about 400')).toBe('the ministry');
  });
});

describe('asserterAt: bodies and documents the article describes', () => {
  const article = `Flood toll

The regional health office said 40 people died in the flooding.

The firm lost $2 million, according to a civil complaint filed by the regulator on Monday.`;
  const { at } = read(article);

  it('is a description of several words before the verb', () => {
    expect(at('40 people')).toBe('the regional health office');
  });

  it('ends a description where a participle opens a clause of its own', () => {
    expect(at('$2 million')).toBe('a civil complaint');
  });
});
