/**
 * `npm run bench`: the lab's producer and consumers against Kafka's own
 * performance tools on the same local broker, the end-to-end latency at a fixed
 * rate, load-and-clean against pandas, and the peak RSS of a notebook-style run.
 * Writes bench/results.json and prints the markdown table (issue 5).
 *
 *   npm run bench                      full data set (541,909 rows before cleaning), 3 repetitions
 *   npm run bench -- --quick           100,000 rows, 1 repetition (< 5 min)
 *   options: --repetitions N, --only produce,consume,latency,loadClean,rss, --markdown FILE
 */
import fs from 'node:fs';
import { Command } from 'commander';
import { wholeNumber } from '../src/internal';
import path from 'node:path';
import { ensureLocalBroker, KafkaLab, loadRetailRows, resolveDataset, runningLocalBroker } from '../src/internal';
import { measureConsume, type ConsumeFigures } from './consume';
import { dropStepTopics, dropTopic, newRunId, settleDeletedTopics, type BenchContext } from './context';
import { measureLatency, type LatencyFigures } from './latency';
import { measureLoadClean, type LoadCleanFigures } from './loadCleanStep';
import { machineInfo, uptimeLine } from './machine';
import { measurePeakRss, type PeakRssFigures } from './peakRss';
import { measureProduce, type ProduceFigures } from './produce';
import { markdownReport, targetsOf, type BenchResults } from './report';
import { loadNow } from './stats';

const FULL_ROWS = 541_909;
const QUICK_ROWS = 100_000;
const STEPS = ['produce', 'consume', 'latency', 'loadClean', 'rss'] as const;

interface Args {
  quick: boolean;
  repetitions: number;
  only: Set<string>;
  markdown?: string;
}

function parseArgs(argv: string[]): Args {
  const program = new Command('bench')
    .option('--quick', `${QUICK_ROWS.toLocaleString('en')} rows, 1 repetition`, false)
    .option(
      '--repetitions <n>',
      'repetitions per figure (default 3, or 1 with --quick)',
      wholeNumber('--repetitions', 1),
    )
    .option('--only <steps>', `comma-separated steps: ${STEPS.join(', ')}`, STEPS.join(','))
    .option('--markdown <file>', 'also write the markdown table to this file')
    .parse(argv, { from: 'user' });
  const options = program.opts<{ quick: boolean; repetitions?: number; only: string; markdown?: string }>();
  const only = new Set(options.only.split(','));
  for (const step of only)
    if (!(STEPS as readonly string[]).includes(step))
      program.error(`Unknown step "${step}" in --only: use ${STEPS.join(', ')}.`);
  return {
    quick: options.quick,
    repetitions: options.repetitions ?? (options.quick ? 1 : 3),
    only,
    markdown: options.markdown,
  };
}

function rawRowCount(file: string, generatedRows: number, source: string): number {
  if (source === 'generated') return generatedRows;
  if (!file.toLowerCase().endsWith('.csv')) return Number.NaN;
  let lines = 0;
  const text = fs.readFileSync(file);
  for (let i = 0; i < text.length; i += 1) if (text[i] === 10) lines += 1;
  return lines - 1;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const began = Date.now();
  const log = (line: string) => process.stderr.write(`[bench +${((Date.now() - began) / 1000).toFixed(0)}s] ${line}\n`);
  const loadAtStart = loadNow();
  log(`start, ${args.quick ? 'quick' : 'full'}, ${args.repetitions} repetition(s)  [${uptimeLine()}]`);

  // Never stopped here: the local broker is shared.
  if (!runningLocalBroker()) log('no local broker running: starting one (left running afterwards)');
  const connection = await ensureLocalBroker();
  const bootstrap = runningLocalBroker()?.bootstrap ?? connection.bootstrapServers.join(',');
  const lab = await KafkaLab.connect({ connection });

  const generatedRows = args.quick ? QUICK_ROWS : FULL_ROWS;
  const dataset = resolveDataset({ generatedRows });
  const rows = await loadRetailRows({
    file: dataset.file,
    rows: args.quick && dataset.source !== 'generated' ? QUICK_ROWS : undefined,
  });
  log(`data set: ${rows.length} cleaned rows from ${dataset.file} (${dataset.source})`);

  const ctx: BenchContext = {
    lab,
    bootstrap,
    rows,
    quick: args.quick,
    repetitions: args.repetitions,
    partitions: 6,
    runId: newRunId(),
    topics: new Set(),
    log,
  };
  let produce: ProduceFigures | undefined;
  let consume: ConsumeFigures | undefined;
  let latency: LatencyFigures | undefined;
  let latency20k: LatencyFigures | undefined;
  let loadClean: LoadCleanFigures | undefined;
  let rss: PeakRssFigures | undefined;
  try {
    await settleDeletedTopics(ctx);
    if (args.only.has('produce') || args.only.has('consume')) produce = await measureProduce(ctx);
    if (args.only.has('consume') && produce) {
      const topicBytes = Math.round(produce.avgRecordBytes * rows.length);
      consume = await measureConsume(ctx, produce.filledTopic, rows.length, topicBytes);
    }
    // Each step starts on a broker that has finished removing what the previous one deleted.
    await dropStepTopics(ctx);
    if (args.only.has('latency')) {
      latency = await measureLatency(ctx, 5_000);
      latency20k = await measureLatency(ctx, 20_000);
    }
    await dropStepTopics(ctx);
    if (args.only.has('loadClean')) loadClean = await measureLoadClean(ctx, dataset.file);
    if (args.only.has('rss'))
      rss = await measurePeakRss(
        ctx,
        dataset.file,
        args.quick && dataset.source !== 'generated' ? QUICK_ROWS : undefined,
      );
  } finally {
    for (const topic of [...ctx.topics]) await dropTopic(ctx, topic);
    await lab.close();
  }

  const nan = Number.NaN;
  const noLatency = { p50Ms: nan, p95Ms: nan, p99Ms: nan, load: [] } as unknown as LatencyFigures;
  const results = {
    date: new Date().toISOString(),
    quick: args.quick,
    repetitions: args.repetitions,
    machine: machineInfo(),
    loadNote: `The machine is shared with other work: 1-minute load average ${loadAtStart} at the start, ${loadNow()} at the end (on ${machineInfo().cpus} CPUs); the load column gives the range around each measurement.`,
    dataset: {
      file: path.relative(process.cwd(), dataset.file),
      source: dataset.source,
      rawRows: rawRowCount(dataset.file, generatedRows, dataset.source),
      cleanedRows: rows.length,
    },
    produce: produce
      ? (({ filledTopic, ...rest }) => rest)(produce)
      : ({
          helperMsgsPerSec: nan,
          javaMsgsPerSec: nan,
          ratio: null,
          load: [],
          javaProducerProps: [],
          avgRecordBytes: nan,
          transport: 'not run',
          pythonMsgsPerSec: null,
        } as unknown as ProduceFigures),
    consume:
      consume ??
      ({
        helperMsgsPerSec: nan,
        javaMsgsPerSec: nan,
        ratio: null,
        ratio1: null,
        drainRatio1: null,
        drainRatio3: null,
        client: 'not run',
        load: [],
      } as unknown as ConsumeFigures),
    latency: latency ?? noLatency,
    latency20k: latency20k ?? noLatency,
    loadClean: loadClean ?? {
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
      note: 'not run (--only)',
      load: null,
    },
    peakRssMb: rss?.peakRssMb ?? nan,
    peakRss: rss ?? { peakRssMb: nan, rows: 0, stagesMb: {}, load: { before: nan, after: nan } },
    durationSec: Math.round((Date.now() - began) / 1000),
  } as Omit<BenchResults, 'targets'>;
  const full: BenchResults = { ...results, targets: targetsOf(results) };
  const out = path.join(__dirname, 'results.json');
  fs.writeFileSync(out, `${JSON.stringify(full, null, 2)}\n`);
  const markdown = markdownReport(full);
  // The JSON and its table always come from the same run.
  fs.writeFileSync(path.join(__dirname, 'results-latest.md'), `${markdown}\n`);
  if (args.markdown) fs.writeFileSync(args.markdown, `${markdown}\n`);
  // A full run (every step) is what the README quotes: it is kept, with its date and command, under docs/results/.
  if (!args.quick && args.only.size === STEPS.length) {
    const kept = path.join(__dirname, '..', 'docs', 'results');
    fs.mkdirSync(kept, { recursive: true });
    fs.writeFileSync(
      path.join(kept, 'bench.json'),
      `${JSON.stringify({ command: 'npm run bench', ...full }, null, 2)}\n`,
    );
    fs.writeFileSync(path.join(kept, 'bench.md'), `${markdown}\n`);
  }
  process.stdout.write(`${markdown}\n`);
  log(`done in ${full.durationSec} s; ${path.relative(process.cwd(), out)} written  [${uptimeLine()}]`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
