/**
 * Stories: articles about one event grouped as they arrive, wire copies and reprints counted as
 * one report. Pure (no I/O), above the briefing engine, whose name finder it reuses.
 */
export { createStoryIndex, DEFAULT_STORY_OPTIONS, type Assignment, type Story, type StoryIndex, type StoryOptions, type StoryReport, type StoryState } from './story-index.js';
export { featuresOf, sketchOf, sketchSimilarity, wireOf, type StoryArticle } from './features.js';
export { groupArticles } from './group-articles.js';
export { storyArticleFromArticle } from './from-article.js';
