import { z } from 'zod';

/** One block of an article's body, in reading order. */
export const BlockSchema = z.object({
  kind: z.enum(['paragraph', 'heading']),
  text: z.string(),
});
export type Block = z.infer<typeof BlockSchema>;

export const ArticleFormatSchema = z.enum(['plain-text', 'markdown', 'jsonl', 'html', 'feed']);
export type ArticleFormat = z.infer<typeof ArticleFormatSchema>;

/**
 * An article as every reader produces it: metadata, the publisher's own highlights kept apart,
 * and the body as paragraphs and subheadings. Nothing here is interpreted yet; the briefing
 * module does that.
 */
export const ArticleSchema = z.object({
  /** A stable slug: from the file name, the record's id, or the title. */
  id: z.string().min(1).max(120),
  title: z.string(),
  author: z.string().optional(),
  /** ISO 8601 date or date-time, as the source gave it. */
  published: z.string().optional(),
  url: z.string().optional(),
  outlet: z.string().optional(),
  tags: z.array(z.string()).default([]),
  /** The publisher's own bullet points shown before the body; never used as our summary. */
  highlights: z.array(z.string()).default([]),
  /** The page's standfirst (dek): the publisher's one-paragraph pitch under the headline, kept apart from the body like the highlights. */
  standfirst: z.string().optional(),
  blocks: z.array(BlockSchema),
  /** Where the article came from, for messages and re-reading. */
  source: z
    .object({
      format: ArticleFormatSchema,
      path: z.string().optional(),
    })
    .optional(),
});
export type Article = z.infer<typeof ArticleSchema>;
export type ArticleInput = z.input<typeof ArticleSchema>;

/** The body as text: its paragraphs and subheadings in reading order, separated by a blank line. */
export function articleText(article: Pick<Article, 'blocks'>): string {
  return article.blocks.map((b) => b.text).join('\n\n');
}
