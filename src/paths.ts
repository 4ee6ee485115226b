import path from 'node:path';

/**
 * The project folder. This file sits one level below it in both `src/` (run by
 * tsx) and `dist/` (compiled), so the answer is the same either way.
 */
export const projectRoot = path.resolve(__dirname, '..');

/** Git-ignored folder for downloaded jars, broker data and logs. */
export const cacheDir = path.join(projectRoot, '.cache');

/** Where users drop their Online Retail download. */
export const datasetDir = path.join(projectRoot, 'dataset');
