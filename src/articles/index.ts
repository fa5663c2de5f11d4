export * from './article.js';
export { readPlainText, type PlainTextMeta } from './read-plain-text.js';
export { readMarkdown } from './read-markdown.js';
export { articleFromRecord, parseJsonlLine, idOfLine, ArticleRecordSchema, type ArticleRecord } from './read-jsonl.js';
export { loadArticleFile, readArticleText, decodeArticleBytes, MAX_ARTICLE_BYTES, formatBytes } from './load-article.js';
export { slugify, shortHash } from './slug.js';
