import type { Briefing, Figure, Quote } from '../briefing/index.js';
import type { BriefingChanges } from './library.js';

/**
 * What changed between two briefings of the same article: the headline, the TL;DR, figures
 * (a figure about the same thing with a new value is a change, not a removal and an addition),
 * quotes and key points. Worked out from the briefings alone, so the engine stays as it is and
 * every way in (folder, feed, link) describes an edit the same way. Data only: the words a
 * reader sees for it are the command layer's (describeChanges in src/commands/present.ts).
 */

function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[“”„"]/g, '"')
    .replace(/[‘’']/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

export function figureText(figure: Pick<Figure, 'value' | 'what'>): string {
  return `${figure.value} ${figure.what}`.trim();
}

function quoteOf(quote: Quote): { text: string; speaker?: string } {
  return quote.speaker ? { text: quote.text, speaker: quote.speaker } : { text: quote.text };
}

export function diffBriefings(before: Briefing, after: Briefing): BriefingChanges {
  const changes: BriefingChanges = {
    figuresChanged: [],
    figuresAdded: [],
    figuresRemoved: [],
    quotesAdded: [],
    quotesRemoved: [],
    keyPointsAdded: [],
  };
  if (fold(before.title) !== fold(after.title)) changes.headline = { before: before.title, after: after.title };
  if (fold(before.tldr) !== fold(after.tldr)) changes.tldr = { before: before.tldr, after: after.tldr };

  const beforeFigures = new Set(before.figures.map((f) => fold(figureText(f))));
  const afterFigures = new Set(after.figures.map((f) => fold(figureText(f))));
  const removed = before.figures.filter((f) => !afterFigures.has(fold(figureText(f))));
  const added = after.figures.filter((f) => !beforeFigures.has(fold(figureText(f))));
  for (const figure of added) {
    const was = removed.findIndex((r) => fold(r.what) === fold(figure.what) && fold(r.value) !== fold(figure.value));
    if (was >= 0) {
      changes.figuresChanged.push({ before: figureText(removed[was]!), after: figureText(figure) });
      removed.splice(was, 1);
    } else {
      changes.figuresAdded.push(figureText(figure));
    }
  }
  changes.figuresRemoved = [...new Set(removed.map(figureText))];
  changes.figuresAdded = [...new Set(changes.figuresAdded)];

  const beforeQuotes = new Set(before.quotes.map((q) => fold(q.text)));
  const afterQuotes = new Set(after.quotes.map((q) => fold(q.text)));
  changes.quotesAdded = after.quotes.filter((q) => !beforeQuotes.has(fold(q.text))).map(quoteOf);
  changes.quotesRemoved = before.quotes.filter((q) => !afterQuotes.has(fold(q.text))).map(quoteOf);

  const beforePoints = new Set(before.keyPoints.map((k) => fold(k.text)));
  changes.keyPointsAdded = after.keyPoints.filter((k) => !beforePoints.has(fold(k.text))).map((k) => k.text);
  if (before.wordCount !== after.wordCount) changes.wordCount = { before: before.wordCount, after: after.wordCount };
  return changes;
}

/** Whether anything a reader would notice changed (headline, TL;DR, figures, quotes, key points). */
export function isNoticeable(changes: BriefingChanges): boolean {
  return Boolean(
    changes.headline ||
      changes.tldr ||
      changes.figuresChanged.length ||
      changes.figuresAdded.length ||
      changes.figuresRemoved.length ||
      changes.quotesAdded.length ||
      changes.quotesRemoved.length ||
      changes.keyPointsAdded.length,
  );
}
