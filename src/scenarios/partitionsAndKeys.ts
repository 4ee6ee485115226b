import type { KafkaLab } from '../lab';
import { checkKeyOrder, type KeyOrderReport } from '../observe/keyOrder';
import { keyMoveRows, keyMoves, partitionSkew, type KeyMoves, type PartitionSkew } from '../observe/partitionsAndKeys';
import type { KeyStrategy } from '../produce/keyStrategy';
import { freshName } from '../util/syntheticRows';

/**
 * Scenarios of notebook 05 (partitions and keys): the same rows into topics of
 * several partition counts with several key strategies, read back and checked
 * for per-key order; and a topic that grows, to see where keys land.
 */

export interface KeySweepOptions {
  lab: KafkaLab;
  rows: readonly object[];
  partitionCounts: readonly number[];
  keys: readonly KeyStrategy[];
  /** The partition count whose load per partition is shown; default 6 when swept, else the largest. */
  focusPartitions?: number;
  /** Default 'nb05'. */
  topicPrefix?: string;
  onTopic?: (done: number, total: number, topic: string) => void;
}

/** One topic of the sweep: its partition count, key, and messages per partition. */
export interface SweptTopic {
  partitions: number;
  key: KeyStrategy;
  topic: string;
  produced: number;
  perPartition: Record<string, number>;
}

export interface KeySweepResult {
  rowCount: number;
  topics: SweptTopic[];
  skews: PartitionSkew[];
  focus: number;
  /** Messages per partition of the focus partition count, one series per key. */
  focusLoads: Array<{ partition: number; messages: number; series: string }>;
  /** Per topic: the per-key order check of what one consumer read back. */
  orderRows: Array<{ partitions: number; key: KeyStrategy } & KeyOrderReport>;
  /** The order checks summed over every topic. */
  orderTotals: KeyOrderReport;
}

/** Produces the rows once per (partition count, key), reads every topic back with one consumer, checks per-key order. */
export async function runKeySweep(options: KeySweepOptions): Promise<KeySweepResult> {
  const { lab, rows } = options;
  const prefix = options.topicPrefix ?? 'nb05';
  const combos = options.partitionCounts.flatMap((partitions) => options.keys.map((key) => ({ partitions, key })));
  const topics: SweptTopic[] = [];
  for (const { partitions, key } of combos) {
    const topic = freshName(`${prefix}-p${partitions}-${key}`);
    await lab.createTopic({ topic, partitions, recreate: true });
    const produced = await lab.produce(rows, { topic, key });
    topics.push({ partitions, key, topic, produced: produced.produced, perPartition: produced.perPartition });
    options.onTopic?.(topics.length, combos.length, topic);
  }
  const readers = await Promise.all(topics.map((t) => lab.startConsumerGroup({ topic: t.topic, consumers: 1, keepValues: false })));
  try {
    await Promise.all(readers.map((group, i) => group.waitForReceived(topics[i].produced)));
    const orderRows = topics.map((t, i) => ({ partitions: t.partitions, key: t.key, ...checkKeyOrder(readers[i].records()) }));
    const wanted = options.focusPartitions ?? 6;
    const focus = options.partitionCounts.includes(wanted) ? wanted : Math.max(...options.partitionCounts);
    return {
      rowCount: rows.length,
      topics,
      skews: topics.map((t) => partitionSkew(t.perPartition, t.partitions, t.key)),
      focus,
      focusLoads: topics
        .filter((t) => t.partitions === focus)
        .flatMap((t) => Object.entries(t.perPartition).map(([partition, messages]) => ({ partition: Number(partition), messages: Number(messages), series: `key=${t.key}` }))),
      orderRows,
      orderTotals: sumKeyOrder(orderRows),
    };
  } finally {
    await Promise.all(readers.map((group) => group.stop()));
  }
}

function sumKeyOrder(reports: readonly KeyOrderReport[]): KeyOrderReport {
  return reports.reduce(
    (t, r) => ({
      keys: t.keys + r.keys,
      messages: t.messages + r.messages,
      outOfOrder: t.outOfOrder + r.outOfOrder,
      producedOutOfOrder: t.producedOutOfOrder + r.producedOutOfOrder,
      keysOnSeveralPartitions: t.keysOnSeveralPartitions + r.keysOnSeveralPartitions,
      examples: [...t.examples, ...r.examples].slice(0, 3),
    }),
    { keys: 0, messages: 0, outOfOrder: 0, producedOutOfOrder: 0, keysOnSeveralPartitions: 0, examples: [] as string[] },
  );
}

export interface PartitionGrowthOptions {
  lab: KafkaLab;
  rows: readonly object[];
  growFrom: number;
  growTo: number;
  /** Default 'nb05'. */
  topicPrefix?: string;
}

export interface PartitionGrowthResult {
  topic: string;
  growFrom: number;
  growTo: number;
  moves: KeyMoves;
  moveRows: ReturnType<typeof keyMoveRows>;
  keyOrder: KeyOrderReport;
}

/** Rows keyed by customer into `growFrom` partitions, the topic grown to `growTo`, the rows again: where did each customer land? */
export async function runPartitionGrowth(options: PartitionGrowthOptions): Promise<PartitionGrowthResult> {
  const { lab, rows } = options;
  const topic = freshName(`${options.topicPrefix ?? 'nb05'}-grow`);
  await lab.createTopic({ topic, partitions: options.growFrom, recreate: true });
  const beforeGrowth = await lab.produce(rows, { topic, key: 'customer' });
  await lab.admin.createPartitions({ topicPartitions: [{ topic, count: options.growTo }] });
  const afterGrowth = await lab.produce(rows, { topic, key: 'customer' });
  const reader = await lab.startConsumerGroup({ topic, consumers: 1, keepValues: false });
  try {
    await reader.waitForReceived(beforeGrowth.produced + afterGrowth.produced);
    const records = reader.records();
    const moves = keyMoves(records, (record) => record.producedAt <= beforeGrowth.finishedAt);
    return { topic, growFrom: options.growFrom, growTo: options.growTo, moves, moveRows: keyMoveRows(moves), keyOrder: checkKeyOrder(records) };
  } finally {
    await reader.stop();
  }
}

/** The figures notebook 05 records (`recordResult('partitionsAndKeys', …)`). */
export function partitionsAndKeysHeadline(sweep: KeySweepResult, growth: PartitionGrowthResult) {
  return {
    skews: sweep.skews.map((s) => ({ partitions: s.partitions, key: s.key, maxOverMean: s.maxOverMean })),
    outOfOrder: sweep.orderTotals.outOfOrder,
    keysMoved: growth.moves.moved,
    keys: growth.moves.keys,
  };
}
