import { z } from 'zod';

/** A briefing has at most this many key points. */
export const MAX_KEY_POINTS = 5;

/** A sentence of the article that a briefing points back to. `sentence` indexes Briefing.sentences order (0-based). */
const SentenceRef = z.number().int().nonnegative();

export const KeyPointSchema = z.object({
  text: z.string().min(1),
  sentence: SentenceRef,
});
export type KeyPoint = z.infer<typeof KeyPointSchema>;

export const FigureSchema = z.object({
  /** The figure as written in the article: "6,000", "more than 4,000", "two-thirds", "$1.2 billion". */
  value: z.string(),
  /** The number it stands for (a percentage as 40, a fraction as 0.667). */
  quantity: z.number(),
  unit: z.string().optional(),
  /** What it counts: "North Korean engineers", "settlements". */
  what: z.string(),
  sentence: SentenceRef,
  /** Who asserts the figure, when the article says. */
  attributedTo: z.string().optional(),
  /** A hedge the article attaches: "estimated", "claimed", "more than", "about", "reportedly". */
  hedge: z.string().optional(),
});
export type Figure = z.infer<typeof FigureSchema>;

export const ConflictSchema = z.object({
  /** What the disagreeing figures are about. */
  about: z.string(),
  /** Indexes into Briefing.figures. */
  figures: z.array(z.number().int().nonnegative()).min(2),
  note: z.string(),
});
export type Conflict = z.infer<typeof ConflictSchema>;

export const QuoteSchema = z.object({
  /** The words inside the quotation marks, verbatim (a quote spanning sentences stays whole). */
  text: z.string().min(1),
  /**
   * `direct`: whole sentences in quotation marks; `partial`: quoted words inside the article's
   * own sentence ("pledged \"unconditional support\""). Both are verbatim.
   */
  kind: z.enum(['direct', 'partial']),
  /** The named person (or body) the article gives the words to; pronouns are resolved. */
  speaker: z.string().optional(),
  role: z.string().optional(),
  /** How the article describes a speaker it does not name ("a senior campaign aide"): set only when there is no `speaker`. */
  source: z.string().optional(),
  /** The first sentence the quote appears in. */
  sentence: SentenceRef,
});
export type Quote = z.infer<typeof QuoteSchema>;

export const SetAsideSchema = z.object({
  text: z.string(),
  /** Why it was kept out of the summary: "opinion", "call to action", "video promo", "source list"... */
  reason: z.string(),
  sentence: SentenceRef.optional(),
});
export type SetAside = z.infer<typeof SetAsideSchema>;

export const BylineSchema = z.object({
  author: z.string().optional(),
  published: z.string().optional(),
  outlet: z.string().optional(),
  url: z.string().optional(),
});

export const BriefingSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  byline: BylineSchema,
  /** One sentence of the article, at most 280 characters. */
  tldr: z.string().max(280),
  /** The sentence the TL;DR is taken from (its key point, if it is one, is not shown twice). */
  tldrSentence: SentenceRef.optional(),
  /** Sentences of the article in article order. */
  keyPoints: z.array(KeyPointSchema).max(MAX_KEY_POINTS),
  figures: z.array(FigureSchema),
  conflicts: z.array(ConflictSchema),
  quotes: z.array(QuoteSchema),
  opinion: z.array(SetAsideSchema),
  boilerplate: z.array(SetAsideSchema),
  /** The publisher's own bullets, shown apart and never used as our summary. */
  highlights: z.array(z.string()),
  /** The page's standfirst (dek) under the headline: the publisher's pitch, shown apart, never a key point. */
  standfirst: z.string().optional(),
  people: z.array(z.string()),
  places: z.array(z.string()),
  organizations: z.array(z.string()),
  tags: z.array(z.string()),
  /** "opinion" when the outlet files the article as opinion (a column, an editorial, an op-ed): its points are the writer's argument. */
  genre: z.literal('opinion').optional(),
  wordCount: z.number().int().nonnegative(),
  readingMinutes: z.number().int().positive(),
});
export type Briefing = z.infer<typeof BriefingSchema>;

export interface BriefingOptions {
  /** Fix the number of key points (1 to 5), for like-for-like evaluation. */
  points?: number;
}
