import type { KeyMoves, PartitionSkew } from '../../observe/partitionsAndKeys';
import { partitionLabel } from '../charts/common';
import { formatNumber, formatPercent } from '../format';

/** Sentences of notebook 05 (partitions and keys), computed from the data. */

export function describeSkew(skews: readonly PartitionSkew[]): string {
  if (skews.length === 0) return 'No combinations were run.';
  const widest = Math.max(...skews.map((s) => s.partitions));
  const atWidest = skews.filter((s) => s.partitions === widest).sort((a, b) => b.maxOverMean - a.maxOverMean);
  const hottest = atWidest[0];
  const coolest = atWidest[atWidest.length - 1];
  return (
    `On ${widest} partitions, key=${hottest.key} runs hottest: ${partitionLabel(hottest.busiestPartition)} takes ${formatPercent(hottest.busiestShare)} of the messages, ${hottest.maxOverMean.toFixed(1)}× its fair share, and only ${hottest.used} of ${widest} partitions get any. ` +
    `key=${coolest.key} is the most even (${coolest.maxOverMean.toFixed(2)}×). A key sends every message of one value to one partition, so a value that dominates the data dominates a partition, however many partitions there are.`
  );
}

export function describeKeyMoves(moves: KeyMoves, partitionsBefore: number, partitionsAfter: number): string {
  if (moves.keys === 0) return 'No key was produced both before and after the change.';
  const example = moves.examples[0];
  return (
    `Going from ${partitionsBefore} to ${partitionsAfter} partitions moved ${formatNumber(moves.moved)} of ${formatNumber(moves.keys)} keys (${formatPercent(moves.moved / moves.keys)}) to another partition` +
    (example
      ? `, e.g. key ${example.key} from ${partitionLabel(example.before)} to ${partitionLabel(example.after)}`
      : '') +
    `. The partition is hash(key) mod the partition count, so changing the count re-maps keys: for a moved key, a consumer may now see new messages before older ones still waiting in the old partition.`
  );
}

/** The share of rows from one country (the United Kingdom dominates the data set). */
export function describeCountryShare(rows: readonly { country?: unknown }[], country = 'United Kingdom'): string {
  const share = rows.filter((row) => row.country === country).length / Math.max(1, rows.length);
  return `The ${country} alone accounts for ${formatPercent(share)} of the rows.`;
}
