import type { Figure, Quote } from '../briefing/index.js';
import { lineUpFigures, type FigureLine } from './figures-across.js';
import { mergeKeyPoints, type MergedPoint } from './merge-points.js';
import { inPublishedOrder, type OutletReport } from './outlet-report.js';
import { compareQuoteVersions, type QuoteGroup } from './quote-versions.js';
import type { Story, StoryState } from './story-index.js';

/**
 * The story card: what a story is, drawn from every outlet that reported it, as one model that
 * the chat renderers, the digest and the per-channel ledger all read. Pure: a story and its
 * outlets' reports in, the card out.
 *
 * Copies of one text (a wire story carried by four outlets) are compared once, through the
 * report that arrived first: four copies of one figure are one reading, not four outlets agreeing.
 * The coverage still counts every outlet that carried it.
 */

export interface SoloFigure {
  figure: Figure;
  outlet: string;
  briefingId: string;
  published?: string;
}

export interface SoloQuote {
  quote: Quote;
  outlet: string;
  briefingId: string;
  published?: string;
}

export interface CoverageReport {
  /** The outlets that carried this text, first to carry it first. */
  outlets: string[];
  articles: string[];
  /** The wire service the text credits, when it does. */
  wire?: string;
}

export interface StoryCoverage {
  outlets: string[];
  articles: number;
  /** Distinct texts: fewer than articles when copies were collapsed. */
  reports: CoverageReport[];
  first: { outlet: string; title: string; published?: string; briefingId: string };
  latest: { outlet: string; title: string; published?: string; briefingId: string };
}

export interface StoryCard {
  id: string;
  title: string;
  state: StoryState;
  firstSeen: string;
  lastSeen: string;
  tldr: MergedPoint;
  keyPoints: MergedPoint[];
  /** Every report of the story is filed as opinion by its outlet, so its TL;DR and points are writers' arguments. */
  opinionOnly?: true;
  /** Every report's TL;DR and key points, earliest report first: all a reader of the story could have read (its reporting: opinion pieces only when it has nothing else). */
  reportedPoints: Array<{ text: string; outlet: string; briefingId: string }>;
  /** Measures given by two outlets or more, lined up. */
  figures: FigureLine[];
  /** Figures one outlet alone gives. */
  soloFigures: SoloFigure[];
  /** Quotes printed by two outlets or more, version against version. */
  quotes: QuoteGroup[];
  /** Quotes one outlet alone printed (those with a named speaker). */
  soloQuotes: SoloQuote[];
  coverage: StoryCoverage;
}

/**
 * The card of a story from its reports (one per article the story holds that could be read; any
 * order). Throws when no report is given: a story always has an article.
 */
export function buildStoryCard(story: Story, reports: readonly OutletReport[]): StoryCard {
  const byId = new Map(reports.map((r) => [r.briefing.id, r]));
  // One report per distinct text: the first of its copies the story holds a reading of.
  const distinct: OutletReport[] = [];
  const coverageReports: CoverageReport[] = [];
  for (const copies of story.reports) {
    const readable = copies.articles.map((id) => byId.get(id)).filter((r): r is OutletReport => r !== undefined);
    if (readable.length > 0) distinct.push(readable[0]!);
    const entry: CoverageReport = { outlets: [...new Set(readable.map((r) => r.outlet))], articles: [...copies.articles] };
    if (copies.wire !== undefined) entry.wire = copies.wire;
    coverageReports.push(entry);
  }
  if (distinct.length === 0) throw new Error(`buildStoryCard: no report given for story "${story.id}"`);
  const ordered = inPublishedOrder(distinct);

  // The story's TL;DR and points come from its reporting; a column or editorial on it joins them
  // only when the story has nothing else (its figures and quotes still count below).
  const reporting = ordered.filter((r) => r.briefing.genre !== 'opinion');
  const opinionOnly = reporting.length === 0;
  const merged = mergeKeyPoints(opinionOnly ? ordered : reporting);
  const figures = lineUpFigures(ordered);
  const inLines = new Set(figures.flatMap((l) => l.readings.map((r) => r.figure)));
  const soloFigures: SoloFigure[] = [];
  const quotes = compareQuoteVersions(ordered);
  const inGroups = new Set(quotes.flatMap((g) => g.versions.map((v) => v.quote)));
  const soloQuotes: SoloQuote[] = [];
  for (const report of ordered) {
    const published = report.published === undefined ? {} : { published: report.published };
    for (const figure of report.briefing.figures) {
      if (!inLines.has(figure) && figure.what) soloFigures.push({ figure, outlet: report.outlet, briefingId: report.briefing.id, ...published });
    }
    for (const quote of report.briefing.quotes) {
      if (!inGroups.has(quote) && quote.speaker) soloQuotes.push({ quote, outlet: report.outlet, briefingId: report.briefing.id, ...published });
    }
  }

  const all = inPublishedOrder([...byId.values()]);
  const mark = (r: OutletReport) => ({ outlet: r.outlet, title: r.briefing.title, briefingId: r.briefing.id, ...(r.published === undefined ? {} : { published: r.published }) });
  return {
    id: story.id,
    title: story.title,
    state: story.state,
    firstSeen: story.firstSeen,
    lastSeen: story.lastSeen,
    tldr: merged.tldr,
    keyPoints: merged.keyPoints,
    ...(opinionOnly ? { opinionOnly: true as const } : {}),
    // What a channel is told as news comes from the reporting too: a column's argument is not news.
    reportedPoints: (opinionOnly ? ordered : reporting).flatMap((r) => [r.briefing.tldr, ...r.briefing.keyPoints.map((k) => k.text)].map((text) => ({ text, outlet: r.outlet, briefingId: r.briefing.id }))),
    figures,
    soloFigures,
    quotes,
    soloQuotes,
    coverage: {
      outlets: [...new Set(all.map((r) => r.outlet))],
      articles: story.articles.length,
      reports: coverageReports,
      first: mark(all[0]!),
      latest: mark(all[all.length - 1]!),
    },
  };
}
