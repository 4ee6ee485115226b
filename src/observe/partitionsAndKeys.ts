import type { ReceivedRecord } from '../consume/receivedLog';

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const partitionLabel = (partition: number) => `p${partition}`;

/**
 * Partitions and keys, measured: how unevenly a key strategy loads the
 * partitions, and where keys land after partitions are added.
 */

/** How one (partition count, key) combination loaded its partitions. */
export interface PartitionSkew {
  partitions: number;
  key: string;
  messages: number;
  /** Partitions that got at least one message. */
  used: number;
  busiestPartition: number;
  /** Share of all messages in the busiest partition. */
  busiestShare: number;
  /** Busiest partition over the mean per partition: 1 is perfectly even. */
  maxOverMean: number;
}

/** From a produce result's `perPartition` (partition → messages). */
export function partitionSkew(perPartition: Record<string, number>, partitions: number, key: string): PartitionSkew {
  const counts = Array.from({ length: partitions }, (_, p) => perPartition[String(p)] ?? 0);
  const messages = counts.reduce((sum, count) => sum + count, 0);
  const busiestPartition = counts.reduce((best, count, p) => (count > counts[best] ? p : best), 0);
  const mean = messages / Math.max(1, partitions);
  return {
    partitions,
    key,
    messages,
    used: counts.filter((count) => count > 0).length,
    busiestPartition,
    busiestShare: round3(counts[busiestPartition] / Math.max(1, messages)),
    maxOverMean: round3(mean > 0 ? counts[busiestPartition] / mean : 0),
  };
}

/** Where each key landed before and after partitions were added. */
export interface KeyMoves {
  keys: number;
  moved: number;
  /** before partition → after partition → keys */
  matrix: Map<number, Map<number, number>>;
  examples: { key: string; before: number; after: number }[];
}

/**
 * Compares, per key, the partition of its messages produced before the change
 * (`isBefore`) with the partition of those produced after. Keys seen in only
 * one phase are skipped.
 */
export function keyMoves(
  records: readonly Pick<ReceivedRecord, 'key' | 'partition' | 'producedAt'>[],
  isBefore: (record: Pick<ReceivedRecord, 'producedAt'>) => boolean,
): KeyMoves {
  const before = new Map<string, number>();
  const after = new Map<string, number>();
  for (const record of records) {
    if (record.key === null) continue;
    (isBefore(record) ? before : after).set(record.key, record.partition);
  }
  const matrix = new Map<number, Map<number, number>>();
  const examples: KeyMoves['examples'] = [];
  let keys = 0;
  let moved = 0;
  for (const [key, from] of before) {
    const to = after.get(key);
    if (to === undefined) continue;
    keys += 1;
    const row = matrix.get(from) ?? new Map<number, number>();
    row.set(to, (row.get(to) ?? 0) + 1);
    matrix.set(from, row);
    if (to !== from) {
      moved += 1;
      if (examples.length < 5) examples.push({ key, before: from, after: to });
    }
  }
  return { keys, moved, matrix, examples };
}

/** Rows of the before → after matrix, for a table. */
export function keyMoveRows(moves: KeyMoves): { before: string; after: string; keys: number; moved: boolean }[] {
  return [...moves.matrix.entries()]
    .sort((a, b) => a[0] - b[0])
    .flatMap(([from, row]) =>
      [...row.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([to, keys]) => ({ before: partitionLabel(from), after: partitionLabel(to), keys, moved: from !== to })),
    );
}
