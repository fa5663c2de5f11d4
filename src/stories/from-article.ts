import { articleText, type Article } from '../articles/article.js';
import type { StoryArticle } from './features.js';

/** An article as the readers produce it, as story grouping takes it (the body as plain text). */
export function storyArticleFromArticle(article: Article): StoryArticle {
  return {
    id: article.id,
    title: article.title || null,
    text: articleText(article),
    published: article.published ?? null,
    outlet: article.outlet ?? null,
    url: article.url ?? null,
  };
}
