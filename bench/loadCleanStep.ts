import fs from 'node:fs';
import path from 'node:path';
import { logStep, type BenchContext } from './context';
import { loadNow, ratio, round, type LoadWindow } from './stats';

export interface LoadCleanFigures {
  fastSec: number | null;
  danfoSec: number | null;
  pandasSec: number | null;
  /** fast ÷ pandas wall time (≤ 1 meets the target). */
  fastRatio: number | null;
  danfoRatio: number | null;
  /** Peak RSS of each engine's whole process (imports included), highest over the runs. */
  fastPeakMb: number | null;
  danfoPeakMb: number | null;
  pandasPeakMb: number | null;
  /**
   * Whether every engine that ran printed the same cleaning report. When they do
   * not, the speeds are of different work: the target is failed, not judged by speed.
   */
  enginesAgree: boolean | null;
  /** The fields whose counts differ between the engines, e.g. "duplicates: polars 5,268, pandas 5,270". */
  disagreements: string[];
  note: string;
  load: LoadWindow | null;
}

interface EngineLike {
  engine: string;
  seconds: number | null;
  peakMB?: number | null;
  note?: string;
  report?: Record<string, number>;
}

/** Each report field (of those every engine reports) whose value is not the same in every engine that ran. */
export function reportDisagreements(engines: readonly EngineLike[]): string[] {
  const ran = engines.filter((e) => e.report);
  const fields = Object.keys(ran[0]?.report ?? {}).filter((field) => ran.every((e) => field in (e.report ?? {})));
  const found: string[] = [];
  for (const field of fields) {
    const values = ran.map((e) => e.report?.[field]);
    if (new Set(values).size > 1)
      found.push(
        `${field}: ${ran.map((e, i) => `${e.engine} ${values[i]?.toLocaleString('en-US') ?? 'none'}`).join(', ')}`,
      );
  }
  return found;
}

const empty = (note: string): LoadCleanFigures => ({
  fastSec: null,
  danfoSec: null,
  pandasSec: null,
  fastRatio: null,
  danfoRatio: null,
  fastPeakMb: null,
  danfoPeakMb: null,
  pandasPeakMb: null,
  enginesAgree: null,
  disagreements: [],
  note,
  load: null,
});

/**
 * The load-and-clean figures come from the data set's own benchmark,
 * bench/loadClean.ts (`runLoadCleanBench`): polars (fast path), Danfo and
 * pandas on the same file, each in its own process. Null when it is absent.
 */
export async function measureLoadClean(ctx: BenchContext, file: string): Promise<LoadCleanFigures> {
  if (!fs.existsSync(path.join(__dirname, 'loadClean.ts')))
    return empty('bench/loadClean.ts is not there yet: load-and-clean not measured.');
  const module = (await import('./loadClean')) as Record<string, unknown>;
  const run = module.runLoadCleanBench;
  if (typeof run !== 'function')
    return empty('bench/loadClean.ts exports no runLoadCleanBench function: load-and-clean not measured.');
  logStep(ctx, `load and clean: polars, Danfo, pandas on ${path.basename(file)}, ${ctx.repetitions} run(s) each`);
  const before = loadNow();
  const result = (run as (options: { input: string; runs: number }) => { engines: EngineLike[] })({
    input: file,
    runs: ctx.repetitions,
  });
  const after = loadNow();
  const seconds = (engine: string) => {
    const found = result.engines.find((e) => e.engine === engine);
    return found?.seconds === null || found?.seconds === undefined ? null : round(found.seconds, 2);
  };
  const peakMb = (engine: string) =>
    round(result.engines.find((e) => e.engine === engine)?.peakMB ?? Number.NaN) || null;
  const fastSec = seconds('polars');
  const danfoSec = seconds('danfo');
  const pandasSec = seconds('pandas');
  const disagreements = reportDisagreements(result.engines);
  const ranEngines = result.engines.filter((e) => e.report).length;
  if (disagreements.length) ctx.log(`  the engines' cleaning reports DISAGREE: ${disagreements.join('; ')}`);
  const pandasNote = result.engines.find((e) => e.engine === 'pandas' && e.seconds === null)?.note;
  ctx.log(
    `  polars ${fastSec} s, Danfo ${danfoSec} s, pandas ${pandasSec} s; peak RSS polars ${peakMb('polars')} MB, Danfo ${peakMb('danfo')} MB, pandas ${peakMb('pandas')} MB`,
  );
  return {
    fastSec,
    danfoSec,
    pandasSec,
    fastRatio: ratio(fastSec, pandasSec),
    danfoRatio: ratio(danfoSec, pandasSec),
    fastPeakMb: peakMb('polars'),
    danfoPeakMb: peakMb('danfo'),
    pandasPeakMb: peakMb('pandas'),
    enginesAgree: ranEngines < 2 ? null : disagreements.length === 0,
    disagreements,
    note:
      pandasNote ??
      'bench/loadClean.ts: read + clean after imports, each engine in its own process; median of the runs.',
    load: { before, after },
  };
}
