import type { ConsumeFigures } from './consume';
import type { LatencyFigures } from './latency';
import type { LoadCleanFigures } from './loadCleanStep';
import type { MachineInfo } from './machine';
import type { PeakRssFigures } from './peakRss';
import type { ProduceFigures } from './produce';
import type { LoadWindow } from './stats';

export interface BenchResults {
  date: string;
  quick: boolean;
  repetitions: number;
  machine: MachineInfo;
  /** The machine is shared: 1-minute load averages around each measurement. */
  loadNote: string;
  dataset: { file: string; source: string; rawRows: number; cleanedRows: number };
  produce: Omit<ProduceFigures, 'filledTopic'>;
  consume: ConsumeFigures;
  latency: LatencyFigures;
  loadClean: LoadCleanFigures;
  peakRssMb: number;
  peakRss: PeakRssFigures;
  targets: Record<string, { target: string; met: boolean | null }>;
  durationSec: number;
}

export function targetsOf(
  r: Pick<BenchResults, 'produce' | 'consume' | 'latency' | 'loadClean' | 'peakRssMb'>,
): BenchResults['targets'] {
  // A figure that was not measured (a step left out with --only) is null or NaN: its target is not judged.
  const atLeast = (value: number | null, bound: number) =>
    value === null || Number.isNaN(value) ? null : value >= bound;
  const atMost = (value: number | null, bound: number) =>
    value === null || Number.isNaN(value) ? null : value <= bound;
  return {
    produce: { target: '≥ 0.8 × kafka-producer-perf-test', met: atLeast(r.produce.ratio, 0.8) },
    consume: { target: '3 consumers ≥ 0.8 × kafka-consumer-perf-test', met: atLeast(r.consume.ratio, 0.8) },
    latency: { target: 'p99 ≤ 50 ms at 5,000 msg/s', met: atMost(r.latency.p99Ms, 50) },
    loadClean: { target: 'fast path ≤ 1.0 × pandas', met: atMost(r.loadClean.fastRatio, 1) },
    loadCleanMemory: {
      target: 'fast path < 400 MB',
      met: r.loadClean.fastPeakMb === null ? null : r.loadClean.fastPeakMb < 400,
    },
    peakRss: { target: '≤ 1,024 MB', met: atMost(r.peakRssMb, 1024) },
  };
}

const num = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const loads = (windows: LoadWindow[]): string => {
  if (windows.length === 0) return 'n/a';
  const all = windows.flatMap((w) => [w.before, w.after]);
  return `${Math.min(...all).toFixed(1)}–${Math.max(...all).toFixed(1)}`;
};
const met = (value: boolean | null): string => (value === null ? 'n/a' : value ? 'yes' : '**no**');

/** The results as the markdown table the README shows. */
export function markdownReport(r: BenchResults): string {
  const m = r.machine;
  const t = r.targets;
  // Steps left out with --only have no figures: their lines about Kafka's tools are left out too.
  const producedRan = Number.isFinite(r.produce.avgRecordBytes);
  const lines = [
    `### Benchmark${r.quick ? ' (quick)' : ''}: ${r.date.slice(0, 10)}`,
    '',
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB RAM, ${m.os}; Node ${m.node}; ${m.java}; Kafka ${m.kafka} (local broker, 1 KRaft node).`,
    `Data: ${num(r.dataset.cleanedRows)} cleaned rows (${num(r.dataset.rawRows)} before cleaning, ${r.dataset.source})${producedRan ? `; ${r.produce.avgRecordBytes} B average JSON value; topics of 6 partitions` : ''}.`,
    `Each figure is the median of ${r.repetitions} repetition(s) after a warm-up. ${r.loadNote}`,
    '',
    '| figure | helper | Kafka tool / reference | ratio | target | met | load (1 min) |',
    '|---|---:|---:|---:|---|---|---|',
    `| produce msg/s | ${num(r.produce.helperMsgsPerSec)} | ${num(r.produce.javaMsgsPerSec)} | ${num(r.produce.ratio, 2)} | ${t.produce.target} | ${met(t.produce.met)} | ${loads(r.produce.load)} |`,
    `| produce MB/s | ${num(r.produce.helperMBPerSec, 1)} | ${num(r.produce.javaMBPerSec, 1)} | | | | |`,
    `| produce CPU µs/msg (Java: whole JVM run) | ${num(r.produce.helperCpuUsPerMsg, 1)} | ${num(r.produce.javaCpuUsPerMsg, 1)} | | | | |`,
    `| consume msg/s, 1 consumer | ${num(r.consume.helper1MsgsPerSec)} | ${num(r.consume.javaMsgsPerSec)} | ${num(r.consume.ratio1, 2)} | | | ${loads(r.consume.load)} |`,
    `| consume msg/s, 3 consumers | ${num(r.consume.helperMsgsPerSec)} | ${num(r.consume.javaMsgsPerSec)} | ${num(r.consume.ratio, 2)} | ${t.consume.target} | ${met(t.consume.met)} | |`,
    `| consume msg/s without the join, 3 consumers | ${num(r.consume.helperDrainMsgsPerSec)} | ${num(r.consume.javaFetchMsgsPerSec)} | | | | |`,
    `| consume CPU µs/msg, 3 consumers (Java: whole JVM run) | ${num(r.consume.helperCpuUsPerMsg, 1)} | ${num(r.consume.javaCpuUsPerMsg, 1)} | | | | |`,
    `| latency p50 / p95 / p99 ms (${num(r.latency.ratePerSec)} msg/s, ${r.latency.seconds} s, 3 consumers) | ${num(r.latency.p50Ms)} / ${num(r.latency.p95Ms)} / ${num(r.latency.p99Ms)} | | | ${t.latency.target} | ${met(t.latency.met)} | ${loads(r.latency.load)} |`,
    `| load + clean s: fast (polars) / Danfo | ${num(r.loadClean.fastSec, 2)} / ${num(r.loadClean.danfoSec, 2)} | pandas ${num(r.loadClean.pandasSec, 2)} | ${num(r.loadClean.fastRatio, 2)} / ${num(r.loadClean.danfoRatio, 2)} | ${t.loadClean.target} | ${met(t.loadClean.met)} | ${r.loadClean.load ? loads([r.loadClean.load]) : 'n/a'} |`,
    `| load + clean peak RSS MB (whole process): fast (polars) / Danfo | ${num(r.loadClean.fastPeakMb)} / ${num(r.loadClean.danfoPeakMb)} | pandas ${num(r.loadClean.pandasPeakMb)} | | ${t.loadCleanMemory.target} | ${met(t.loadCleanMemory.met)} | |`,
    `| peak RSS MB, whole produce + consume run (3 consumers) | ${num(r.peakRssMb)} | | | ${t.peakRss.target} | ${met(t.peakRss.met)} | ${loads([r.peakRss.load])} |`,
    '',
  ];
  if (producedRan)
    lines.push(
      `Kafka tools: \`kafka-producer-perf-test --record-size ${Math.round(r.produce.avgRecordBytes)} --throughput -1 --producer-props ${r.produce.javaProducerProps.join(' ')}\`; \`kafka-consumer-perf-test --messages ${r.consume.messages}\` (nMsg.sec, join included; the helper is timed from the group's start to its last message).`,
    );
  if (Object.keys(r.peakRss.stagesMb).length > 0)
    lines.push(
      `Peak RSS by stage (MB): ${Object.entries(r.peakRss.stagesMb)
        .map(([stage, mb]) => `${stage} ${mb}`)
        .join(', ')}.`,
    );
  if (r.loadClean.fastSec === null || r.loadClean.pandasSec === null) lines.push(`Load and clean: ${r.loadClean.note}`);
  lines.push(
    `Reproduce: \`npm run bench\` (full) or \`npm run bench -- --quick\`; raw figures in bench/results.json (a full run also keeps both under docs/results/).`,
  );
  return lines.join('\n');
}
