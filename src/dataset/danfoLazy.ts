import type * as DanfoEngine from './danfoEngine';

/**
 * Danfo (and the TensorFlow.js it pulls in) takes about two seconds to import,
 * so the public face loads it only when a Danfo function is first called:
 * the producer's `loadRetailRows` never pays for it.
 */
function engine(): typeof DanfoEngine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./danfoEngine') as typeof DanfoEngine;
}

export const loadRetailDanfo: typeof DanfoEngine.loadRetailDanfo = (file) => engine().loadRetailDanfo(file);
export const cleanWithDanfo: typeof DanfoEngine.cleanWithDanfo = (input) => engine().cleanWithDanfo(input);
export const dropWhere: typeof DanfoEngine.dropWhere = (df, mask) => engine().dropWhere(df, mask);
