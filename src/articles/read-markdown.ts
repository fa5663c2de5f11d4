import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BriefbotError } from '../errors.js';
import type { Article, Block } from './article.js';
import { slugify } from './slug.js';
import { titleFromBody } from './read-plain-text.js';

/**
 * Markdown with YAML front matter, the canonical format of `briefings/`:
 *
 *     ---
 *     title: ...
 *     author: ...
 *     published: 2025-11-17
 *     url: https://...
 *     outlet: ...
 *     tags: [a, b]
 *     ---
 *     Body paragraphs; `## Subheadings`; a bullet list before the first paragraph holds the
 *     publisher's highlights.
 */

const FrontMatterSchema = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    title: z.string().optional(),
    author: z.union([z.string(), z.array(z.string())]).optional(),
    published: z.union([z.string(), z.date(), z.number()]).optional(),
    date: z.union([z.string(), z.date(), z.number()]).optional(),
    url: z.string().optional(),
    outlet: z.string().optional(),
    tags: z.union([z.array(z.union([z.string(), z.number()])), z.string()]).optional(),
    highlights: z.array(z.string()).optional(),
  })
  .passthrough();

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)\s*(?:\r?\n|$)/;

export function hasFrontMatter(text: string): boolean {
  return FRONT_MATTER.test(text);
}

function dateString(value: string | Date | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().replace(/T00:00:00\.000Z$/, '');
  return String(value);
}

/** Markdown inline syntax to plain text: links keep their words, images and code marks go. */
export function stripInlineMarkdown(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[\s(])[*_](?=\S)([^*_]*?\S)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function markdownBlocks(body: string): { blocks: Block[]; highlights: string[]; h1?: string } {
  const blocks: Block[] = [];
  const highlights: string[] = [];
  let h1: string | undefined;
  let paragraph: string[] = [];
  let inFence = false;
  let listBeforeBody = true;
  const flush = (): void => {
    const text = stripInlineMarkdown(paragraph.join(' '));
    if (text) blocks.push({ kind: 'paragraph', text });
    paragraph = [];
  };
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (/^\s*(```|~~~)/.test(line)) {
      flush();
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    if (!line.trim()) {
      flush();
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const text = stripInlineMarkdown(heading[2] ?? '');
      if (heading[1] === '#' && h1 === undefined && blocks.length === 0) h1 = text;
      else if (text) blocks.push({ kind: 'heading', text });
      continue;
    }
    if (/^\s{0,3}(?:[-*_]\s*){3,}$/.test(line)) {
      flush();
      continue;
    }
    const item = /^\s*(?:[-*+•]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      flush();
      const text = stripInlineMarkdown(item[1] ?? '');
      if (!text) continue;
      if (listBeforeBody && blocks.length === 0) highlights.push(text);
      else blocks.push({ kind: 'paragraph', text });
      continue;
    }
    if (highlights.length === 0 || blocks.length > 0 || paragraph.length > 0) listBeforeBody = false;
    paragraph.push(line.replace(/^\s*>\s?/, ''));
  }
  flush();
  return { blocks, highlights, ...(h1 !== undefined ? { h1 } : {}) };
}

export function readMarkdown(text: string, fallbackId?: string): Article {
  const match = FRONT_MATTER.exec(text);
  let meta: z.infer<typeof FrontMatterSchema> = {};
  let body = text;
  if (match) {
    let parsed: unknown;
    try {
      // 'error', not 'silent': warnings (an unknown tag such as `!custom`) would go to stderr as several lines per file, while errors must still throw.
      parsed = parseYaml(match[1] ?? '', { logLevel: 'error' }) ?? {};
    } catch (error) {
      throw new BriefbotError('bad-front-matter', `front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    const result = FrontMatterSchema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new BriefbotError('bad-front-matter', `front matter field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
    }
    meta = result.data;
    body = text.slice(match[0].length);
  }
  const { blocks, highlights, h1 } = markdownBlocks(body);
  const title = meta.title?.trim() || h1 || titleFromBody(blocks);
  const tags = typeof meta.tags === 'string' ? meta.tags.split(',') : (meta.tags ?? []).map(String);
  const article: Article = {
    id: meta.id !== undefined ? slugify(String(meta.id)) : (fallbackId ?? slugify(title)),
    title,
    tags: tags.map((t) => t.trim()).filter(Boolean),
    highlights: meta.highlights ?? highlights,
    blocks,
  };
  const author = Array.isArray(meta.author) ? meta.author.join(', ') : meta.author;
  if (author) article.author = author;
  const published = dateString(meta.published ?? meta.date);
  if (published) article.published = published;
  if (meta.url) article.url = meta.url;
  if (meta.outlet) article.outlet = meta.outlet;
  return article;
}
