import type { KeyMoves, PartitionSkew } from '../../observe/partitionsAndKeys';
import { formatPercent } from '../format';
import type { PlotlyFigure } from '../types';
import { figure, partitionLabel, type FigureOptions } from './common';

/** Charts of notebook 05 (partitions and keys). */

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
        text: keys.map((key) =>
          counts.map((p) => {
            const s = cell(key, p);
            return s
              ? `${s.maxOverMean.toFixed(1)}× (${partitionLabel(s.busiestPartition)} ${formatPercent(s.busiestShare)})`
              : '';
          }),
        ),
        texttemplate: '%{text}',
        colorscale: 'Reds',
        zmin: 1,
        colorbar: { title: { text: 'busiest / mean' } },
        hovertemplate: '%{y}, %{x}: busiest partition %{z:.2f}× the mean<extra></extra>',
      },
    ],
    { xaxis: { type: 'category', title: { text: 'topic' } }, yaxis: { type: 'category', autorange: 'reversed' } },
    {
      title: options.title ?? 'How hot the busiest partition runs (1× = perfectly even)',
      height: options.height ?? 360,
    },
  );
}

/** A heatmap: keys per (partition before, partition after). */
export function keyMovesChart(
  moves: KeyMoves,
  options: FigureOptions & { partitionsBefore?: number; partitionsAfter?: number } = {},
): PlotlyFigure {
  const befores = Array.from(
    { length: options.partitionsBefore ?? Math.max(0, ...moves.matrix.keys()) + 1 },
    (_, p) => p,
  );
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
    {
      xaxis: { type: 'category', title: { text: 'partition after adding partitions' } },
      yaxis: { type: 'category', autorange: 'reversed', title: { text: 'partition before' } },
    },
    {
      title: options.title ?? 'Where each key lands before and after partitions were added',
      height: options.height ?? 360,
    },
  );
}

/** Keyed messages checked per combination, with those that broke per-key order stacked on top. */
export function orderCheckChart(
  rows: readonly { label: string; messages: number; outOfOrder: number }[],
  options: FigureOptions = {},
): PlotlyFigure {
  const x = rows.map((row) => row.label);
  return figure(
    [
      {
        type: 'bar',
        name: 'in order',
        x,
        y: rows.map((row) => row.messages - row.outOfOrder),
        marker: { color: '#2ca02c' },
      },
      { type: 'bar', name: 'out of order', x, y: rows.map((row) => row.outOfOrder), marker: { color: '#d62728' } },
    ],
    {
      barmode: 'stack',
      xaxis: { type: 'category', title: { text: 'partitions · key' } },
      yaxis: { title: { text: 'keyed messages checked' } },
    },
    {
      title: options.title ?? 'Per-key order within each partition, checked on what the consumer received',
      height: options.height,
    },
  );
}

/** The order check of a key sweep, one bar per topic ("partitions · key"), out-of-order counts in offset and produce time together. */
export function sweepOrderChart(
  rows: readonly {
    partitions: number;
    key: string;
    messages: number;
    outOfOrder: number;
    producedOutOfOrder: number;
  }[],
  options: FigureOptions = {},
): PlotlyFigure {
  return orderCheckChart(
    rows.map((r) => ({
      label: `${r.partitions} · ${r.key}`,
      messages: r.messages,
      outOfOrder: r.outOfOrder + r.producedOutOfOrder,
    })),
    options,
  );
}
