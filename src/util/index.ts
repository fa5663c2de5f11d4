// What of src/util/ is used outside the product (the dev tools): the progress reporter.
export { createProgress, progressCallback, NO_PROGRESS, type Progress, type ProgressFactory, type ProgressOptions } from './progress.js';
