import type { ReceivedLog, ReceivedRecord } from '../consume/receivedLog';
import type { CommitMode, StartFrom } from '../options';
import type { KafkaLab } from '../lab';
import type { KeyStrategy } from '../produce/keyStrategy';
import { freshName } from '../util/syntheticRows';
import { waitUntil } from '../util/waitUntil';

/**
 * Scenarios of notebook 04 (read strategies): where a new group starts
 * (earliest/latest), what a restart re-delivers under each commit mode, and
 * publish/subscribe (several groups) versus a queue (one group).
 */

/** What the three read-strategy scenarios share. */
export interface ReadStrategyOptions {
  lab: KafkaLab;
  rows: readonly object[];
  partitions: number;
  key: KeyStrategy;
  /** Default 'nb04'. */
  topicPrefix?: string;
}

/** One group's view of a stream it joined half-way. */
export interface StartFromRow {
  group: string;
  from: StartFrom;
  received: number;
  missing: number;
  firstSeq: number | null;
}

export interface StartFromResult {
  topic: string;
  produced: number;
  startedAt: number;
  /** When the two groups began to join, and the messages out by then and by the time they had their partitions. */
  joinedAt: number;
  producedAtJoin: number;
  producedAtAssignment: number;
  rows: StartFromRow[];
  /** What each group received, for a seq-over-time chart. */
  series: Array<{ name: string; records: ReceivedRecord[] }>;
}

/**
 * Streams `rows` at `ratePerSec`; half-way, one group joins from `earliest` and
 * one from `latest`; both read to the end of the stream.
 */
export async function runStartFromScenario(options: ReadStrategyOptions & { ratePerSec: number }): Promise<StartFromResult> {
  const { lab } = options;
  const topic = freshName(`${options.topicPrefix ?? 'nb04'}-start`);
  await lab.createTopic({ topic, partitions: options.partitions, recreate: true });
  let producedSoFar = 0;
  const streaming = lab.produce(options.rows, { topic, key: options.key, ratePerSec: options.ratePerSec, onProgress: (p) => (producedSoFar = p.produced) });
  await waitUntil(() => producedSoFar >= options.rows.length / 2, 60_000, 'half of the stream to be produced');
  const joinedAt = Date.now();
  const producedAtJoin = producedSoFar;
  const [earliest, latest] = await Promise.all([
    lab.startConsumerGroup({ topic, consumers: 1, from: 'earliest' }),
    lab.startConsumerGroup({ topic, consumers: 1, from: 'latest' }),
  ]);
  try {
    const producedAtAssignment = producedSoFar;
    const stream = await streaming;
    await earliest.waitForReceived(stream.produced);
    // A stream that ended before the groups had their partitions leaves "latest" nothing to read.
    await waitUntil(
      () => producedAtAssignment >= stream.produced || latestHasCaughtUp(latest.consumers, stream.log),
      60_000,
      'the latest group to reach the end of the stream',
    );
    const rows = [earliest, latest].map((group) => {
      const accounting = lab.accountFor(stream, group);
      const seqs = group.records().map((record) => (record.value as { seq: number }).seq);
      return { group: group.groupId, from: group.from, received: accounting.received, missing: accounting.missing, firstSeq: seqs.length ? Math.min(...seqs) : null };
    });
    return {
      topic,
      produced: stream.produced,
      startedAt: stream.startedAt,
      joinedAt,
      producedAtJoin,
      producedAtAssignment,
      rows,
      series: [
        { name: 'from earliest', records: earliest.records() },
        { name: 'from latest', records: latest.records() },
      ],
    };
  } finally {
    await streaming.catch(() => undefined);
    await earliest.stop();
    await latest.stop();
  }
}

export interface CommitRestartResult {
  topic: string;
  produced: number;
  runs: RestartRun[];
  /** Per commit mode and partition: where the stopped consumer was and where its replacement resumed. */
  resumeRows: Array<{ commit: CommitMode; partition: number; lastProcessed: number | null; resumedAt: number | null; reRead: number }>;
}

/**
 * Per commit mode: one consumer reads half of a loaded topic, is stopped and
 * replaced; counts what the replacement received again.
 */
export async function runCommitRestartScenario(
  options: ReadStrategyOptions & { processingDelayMs: number; commits?: readonly CommitMode[] },
): Promise<CommitRestartResult> {
  const { lab } = options;
  const topic = freshName(`${options.topicPrefix ?? 'nb04'}-commit`);
  await lab.createTopic({ topic, partitions: options.partitions, recreate: true });
  const loaded = await lab.produce(options.rows, { topic, key: options.key });
  const runs: RestartRun[] = [];
  const resumeRows: CommitRestartResult['resumeRows'] = [];
  for (const commit of options.commits ?? (['auto', 'after-processing'] as const)) {
    const started = Date.now();
    const group = await lab.startConsumerGroup({ topic, consumers: 1, commit, processingDelayMs: options.processingDelayMs });
    try {
      await group.waitForReceived(Math.floor(loaded.produced / 2));
      const stopped = await group.stopConsumer();
      const stoppedAfterS = (Date.now() - started) / 1000;
      const replacement = await group.addConsumer();
      await group.waitForReceived(loaded.produced);
      const accounting = lab.accountFor(loaded, group);
      runs.push({
        commit,
        produced: accounting.produced,
        beforeStop: stopped.log.length,
        stoppedAfterS: Math.round(stoppedAfterS * 100) / 100,
        afterRestart: replacement.log.length,
        duplicates: accounting.duplicates,
        missing: accounting.missing,
      });
      for (const point of resumePoints(stopped, replacement)) resumeRows.push({ commit, ...point });
    } finally {
      await group.stop();
    }
  }
  return { topic, produced: loaded.produced, runs, resumeRows };
}

/** One consumer's count in the fan-out comparison. */
export interface FanOutRow {
  arrangement: 'publish/subscribe' | 'queue';
  group: string;
  consumer: string;
  partitions: string;
  received: number;
  shareOfStream: number;
}

export interface FanOutResult {
  topic: string;
  produced: number;
  rows: FanOutRow[];
  /** Every record, the consumer renamed `<group>/<consumer>`. */
  records: ReceivedRecord[];
  consumerLabels: string[];
}

/** `consumers` groups of one (publish/subscribe) beside one group of `consumers` (a queue), on one loaded topic. */
export async function runFanOutScenario(options: ReadStrategyOptions & { consumers: number }): Promise<FanOutResult> {
  const { lab } = options;
  const topic = freshName(`${options.topicPrefix ?? 'nb04'}-fan`);
  await lab.createTopic({ topic, partitions: options.partitions, recreate: true });
  const fanned = await lab.produce(options.rows, { topic, key: options.key });
  const subscribers = await Promise.all(Array.from({ length: options.consumers }, () => lab.startConsumerGroup({ topic, consumers: 1 })));
  const queue = await lab.startConsumerGroup({ topic, consumers: options.consumers });
  const groups = [...subscribers, queue];
  try {
    await Promise.all(groups.map((group) => group.waitForReceived(fanned.produced)));
    const arranged = [
      ...subscribers.map((group, i) => ({ arrangement: 'publish/subscribe' as const, label: `group-${String.fromCharCode(65 + i)}`, group })),
      { arrangement: 'queue' as const, label: 'queue', group: queue },
    ];
    const rows = arranged.flatMap((a) =>
      a.group.summaries().map((s) => ({
        arrangement: a.arrangement,
        group: a.label,
        consumer: s.id,
        partitions: s.partitions.join(', '),
        received: s.received,
        shareOfStream: s.received / Math.max(1, fanned.produced),
      })),
    );
    return {
      topic,
      produced: fanned.produced,
      rows,
      records: arranged.flatMap((a) => labelRecords(a.group.records(), a.label)),
      consumerLabels: rows.map((row) => `${row.group}/${row.consumer}`),
    };
  } finally {
    await Promise.all(groups.map((group) => group.stop()));
  }
}

/** The figures notebook 04 records (`recordResult('readStrategies', …)`). */
export function readStrategiesHeadline(start: StartFromResult, restart: CommitRestartResult, fanOut: FanOutResult) {
  return {
    start: start.rows.map((r) => ({ from: r.from, received: r.received, missing: r.missing })),
    restart: restart.runs.map((r) => ({ commit: r.commit, duplicates: r.duplicates })),
    fanOut: fanOut.rows.length,
  };
}

/** A consumer and its received log, which answers the offset queries itself (LabConsumer satisfies it). */
export interface LoggedConsumer {
  readonly id: string;
  readonly log: Pick<ReceivedLog, 'highestOffsets' | 'lowestOffsets'>;
}

/** Per partition, one past the last offset the producer wrote (a ProducedLog satisfies the shape). */
export interface ProducedRanges {
  partitions(): number[];
  range(partition: number): { first: number; end: number } | undefined;
}

/**
 * True when, in every partition the producer wrote to, some consumer has
 * received the last offset written: a group that started at `latest` cannot
 * know how many messages it will get, but it knows when it reached the end.
 */
export function hasReachedEnd(consumers: readonly LoggedConsumer[], produced: ProducedRanges): boolean {
  const highest = highestOffsets(consumers);
  return produced.partitions().every((partition) => (highest.get(partition) ?? -1) >= produced.range(partition)!.end - 1);
}

/**
 * For a group that started at `latest` while the stream ran: true once it has
 * read something and, in every partition it read from, the last offset written.
 * A partition whose messages all came before the group's position was set gives
 * it nothing to read, so `hasReachedEnd` alone could wait for it forever.
 */
export function latestHasCaughtUp(consumers: readonly LoggedConsumer[], produced: ProducedRanges): boolean {
  const highest = highestOffsets(consumers);
  return highest.size > 0 && [...highest.entries()].every(([partition, offset]) => offset >= (produced.range(partition)?.end ?? 0) - 1);
}

/** The highest offset any of the consumers received, per partition. */
function highestOffsets(consumers: readonly LoggedConsumer[]): Map<number, number> {
  const highest = new Map<number, number>();
  for (const consumer of consumers) {
    for (const [partition, offset] of consumer.log.highestOffsets()) highest.set(partition, Math.max(highest.get(partition) ?? -1, offset));
  }
  return highest;
}

/** The same records with the consumer renamed `<label>/<consumer>`, to compare groups in one chart. */
export function labelRecords<T extends Pick<ReceivedRecord, 'consumer'>>(records: readonly T[], label: string): T[] {
  return records.map((record) => ({ ...record, consumer: `${label}/${record.consumer}` }));
}

/** One stop-and-restart run under a commit mode. */
export interface RestartRun {
  commit: string;
  produced: number;
  /** Messages the first consumer processed before it was stopped. */
  beforeStop: number;
  /** Seconds from the first consumer's start to its stop. */
  stoppedAfterS: number;
  /** Messages its replacement received. */
  afterRestart: number;
  /** Messages delivered a second time (the replacement re-read them). */
  duplicates: number;
  missing: number;
}

/** Per partition: the last offset the stopped consumer processed and the first its replacement received. */
export function resumePoints(stopped: LoggedConsumer, replacement: LoggedConsumer): { partition: number; lastProcessed: number | null; resumedAt: number | null; reRead: number }[] {
  const last = stopped.log.highestOffsets();
  const first = replacement.log.lowestOffsets();
  return [...new Set([...last.keys(), ...first.keys()])]
    .sort((a, b) => a - b)
    .map((partition) => {
      const lastProcessed = last.get(partition) ?? null;
      const resumedAt = first.get(partition) ?? null;
      return { partition, lastProcessed, resumedAt, reRead: lastProcessed !== null && resumedAt !== null ? Math.max(0, lastProcessed - resumedAt + 1) : 0 };
    });
}
