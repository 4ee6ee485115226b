import { figure, partitionLabel, round3, type FigureOptions } from './charts/common';
import { formatNumber, formatPercent } from './format';
import type { PlotlyFigure, ReceivedRecord } from './types';

/**
 * Helpers for notebook 05 (partitions and keys): how unevenly a key strategy
 * loads the partitions, and where keys land after partitions are added.
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

/** A heatmap of busiest-over-mean per key (rows) and partition count (columns). */
export function partitionSkewChart(skews: readonly PartitionSkew[], options: FigureOptions = {}): PlotlyFigure {
  const counts = [...new Set(skews.map((s) => s.partitions))].sort((a, b) => a - b);
  const keys = [...new Set(skews.map((s) => s.key))];
  const cell = (key: string, partitions: number) => skews.find((s) => s.key === key && s.partitions === partitions);
  const z = keys.map((key) => counts.map((p) => cell(key, p)?.maxOverMean ?? null));
  return figure(
    [
      {
        type: 'heatmap',
        x: counts.map((p) => `${p} partition${p === 1 ? '' : 's'}`),
        y: keys.map((key) => `key=${key}`),
        z,
        text: keys.map((key) => counts.map((p) => {
          const s = cell(key, p);
          return s ? `${s.maxOverMean.toFixed(1)}× (${partitionLabel(s.busiestPartition)} ${formatPercent(s.busiestShare)})` : '';
        })),
        texttemplate: '%{text}',
        colorscale: 'Reds',
        zmin: 1,
        colorbar: { title: { text: 'busiest / mean' } },
        hovertemplate: '%{y}, %{x}: busiest partition %{z:.2f}× the mean<extra></extra>',
      },
    ],
    { xaxis: { type: 'category', title: { text: 'topic' } }, yaxis: { type: 'category', autorange: 'reversed' } },
    { title: options.title ?? 'How hot the busiest partition runs (1× = perfectly even)', height: options.height ?? 360 },
  );
}

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
export function keyMoves(records: readonly Pick<ReceivedRecord, 'key' | 'partition' | 'producedAt'>[], isBefore: (record: Pick<ReceivedRecord, 'producedAt'>) => boolean): KeyMoves {
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
    .flatMap(([from, row]) => [...row.entries()].sort((a, b) => a[0] - b[0]).map(([to, keys]) => ({ before: partitionLabel(from), after: partitionLabel(to), keys, moved: from !== to })));
}

/** A heatmap: keys per (partition before, partition after). */
export function keyMovesChart(moves: KeyMoves, options: FigureOptions & { partitionsBefore?: number; partitionsAfter?: number } = {}): PlotlyFigure {
  const befores = Array.from({ length: options.partitionsBefore ?? Math.max(0, ...moves.matrix.keys()) + 1 }, (_, p) => p);
  const afterMax = Math.max(0, ...[...moves.matrix.values()].flatMap((row) => [...row.keys()]));
  const afters = Array.from({ length: options.partitionsAfter ?? afterMax + 1 }, (_, p) => p);
  return figure(
    [
      {
        type: 'heatmap',
        x: afters.map(partitionLabel),
        y: befores.map(partitionLabel),
        z: befores.map((b) => afters.map((a) => moves.matrix.get(b)?.get(a) ?? 0)),
        texttemplate: '%{z}',
        colorscale: 'Blues',
        reversescale: true,
        colorbar: { title: { text: 'keys' } },
        hovertemplate: 'before %{y}, after %{x}: %{z} keys<extra></extra>',
      },
    ],
    { xaxis: { type: 'category', title: { text: 'partition after adding partitions' } }, yaxis: { type: 'category', autorange: 'reversed', title: { text: 'partition before' } } },
    { title: options.title ?? 'Where each key lands before and after partitions were added', height: options.height ?? 360 },
  );
}

export function describeKeyMoves(moves: KeyMoves, partitionsBefore: number, partitionsAfter: number): string {
  if (moves.keys === 0) return 'No key was produced both before and after the change.';
  const example = moves.examples[0];
  return (
    `Going from ${partitionsBefore} to ${partitionsAfter} partitions moved ${formatNumber(moves.moved)} of ${formatNumber(moves.keys)} keys (${formatPercent(moves.moved / moves.keys)}) to another partition` +
    (example ? `, e.g. key ${example.key} from ${partitionLabel(example.before)} to ${partitionLabel(example.after)}` : '') +
    `. The partition is hash(key) mod the partition count, so changing the count re-maps keys: for a moved key, a consumer may now see new messages before older ones still waiting in the old partition.`
  );
}

/** Keyed messages checked per combination, with those that broke per-key order stacked on top. */
export function orderCheckChart(rows: readonly { label: string; messages: number; outOfOrder: number }[], options: FigureOptions = {}): PlotlyFigure {
  const x = rows.map((row) => row.label);
  return figure(
    [
      { type: 'bar', name: 'in order', x, y: rows.map((row) => row.messages - row.outOfOrder), marker: { color: '#2ca02c' } },
      { type: 'bar', name: 'out of order', x, y: rows.map((row) => row.outOfOrder), marker: { color: '#d62728' } },
    ],
    { barmode: 'stack', xaxis: { type: 'category', title: { text: 'partitions · key' } }, yaxis: { title: { text: 'keyed messages checked' } } },
    { title: options.title ?? 'Per-key order within each partition, checked on what the consumer received', height: options.height },
  );
}
