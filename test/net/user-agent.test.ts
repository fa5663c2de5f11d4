import { describe, expect, it } from 'vitest';
import { briefbotUserAgent } from '../../src/net/user-agent.js';
import { VERSION } from '../../src/version.js';

describe('briefbotUserAgent (unit)', () => {
  it('names briefbot, its version and where to find out more; never a browser', () => {
    expect(briefbotUserAgent('https://example.org/briefbot', '1.2.3')).toBe('briefbot/1.2.3 (+https://example.org/briefbot)');
    expect(briefbotUserAgent()).toMatch(new RegExp(`^briefbot/${VERSION.replace(/\./g, '\\.')}( \\(\\+https?://\\S+\\))?$`));
    expect(briefbotUserAgent()).not.toMatch(/Mozilla|Chrome|Safari/);
  });
});
