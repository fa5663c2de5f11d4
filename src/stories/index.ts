/**
 * Stories: articles about one event grouped as they arrive, wire copies and reprints counted as
 * one report. Pure (no I/O), above the briefing engine, whose name finder it reuses.
 */
export { createStoryIndex, DEFAULT_STORY_OPTIONS, type Assignment, type Story, type StoryIndex, type StoryOptions, type StoryReport, type StoryState } from './story-index.js';
export { featuresOf, sketchOf, sketchSimilarity, wireOf, type StoryArticle } from './features.js';
export { groupArticles } from './group-articles.js';
export { storyArticleFromArticle } from './from-article.js';
export { buildStoryCard, type StoryCard, type StoryCoverage, type SoloFigure, type SoloQuote } from './story-card.js';
export { factsOf, newsFor, figureKey, type StoryNews, type FigureChange } from './story-news.js';
export { createStoryBook, type StoryBook, type StoryBookOptions, type StorySearch } from './story-book.js';
export { reportOf, type OutletReport } from './outlet-report.js';
export { lineUpFigures, type FigureLine, type FigureReading } from './figures-across.js';
export { compareQuoteVersions, type QuoteGroup, type QuoteVersion } from './quote-versions.js';
export { mergeKeyPoints, type MergedPoint } from './merge-points.js';
