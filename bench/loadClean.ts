/**
 * Load-and-clean benchmark (issue 3): the polars fast path, the Danfo path and
 * pandas doing the same work on the same 541,909-row file, each in its own
 * child process, timed in-process (read + clean, after imports) and with the
 * process's peak RSS read from `/usr/bin/time -v` (or the child's own
 * `maxRSS` where GNU time is missing).
 *
 *   node --import tsx bench/loadClean.ts [--input FILE] [--source generated|sample-scaled] [--runs N]
 *
 * Without --input the file is the generated default (seed 42, 541,909 rows,
 * `.cache/dataset/generated-541909-42.csv`), or with --source sample-scaled the
 * shared real sample repeated to 541,909 rows. Prints a markdown table and
 * writes the JSON to reports/load-clean.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Command, Option } from 'commander';
import { wholeNumber } from '../src/internal';
import {
  cacheDir,
  DEFAULT_GENERATED_ROWS,
  generatedDatasetPath,
  prepareCsv,
  projectRoot,
  writeGeneratedDataset,
} from '../src/internal';
import { median } from './stats';

export interface EngineMeasure {
  engine: 'polars' | 'danfo' | 'pandas';
  /** Median of the runs: read + clean, after imports. null when the engine could not run. */
  seconds: number | null;
  /** Median wall time of the whole child process (start-up and imports included). */
  processSeconds: number | null;
  /** Highest peak RSS over the runs, in MB. */
  peakMB: number | null;
  runs: number;
  note?: string;
  report?: Record<string, number>;
}

export interface LoadCleanBench {
  file: string;
  fileSource: string;
  rows: number;
  engines: EngineMeasure[];
  reportsAgree: boolean;
  targets: { polarsNotSlowerThanPandas: boolean | null; polarsPeakUnder400MB: boolean | null };
}

const SAMPLE = path.resolve(projectRoot, '..', 'shared', 'datasets', 'online-retail-sample.csv');
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function sampleScaled(): string {
  const file = path.join(cacheDir, 'dataset', `sample-scaled-${DEFAULT_GENERATED_ROWS}.csv`);
  if (fs.existsSync(file)) return file;
  const lines = fs.readFileSync(SAMPLE, 'utf8').trimEnd().split('\n');
  const [header, ...rows] = lines;
  const out: string[] = [header!];
  for (let i = 0; out.length <= DEFAULT_GENERATED_ROWS; i++) out.push(rows[i % rows.length]!);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, `${out.join('\n')}\n`);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

function pythonWithPandas(): string | null {
  for (const python of [path.join(projectRoot, '.venv', 'bin', 'python'), 'python3']) {
    const probe = spawnSync(python, ['-c', 'import pandas'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return null;
}

/**
 * pandas reads the file as the lab does: in the encoding and with the date format
 * of the layout the lab detects, and the layout's column names, so that both do
 * the same work on the same bytes (arguments of bench/loadClean.py).
 */
export function pandasLayoutArgs(file: string): { args: string[]; layoutId: string } | { note: string } {
  if (!file.toLowerCase().endsWith('.csv'))
    return { note: 'the pandas baseline reads CSV files only: not run on a workbook' };
  const prepared = prepareCsv(file);
  const pythonEncodings: Record<string, string> = {
    'utf-8': 'utf-8',
    'utf-8-bom': 'utf-8-sig',
    'iso-8859-1': 'latin-1',
  };
  const encoding = pythonEncodings[prepared.encoding];
  if (!encoding) return { note: `no pandas encoding for ${prepared.encoding}` };
  // Kaggle's data.csv writes 12/1/2010 8:26; the other CSV layouts 2010-12-01 08:26:00.
  const dateFormat = prepared.layout.id === 'kaggle-ecommerce-csv' ? '%m/%d/%Y %H:%M' : '%Y-%m-%d %H:%M:%S';
  return {
    args: [encoding, dateFormat, JSON.stringify(prepared.layout.family.columns)],
    layoutId: prepared.layout.id,
  };
}

/** What one load-and-clean step prints as JSON (bench/loadCleanStep.ts, bench/loadClean.py). */
interface StepOutput {
  seconds: number;
  report: Record<string, number>;
  maxRssMB?: number;
}

function runOnce(command: string, args: string[]): { json: StepOutput; processSeconds: number; peakMB: number | null } {
  const started = process.hrtime.bigint();
  const child = TIME
    ? spawnSync(TIME, ['-v', command, ...args], { cwd: projectRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    : spawnSync(command, args, { cwd: projectRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const processSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${child.stderr?.slice(-2000)}`);
  const json = JSON.parse(child.stdout.trim().split('\n').pop()!);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr ?? '');
  const peakMB = rss ? Number(rss[1]) / 1024 : typeof json.maxRssMB === 'number' ? json.maxRssMB : null;
  return { json, processSeconds, peakMB };
}

function measure(engine: EngineMeasure['engine'], command: string, args: string[], runs: number): EngineMeasure {
  const seconds: number[] = [];
  const wall: number[] = [];
  let peak = 0;
  let report: Record<string, number> | undefined;
  for (let i = 0; i < runs; i++) {
    const r = runOnce(command, args);
    seconds.push(r.json.seconds);
    wall.push(r.processSeconds);
    peak = Math.max(peak, r.peakMB ?? 0);
    report = r.json.report;
  }
  return { engine, seconds: median(seconds), processSeconds: median(wall), peakMB: peak || null, runs, report };
}

export function runLoadCleanBench(
  options: { input?: string; source?: 'generated' | 'sample-scaled'; runs?: number } = {},
): LoadCleanBench {
  const runs = options.runs ?? 3;
  let file = options.input;
  let fileSource = 'given with --input';
  if (!file) {
    if (options.source === 'sample-scaled') {
      file = sampleScaled();
      fileSource = `the shared real sample (39,641 rows) repeated to ${DEFAULT_GENERATED_ROWS} rows`;
    } else {
      file = generatedDatasetPath();
      if (!fs.existsSync(file)) writeGeneratedDataset(file, { rows: DEFAULT_GENERATED_ROWS, seed: 42 });
      fileSource = `the generated default (seed 42, ${DEFAULT_GENERATED_ROWS} rows)`;
    }
  }
  const rows = fs.readFileSync(file, 'utf8').trimEnd().split('\n').length - 1;
  const worker = path.join(__dirname, 'loadCleanWorker.ts');
  const engines: EngineMeasure[] = [
    measure('polars', process.execPath, ['--import', 'tsx', worker, 'polars', file], runs),
    measure('danfo', process.execPath, ['--import', 'tsx', worker, 'danfo', file], runs),
  ];
  const python = pythonWithPandas();
  const layout = pandasLayoutArgs(file);
  if (python && 'args' in layout) {
    engines.push({
      ...measure('pandas', python, [path.join(__dirname, 'loadClean.py'), file, ...layout.args], runs),
      note: `${python}`,
    });
  } else if (python && 'note' in layout) {
    engines.push({ engine: 'pandas', seconds: null, processSeconds: null, peakMB: null, runs: 0, note: layout.note });
  } else {
    engines.push({
      engine: 'pandas',
      seconds: null,
      processSeconds: null,
      peakMB: null,
      runs: 0,
      note: 'pandas is not importable (no .venv with pandas, no system pandas): run `npm run setup:python` or `pip install pandas`',
    });
  }
  const reports = engines.filter((e) => e.report).map((e) => JSON.stringify(e.report));
  const polars = engines[0]!;
  const pandas = engines[2]!;
  return {
    file,
    fileSource,
    rows,
    engines,
    reportsAgree: new Set(reports).size === 1,
    targets: {
      polarsNotSlowerThanPandas: pandas.seconds === null ? null : polars.seconds! <= pandas.seconds,
      polarsPeakUnder400MB: polars.peakMB === null ? null : polars.peakMB < 400,
    },
  };
}

export function markdownTable(bench: LoadCleanBench): string {
  const fmt = (v: number | null, digits: number): string => (v === null ? 'n/a' : v.toFixed(digits));
  return [
    `Load and clean, ${bench.rows.toLocaleString('en-US')} rows: ${bench.fileSource}`,
    '',
    '| engine | load + clean (s) | whole process (s) | peak RSS (MB) | runs |',
    '|---|---:|---:|---:|---:|',
    ...bench.engines.map(
      (e) => `| ${e.engine} | ${fmt(e.seconds, 2)} | ${fmt(e.processSeconds, 2)} | ${fmt(e.peakMB, 0)} | ${e.runs} |`,
    ),
    '',
    `Reports of all engines agree: ${bench.reportsAgree ? 'yes' : 'NO'}. Polars ≤ pandas: ${bench.targets.polarsNotSlowerThanPandas ?? 'n/a'}; polars peak < 400 MB: ${bench.targets.polarsPeakUnder400MB ?? 'n/a'}.`,
    ...bench.engines.filter((e) => e.seconds === null && e.note).map((e) => `${e.engine}: ${e.note}`),
  ].join('\n');
}

if (require.main === module) {
  const options = new Command('loadClean')
    .option('--input <file>', 'the CSV or .xlsx file to load and clean (default: the generated 541,909-row file)')
    .addOption(
      new Option('--source <source>', 'the file to use without --input')
        .choices(['generated', 'sample-scaled'])
        .default('generated'),
    )
    .option('--runs <n>', 'runs per engine (default 3)', wholeNumber('--runs', 1))
    .parse(process.argv)
    .opts<{ input?: string; source: 'generated' | 'sample-scaled'; runs?: number }>();
  const bench = runLoadCleanBench(options);
  process.stdout.write(`${markdownTable(bench)}\n`);
  const out = path.join(projectRoot, 'reports', 'load-clean.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(bench, null, 2)}\n`);
  process.stderr.write(`JSON written to ${path.relative(projectRoot, out)}\n`);
}
