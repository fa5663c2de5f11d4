/**
 * A ROUGE scorer that reproduces official ROUGE-1.5.5 run with `-n 2 -m` (see score.ts).
 * Numbers from this scorer are comparable with papers that used ROUGE-1.5.5; numbers from other
 * scorers (Google's rouge-score, py-rouge, ...) are not.
 */
export {
  scoreRouge,
  scoreRougeMulti,
  rougeCounts,
  scoreFromCounts,
  meanRouge,
  type RougeScore,
  type RougeScores,
  type RougeCounts,
  type RougeCountsByMetric,
  type RougeOptions,
  type Sentences,
} from './score.js';
export { tokenize, splitLines } from './tokenize.js';
export { stem, wordnetExceptions, parseExceptionTable, type StemOptions } from './stem.js';
export { porterStem } from './porter.js';
