import { describe, expect, it } from 'vitest';
import { figureKey } from '../../src/stories/story-news.js';

/**
 * The ledger's keys are stored: a channel is told a fact again when its key changes. These are the
 * keys as released; a change here needs a migration of the stored keys.
 */
describe('ledger keys', () => {
  it('fold case and accents, and make every run of other characters one space', () => {
    expect(figureKey("People's homes", undefined)).toBe('figure:people s homes|');
    expect(figureKey('Écoles fermées', 'km²')).toBe('figure:ecoles fermees|km2');
    expect(figureKey("  O'Brien’s  troops ", 'USD')).toBe('figure:o brien s troops|usd');
  });
});
