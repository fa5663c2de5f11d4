import type { StoryArticle } from './features.js';
import { createStoryIndex, type StoryIndex, type StoryOptions } from './story-index.js';

/**
 * Groups a batch of articles, in the order given (their order of arrival), with a fresh index:
 * what `briefbot stories --jsonl` and `npm run eval -- stories` both run, so the two cannot disagree.
 * Returns each article's story id in input order (the story it is in once all have arrived, since
 * a later article can bridge two stories into one), and the index for a look at the stories.
 */
export function groupArticles(articles: Iterable<StoryArticle>, options: Partial<StoryOptions> = {}): { assignments: { id: string; story: string }[]; index: StoryIndex } {
  const index = createStoryIndex(options);
  const ids: string[] = [];
  for (const article of articles) ids.push(index.add(article).article);
  return { assignments: ids.map((id) => ({ id, story: index.storyOf(id)! })), index };
}
