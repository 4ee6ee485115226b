import type { ReceivedRecord } from '../consume/receivedLog';

/**
 * Checks, rather than assumes, Kafka's ordering promise: within a partition,
 * messages with the same key arrive in the order they were produced.
 */
export interface KeyOrderReport {
  /** Distinct non-null keys seen. */
  keys: number;
  /** Messages checked (non-null keys). */
  messages: number;
  /** Pairs of consecutive deliveries of one key in one partition whose offsets went backwards. */
  outOfOrder: number;
  /** Pairs where a later offset carries an earlier produce time (the producer reordered them). */
  producedOutOfOrder: number;
  /** Keys found in more than one partition (happens after partitions are added to a live topic). */
  keysOnSeveralPartitions: number;
  /** A few of those keys, for the sentence. */
  examples: string[];
}

/**
 * `records` must be in the order each consumer received them (as recorded).
 * A redelivery after a restart (offset going back to an already-seen one) is a
 * duplicate, not a reordering, and is skipped.
 */
export function checkKeyOrder(
  records: readonly Pick<ReceivedRecord, 'key' | 'partition' | 'offset' | 'producedAt'>[],
): KeyOrderReport {
  const lastOffset = new Map<string, number>();
  const lastProducedAt = new Map<string, number>();
  const partitionsOfKey = new Map<string, Set<number>>();
  const seen = new Set<string>();
  let messages = 0;
  let outOfOrder = 0;
  let producedOutOfOrder = 0;
  for (const record of records) {
    if (record.key === null) continue;
    messages += 1;
    const delivery = `${record.partition}:${record.offset}`;
    if (seen.has(delivery)) continue;
    seen.add(delivery);
    const slot = `${record.key}\u0000${record.partition}`;
    const previous = lastOffset.get(slot);
    if (previous !== undefined && record.offset < previous) outOfOrder += 1;
    const previousProducedAt = lastProducedAt.get(slot);
    if (
      previous !== undefined &&
      record.offset > previous &&
      previousProducedAt !== undefined &&
      record.producedAt < previousProducedAt
    )
      producedOutOfOrder += 1;
    if (previous === undefined || record.offset > previous) {
      lastOffset.set(slot, record.offset);
      lastProducedAt.set(slot, record.producedAt);
    }
    const partitions = partitionsOfKey.get(record.key) ?? new Set<number>();
    partitions.add(record.partition);
    partitionsOfKey.set(record.key, partitions);
  }
  const spread = [...partitionsOfKey.entries()].filter(([, partitions]) => partitions.size > 1).map(([key]) => key);
  return {
    keys: partitionsOfKey.size,
    messages,
    outOfOrder,
    producedOutOfOrder,
    keysOnSeveralPartitions: spread.length,
    examples: spread.slice(0, 3),
  };
}
