import type { Article } from '../articles/article.js';

/**
 * Whether the outlet files an article as opinion (a column, an editorial, an op-ed, a letter),
 * by what the page or feed says of it: a section or tag ("Opinion", "Op-Ed", "Editorials"), or a
 * segment of its address (/opinion/, /commentisfree/). A reader of its briefing is told that its
 * points are the writer's argument. The prose alone is not enough to tell: news quotes people
 * arguing, and a column reports facts.
 */

const OPINION_SECTION =
  /^(?:opinions?|op-?eds?|editorials?|commentary|comment|commentisfree|columns?|columnists?|letters?(?: to the editor)?|viewpoints?|opinion (?:&|and) (?:analysis|commentary))$/i;

function pathSegments(url: string | undefined): string[] {
  if (!url) return [];
  try {
    return new URL(url).pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  } catch {
    return [];
  }
}

export function isOpinionPiece(article: Pick<Article, 'tags' | 'url'>): boolean {
  if (article.tags.some((tag) => OPINION_SECTION.test(tag.trim()))) return true;
  // Only the address's folders count, not its last segment (the article's own slug may say "opinion").
  return pathSegments(article.url).slice(0, -1).some((segment) => OPINION_SECTION.test(segment));
}
