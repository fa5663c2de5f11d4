import type { Article } from '../articles/article.js';
import { buildDocument, createBriefing, type Briefing } from '../briefing/index.js';

/**
 * One outlet's report of an event, as the cross-outlet comparisons read it: the briefing, who
 * published it and when, and the article's sentences. The sentences are needed because a briefing
 * points at sentences by number but does not hold them, and what a figure measures and as of when
 * is written in its sentence ("as of Monday", "killed in the flooding"), not in its `what`.
 */
export interface OutletReport {
  briefing: Briefing;
  /** The outlet's name as the card shows it. */
  outlet: string;
  /** ISO 8601 date or date-time the outlet published it, when known. */
  published?: string;
  /** The article's sentences numbered as the engine numbered them: Briefing `sentence` fields index this. */
  sentences: readonly string[];
}

/** The site of an address, as a reader names it: "example.com" for https://www.example.com/a. */
function siteOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.replace(/^www\./, '') || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Who published a report: the article's outlet, else its byline's, else the site of its address;
 * an article with none of these is named by its id, so that two unnamed outlets are never taken
 * for one.
 */
function outletOf(briefing: Briefing, article: Article | undefined): string {
  return article?.outlet ?? briefing.byline.outlet ?? siteOf(article?.url ?? briefing.byline.url) ?? briefing.id;
}

/**
 * A report from an article, briefed by the real engine (or with the briefing already made for it,
 * which must be this article's). The outlet (see outletOf) and time fall back to the article's byline.
 */
export function reportOf(article: Article, briefing: Briefing = createBriefing(article)): OutletReport {
  if (briefing.id !== article.id) throw new Error(`reportOf: the briefing "${briefing.id}" is not of the article "${article.id}"`);
  const report: OutletReport = {
    briefing,
    outlet: outletOf(briefing, article),
    sentences: buildDocument(article).sentences.map((s) => s.text),
  };
  const published = article.published ?? briefing.byline.published;
  if (published !== undefined) report.published = published;
  return report;
}

/**
 * A report from a stored briefing and, when the store kept it, its article: the outlet (see
 * outletOf) and time from the article, else the byline. Without the article there are no sentences, so
 * its figures (which are read from their sentences) are left out; `sentences: false` skips reading
 * them even when there is an article, for a comparison that needs none (quote versions).
 */
export function storedReport(briefing: Briefing, article: Article | undefined, options: { sentences?: boolean } = {}): OutletReport {
  const read = article !== undefined && options.sentences !== false;
  const report: OutletReport = {
    briefing: read ? briefing : { ...briefing, figures: [] },
    outlet: outletOf(briefing, article),
    sentences: read ? buildDocument(article).sentences.map((s) => s.text) : [],
  };
  const published = article?.published ?? briefing.byline.published;
  if (published !== undefined) report.published = published;
  return report;
}

/** Milliseconds since the epoch of an ISO date or date-time, or undefined when it is missing or unreadable. */
export function timeOf(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Reports in the order the comparisons read them: earliest published first, undated last, ties in
 * the order given. Every choice downstream ("the earlier figure", "the first outlet to say it")
 * then depends only on the input, never on a sort's whims.
 */
export function inPublishedOrder<T extends { published?: string }>(reports: readonly T[]): T[] {
  return reports
    .map((r, i) => ({ r, i, t: timeOf(r.published) }))
    .sort((a, b) => (a.t ?? Infinity) - (b.t ?? Infinity) || a.i - b.i)
    .map((x) => x.r);
}
