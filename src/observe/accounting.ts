import type { GroupMember } from '../consume/groupMember';
import type { ProducedLog } from '../produce/producedLog';

export interface PartitionAccount {
  partition: number;
  produced: number;
  /** Distinct produced messages that arrived. */
  received: number;
  missing: number;
  /** Arrivals beyond the first of the same message. */
  duplicates: number;
}

export interface ConsumerAccount {
  id: string;
  received: number;
  /** Messages this consumer got that some consumer (maybe itself) had already got. */
  duplicates: number;
}

export interface Accounting {
  produced: number;
  /** Distinct produced messages that arrived at some consumer. */
  received: number;
  missing: number;
  duplicates: number;
  /** Messages that arrived but were not produced by this run (e.g. older data on a reused topic). */
  unexpected: number;
  perPartition: PartitionAccount[];
  perConsumer: ConsumerAccount[];
  /** Up to 20 missing messages, to look at. */
  missingSample: Array<{ partition: number; offset: number }>;
}

/**
 * Produced versus received: every (partition, offset) the producer wrote is
 * looked for in what the consumers recorded. Consumers are visited in start
 * order and messages in arrival order, so the first arrival of a message counts
 * as delivered and each later one as a duplicate.
 */
export function accountFor(produced: ProducedLog, consumers: readonly GroupMember[]): Accounting {
  // partition -> offset -> arrivals, only for produced offsets.
  const windows = new Map<number, { first: number; counts: Uint32Array }>();
  for (const partition of produced.partitions()) {
    const range = produced.range(partition)!;
    windows.set(partition, { first: range.first, counts: new Uint32Array(range.end - range.first) });
  }
  let unexpected = 0;
  const perConsumer: ConsumerAccount[] = [];
  for (const consumer of consumers) {
    const log = consumer.log;
    let duplicates = 0;
    log.forEachOffset((partition, offset) => {
      const window = windows.get(partition);
      const index = window ? offset - window.first : -1;
      if (!window || index < 0 || index >= window.counts.length) {
        unexpected += 1;
        return;
      }
      window.counts[index] += 1;
      if (window.counts[index] > 1) duplicates += 1;
    });
    perConsumer.push({ id: consumer.id, received: log.length, duplicates });
  }

  const perPartition: PartitionAccount[] = [];
  const missingSample: Accounting['missingSample'] = [];
  for (const partition of produced.partitions()) {
    const window = windows.get(partition)!;
    let received = 0;
    let missing = 0;
    let duplicates = 0;
    produced.forEachOffset(partition, (offset) => {
      const count = window.counts[offset - window.first];
      if (count === 0) {
        missing += 1;
        if (missingSample.length < 20) missingSample.push({ partition, offset });
      } else {
        received += 1;
        duplicates += count - 1;
      }
    });
    perPartition.push({ partition, produced: produced.countIn(partition), received, missing, duplicates });
  }
  const sum = (key: 'received' | 'missing' | 'duplicates') => perPartition.reduce((total, p) => total + p[key], 0);
  return {
    produced: produced.count,
    received: sum('received'),
    missing: sum('missing'),
    duplicates: sum('duplicates'),
    unexpected,
    perPartition,
    perConsumer,
    missingSample,
  };
}
