/**
 * For the eval tools (tools/eval/); not a public API. The summarizer's weights are fitted outside
 * the engine (tools/eval/fit-summarizer.ts), which needs the steps that createBriefing runs in one
 * go: the article's document, each sentence's stance, the key-point candidates with their
 * features, and the scoring and selection under weights other than DEFAULT_WEIGHTS.
 *
 * This file lists exactly what the tools use, so that the engine's inner modules can be reshaped
 * freely as long as these names keep working; the product's code uses ./index.js. A lint rule
 * (eslint.config.js, files tools/**) lets the tools import src/briefing only through index.js and
 * this file.
 */
export { buildDocument } from './document.js';
export { classifyAll } from './stance.js';
export { FEATURE_NAMES, scoreFeatures, selectKeyPoints, sentenceCandidates, type Features, type SentenceCandidate } from './summarize.js';
