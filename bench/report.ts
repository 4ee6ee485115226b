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
  /** 5,000 msg/s. */
  latency: LatencyFigures;
  latency20k: LatencyFigures;
  loadClean: LoadCleanFigures;
  peakRssMb: number;
  peakRss: PeakRssFigures;
  /** `judged` is false for a --quick run: its figures are too small to hold the lab to a target. */
  targets: Record<string, { target: string; met: boolean | null; judged: boolean }>;
  durationSec: number;
}

export function targetsOf(
  r: Pick<BenchResults, 'quick' | 'produce' | 'consume' | 'latency' | 'loadClean' | 'peakRssMb'>,
): BenchResults['targets'] {
  // A figure that was not measured (a step left out with --only) is null or NaN: its target is not judged.
  const known = (value: number | null | undefined): value is number =>
    value !== null && value !== undefined && !Number.isNaN(value);
  const atLeast = (value: number | null | undefined, bound: number) => (known(value) ? value >= bound : null);
  const atMost = (value: number | null | undefined, bound: number) => (known(value) ? value <= bound : null);
  const judged = !r.quick;
  const python = r.produce.pythonMsgsPerSec;
  return {
    produce: { target: '≥ 0.8 × kafka-producer-perf-test', met: atLeast(r.produce.ratio, 0.8), judged },
    produceBeatsPython: {
      target: 'faster than pandas + confluent-kafka',
      met: known(python) && known(r.produce.helperMsgsPerSec) ? r.produce.helperMsgsPerSec > python : null,
      judged,
    },
    consume1: {
      target: 'drain ≥ 0.8 × kafka-consumer-perf-test fetch rate',
      met: atLeast(r.consume.drainRatio1, 0.8),
      judged,
    },
    consume3: {
      target: 'drain ≥ 0.8 × kafka-consumer-perf-test fetch rate',
      met: atLeast(r.consume.drainRatio3, 0.8),
      judged,
    },
    consumeJavaMembers1: {
      target: 'drain ≥ 0.8 × kafka-consumer-perf-test fetch rate',
      met: atLeast(r.consume.javaMembers?.drainRatio1, 0.8),
      judged,
    },
    consumeJavaMembers3: {
      target: 'drain ≥ 0.8 × kafka-consumer-perf-test fetch rate',
      met: atLeast(r.consume.javaMembers?.drainRatio3, 0.8),
      judged,
    },
    latency: { target: 'p99 ≤ 10 ms at 5,000 msg/s', met: atMost(r.latency.p99Ms, 10), judged },
    // Speeds of engines that cleaned differently are not comparable: a disagreement fails the target.
    loadClean: {
      target: 'fast path ≤ 0.5 × pandas, same report',
      met: r.loadClean.enginesAgree === false ? false : atMost(r.loadClean.fastRatio, 0.5),
      judged,
    },
    loadCleanMemory: {
      target: 'fast path < 400 MB',
      met: r.loadClean.fastPeakMb === null ? null : r.loadClean.fastPeakMb < 400,
      judged,
    },
    peakRss: { target: '≤ 600 MB', met: atMost(r.peakRssMb, 600), judged },
  };
}

const num = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratioOf = (a: number | null, b: number | null): number | null =>
  a !== null && b !== null && b > 0 ? a / b : null;
const loads = (windows: LoadWindow[]): string => {
  if (windows.length === 0) return 'n/a';
  const all = windows.flatMap((w) => [w.before, w.after]);
  return `${Math.min(...all).toFixed(1)}–${Math.max(...all).toFixed(1)}`;
};
const met = ({ met: value, judged }: { met: boolean | null; judged: boolean }): string =>
  value === null ? 'n/a' : !judged ? `not judged (quick): ${value ? 'yes' : 'no'}` : value ? 'yes' : '**no**';

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
    '| figure | lab | Kafka tool / reference | ratio | target | met | load (1 min) |',
    '|---|---:|---:|---:|---|---|---|',
    `| produce msg/s (${r.produce.transport}) | ${num(r.produce.helperMsgsPerSec)} | ${num(r.produce.javaMsgsPerSec)} | ${num(r.produce.ratio, 2)} | ${t.produce.target} | ${met(t.produce)} | ${loads(r.produce.load)} |`,
    `| produce msg/s against pandas + confluent-kafka (same rows) | ${num(r.produce.helperMsgsPerSec)} | ${num(r.produce.pythonMsgsPerSec)} | ${num(ratioOf(r.produce.helperMsgsPerSec, r.produce.pythonMsgsPerSec), 2)} | ${t.produceBeatsPython.target} | ${met(t.produceBeatsPython)} | |`,
    `| produce MB/s | ${num(r.produce.helperMBPerSec, 1)} | ${num(r.produce.javaMBPerSec, 1)} | | | | |`,
    `| produce CPU µs/msg (Java: whole JVM, warm-up included) | ${num(r.produce.helperCpuUsPerMsg, 1)} | ${num(r.produce.javaCpuUsPerMsg, 1)} | | | | |`,
    `| consume drain msg/s without the join, 1 consumer (${r.consume.client}) | ${num(r.consume.helper1DrainMsgsPerSec)} | ${num(r.consume.javaFetchMsgsPerSec)} | ${num(r.consume.drainRatio1, 2)} | ${t.consume1.target} | ${met(t.consume1)} | ${loads(r.consume.load)} |`,
    `| consume drain msg/s without the join, 3 consumers | ${num(r.consume.helperDrainMsgsPerSec)} | ${num(r.consume.javaFetchMsgsPerSec)} | ${num(r.consume.drainRatio3, 2)} | ${t.consume3.target} | ${met(t.consume3)} | |`,
    `| consume drain msg/s without the join, 1 Java member (client 'java', own JVM) | ${num(r.consume.javaMembers?.drain1MsgsPerSec)} | ${num(r.consume.javaFetchMsgsPerSec)} | ${num(r.consume.javaMembers?.drainRatio1, 2)} | ${t.consumeJavaMembers1.target} | ${met(t.consumeJavaMembers1)} | |`,
    `| consume drain msg/s without the join, 3 Java members | ${num(r.consume.javaMembers?.drain3MsgsPerSec)} | ${num(r.consume.javaFetchMsgsPerSec)} | ${num(r.consume.javaMembers?.drainRatio3, 2)} | ${t.consumeJavaMembers3.target} | ${met(t.consumeJavaMembers3)} | |`,
    `| group join ms: 1 / 3 consumers (Java: its rebalance.time.ms) | ${num(r.consume.helper1JoinMs)} / ${num(r.consume.helper3JoinMs)} | ${num(r.consume.javaJoinMs)} | | | | |`,
    `| group join ms: 1 / 3 Java members (a JVM starts per member) | ${num(r.consume.javaMembers?.join1Ms)} / ${num(r.consume.javaMembers?.join3Ms)} | | | | | |`,
    `| consume msg/s from the group's start, 1 / 3 consumers (join included) | ${num(r.consume.helper1MsgsPerSec)} / ${num(r.consume.helperMsgsPerSec)} | ${num(r.consume.javaMsgsPerSec)} | ${num(r.consume.ratio1, 2)} / ${num(r.consume.ratio, 2)} | | | |`,
    `| consume CPU µs/msg, 3 consumers (Java: whole JVM, warm-up included) | ${num(r.consume.helperCpuUsPerMsg, 1)} | ${num(r.consume.javaCpuUsPerMsg, 1)} | | | | |`,
    `| latency p50 / p95 / p99 / max ms (${num(r.latency.ratePerSec)} msg/s, ${r.latency.seconds} s, 3 consumers) | ${num(r.latency.p50Ms)} / ${num(r.latency.p95Ms)} / ${num(r.latency.p99Ms)} / ${num(r.latency.maxMs)} | | | ${t.latency.target} | ${met(t.latency)} | ${loads(r.latency.load)} |`,
    `| latency p50 / p95 / p99 / max ms (${num(r.latency20k.ratePerSec)} msg/s, ${r.latency20k.seconds} s, 3 consumers) | ${num(r.latency20k.p50Ms)} / ${num(r.latency20k.p95Ms)} / ${num(r.latency20k.p99Ms)} / ${num(r.latency20k.maxMs)} | | | | | ${loads(r.latency20k.load)} |`,
    `| load + clean s: fast (polars) / Danfo | ${num(r.loadClean.fastSec, 2)} / ${num(r.loadClean.danfoSec, 2)} | pandas ${num(r.loadClean.pandasSec, 2)} | ${num(r.loadClean.fastRatio, 2)} / ${num(r.loadClean.danfoRatio, 2)} | ${t.loadClean.target} | ${met(t.loadClean)} | ${r.loadClean.load ? loads([r.loadClean.load]) : 'n/a'} |`,
    `| load + clean: the engines' cleaning reports agree | ${r.loadClean.enginesAgree === null ? 'n/a' : r.loadClean.enginesAgree ? 'yes' : '**NO**'} | | | | | |`,
    `| load + clean peak RSS MB (whole process): fast (polars) / Danfo | ${num(r.loadClean.fastPeakMb)} / ${num(r.loadClean.danfoPeakMb)} | pandas ${num(r.loadClean.pandasPeakMb)} | | ${t.loadCleanMemory.target} | ${met(t.loadCleanMemory)} | |`,
    `| peak RSS MB, whole produce + consume run (3 consumers) | ${num(r.peakRssMb)} | | | ${t.peakRss.target} | ${met(t.peakRss)} | ${loads([r.peakRss.load])} |`,
    '',
  ];
  if (producedRan)
    lines.push(
      `Kafka tools: \`kafka-producer-perf-test --record-size ${Math.round(r.produce.avgRecordBytes)} --throughput -1 --producer-props ${r.produce.javaProducerProps.join(' ')}\`; \`kafka-consumer-perf-test --num-records ${r.consume.messages}\` (fetch.nMsg.sec: the join left out, as the lab's drain is timed from its first message to its last). Each Java run is one JVM that first runs a warm-up (bench/WarmPerf.java), as the lab's process has.`,
    );
  if (Object.keys(r.peakRss.stagesMb).length > 0)
    lines.push(
      `Peak RSS by stage (MB): ${Object.entries(r.peakRss.stagesMb)
        .map(([stage, mb]) => `${stage} ${mb}`)
        .join(', ')}.`,
    );
  if (r.loadClean.fastSec === null || r.loadClean.pandasSec === null) lines.push(`Load and clean: ${r.loadClean.note}`);
  if (r.loadClean.disagreements.length)
    lines.push(`Load and clean: the engines' reports disagree (${r.loadClean.disagreements.join('; ')}).`);
  if (r.produce.pythonNote) lines.push(`pandas + confluent-kafka: ${r.produce.pythonNote}.`);
  if (r.quick) lines.push('A --quick run: its figures are not judged against the targets.');
  lines.push(
    `Reproduce: \`npm run bench\` (full) or \`npm run bench -- --quick\`; raw figures in bench/results.json (a full run also keeps both under docs/results/).`,
  );
  return lines.join('\n');
}
