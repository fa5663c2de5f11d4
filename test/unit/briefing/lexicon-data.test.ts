/**
 * The engine's lexicon is a snapshot of compromise's (src/briefing/lexicon-data.json): it must be
 * exactly what the installed compromise holds, or `npm run lexicon` is due (and, if briefings
 * change, an ENGINE_VERSION bump). Then the lookup itself, on words chosen for it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lexiconSnapshot } from '../../../scripts/lexicon-snapshot.js';
import { isCommonWord, isFemaleName, isMaleName, isPlaceWord, lexiconTags } from '../../../src/briefing/lexicon.js';
import { ROOT } from '../../helpers/run-cli.js';

describe('the lexicon snapshot', () => {
  it('is exactly what the installed compromise holds (else: npm run lexicon)', async () => {
    const committed = readFileSync(join(ROOT, 'src', 'briefing', 'lexicon-data.json'), 'utf8');
    const current = await lexiconSnapshot();
    expect(committed === current, 'src/briefing/lexicon-data.json differs from the installed compromise: run npm run lexicon').toBe(true);
  });
});

describe('lexiconTags', () => {
  it('finds a word in any case, with every tag it has', () => {
    expect(lexiconTags('John')).toContain('MaleName');
    expect(lexiconTags('JOHN')).toEqual(lexiconTags('john'));
    expect(isFemaleName('Mary')).toBe(true);
    expect(isMaleName('Mary')).toBe(false);
    expect(isPlaceWord('Pyongyang')).toBe(true);
  });

  it('knows nothing of a word it does not hold, including the names of an object\'s own methods', () => {
    for (const word of ['zzyzxq', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(lexiconTags(word), word).toEqual([]);
    expect(isCommonWord('The')).toBe(true);
    expect(isCommonWord('Pyongyang')).toBe(false);
  });
});
