import { describe, expect, it } from 'vitest';
import { BriefingSchema, createBriefing } from '../../../src/briefing/index.js';
import { briefingCard } from '../../../src/commands/present.js';
import { articleFromHtml } from '../../../src/ingest/extract-html.js';

/** A page's standfirst is the publisher's pitch: kept and shown apart, never one of our points. */

const page = `<!doctype html><html><head><title>Bridge reopens | Example Gazette</title>
<meta property="og:site_name" content="Example Gazette"></head><body><article>
<h1>Bridge reopens</h1>
<p class="standfirst">After a year of repairs, drivers can once again cross the river in minutes instead of an hour.</p>
<div class="byline">By Jo Reyes</div>
<p>The old town bridge reopened to traffic on Monday after a year of repairs that cost the city 14 million euros.</p>
<p>About 20,000 cars crossed the bridge every day before it closed, according to the city's transport office.</p>
<p>The repairs replaced the bridge's steel cables and its road surface, and added a lane for bicycles.</p>
<p>The mayor said the city would inspect the bridge every six months from now on.</p>
</article></body></html>`;

describe('the standfirst', () => {
  const briefing = BriefingSchema.parse(createBriefing(articleFromHtml(page, 'https://gazette.example/bridge').article));

  it('is kept apart in the briefing and is never a key point or the TL;DR', () => {
    expect(briefing.standfirst).toBe('After a year of repairs, drivers can once again cross the river in minutes instead of an hour.');
    for (const text of [briefing.tldr, ...briefing.keyPoints.map((k) => k.text)]) expect(text).not.toContain('drivers can once again');
  });

  it('is shown under its own heading in the full card', () => {
    const section = briefingCard(briefing, 'full').sections.find((s) => s.heading?.includes('standfirst'));
    expect(section?.items).toEqual([briefing.standfirst]);
  });
});
