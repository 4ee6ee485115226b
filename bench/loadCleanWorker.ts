/**
 * One engine's load-and-clean run, in its own process so that its peak memory
 * can be read alone: `node --import tsx bench/loadCleanWorker.ts polars|danfo FILE`.
 * Prints one JSON line: seconds (load + clean, after the modules are imported)
 * and the cleaning report.
 */
import { performance } from 'node:perf_hooks';

const [engine, file] = process.argv.slice(2);
if ((engine !== 'polars' && engine !== 'danfo') || !file) {
  process.stderr.write('usage: loadCleanWorker.ts polars|danfo FILE\n');
  process.exit(2);
}
const started = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mod = engine === 'polars' ? require('../src/dataset/polarsEngine') : require('../src/dataset/danfoEngine');
const importSeconds = (performance.now() - started) / 1000;
const t0 = performance.now();
const result = engine === 'polars' ? mod.cleanWithPolars(file) : mod.cleanWithDanfo(file);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ engine, seconds, importSeconds, maxRssMB: process.resourceUsage().maxRSS / 1024, report: result.report })}\n`,
);
