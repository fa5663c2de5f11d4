import { describe, expect, it } from 'vitest';
import { readPlainText } from '../../src/articles/index.js';
import { createBriefing } from '../../src/briefing/index.js';
import { briefingCard } from '../../src/commands/present.js';

/** The card shows the TL;DR once: the key point it is taken from is not repeated below it. */

const long =
  'In a sharp change of course after three dry summers, the regional water authority approved a plan to build two reservoirs, a desalination plant and 140 kilometres of new pipes over the next decade, at a cost the authority puts at 3.1 billion euros and its critics at more than 5 billion euros.';

describe('the briefing card', () => {
  it('does not repeat the TL;DR as a key point, even when the TL;DR left an opener out to fit one line', () => {
    const b = createBriefing(
      readPlainText(`Water plan approved\n\n${long}\n\nFarmers in the south welcomed the plan, which will guarantee water for irrigation in dry years.\n\nEnvironmental groups said the desalination plant would harm the coast and promised to fight it in court.\n\nConstruction of the first reservoir is due to start in the spring of next year.`),
    );
    expect(b.tldr).toBe(long.replace('In a sharp change of course after three dry summers, t', 'T'));
    expect(b.keyPoints.map((k) => k.text)).toContain(long);
    const points = briefingCard(b, 'short').sections.find((s) => s.heading === 'Key points')?.items ?? [];
    expect(points).not.toContain(long);
    expect(points.length).toBe(b.keyPoints.length - 1);
  });
});
