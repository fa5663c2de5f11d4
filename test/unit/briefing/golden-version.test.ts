import { describe, expect, it } from 'vitest';
import { goldenVersionFile, goldenVersionProblem } from '../../helpers/golden-version.js';

describe('the golden engine-version rule', () => {
  it('accepts unchanged output under the same version', () => {
    expect(goldenVersionProblem({ changed: [], accepted: 3, current: 3 })).toBeUndefined();
  });

  it('refuses changed output when ENGINE_VERSION was not bumped, naming what changed and what to do', () => {
    const problem = goldenVersionProblem({ changed: ['rail-strike', 'seed-000'], accepted: 3, current: 3 });
    expect(problem).toContain('rail-strike, seed-000');
    expect(problem).toContain('ENGINE_VERSION is still 3');
    expect(problem).toContain('src/briefing/version.ts');
    expect(problem).toContain('-u');
  });

  it('accepts changed output once ENGINE_VERSION is above the accepted one', () => {
    expect(goldenVersionProblem({ changed: ['rail-strike'], accepted: 3, current: 4 })).toBeUndefined();
  });

  it('refuses an ENGINE_VERSION below the accepted one, changed output or not', () => {
    expect(goldenVersionProblem({ changed: [], accepted: 4, current: 3 })).toMatch(/never goes down/);
    expect(goldenVersionProblem({ changed: ['x'], accepted: 4, current: 3 })).toMatch(/never goes down/);
  });

  it('writes the record the golden test reads back', () => {
    expect(JSON.parse(goldenVersionFile(7))).toEqual({ engineVersion: 7 });
  });
});
