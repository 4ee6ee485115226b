import { colorAt, figure, partitionLabel, secondsSince, type FigureOptions } from './common';
import type { LagSample, PlotlyFigure } from '../types';

/** Lag per partition over time, plus the total (sum over partitions per sample time). */
export function lagOverTimeChart(
  samples: readonly LagSample[],
  options: FigureOptions & { t0?: number } = {},
): PlotlyFigure {
  const sorted = [...samples].sort((a, b) => a.at - b.at || a.partition - b.partition);
  const t0 = options.t0 ?? (sorted.length ? sorted[0].at : 0);
  const partitions = [...new Set(sorted.map((sample) => sample.partition))].sort((a, b) => a - b);
  const totals = new Map<number, number>();
  for (const sample of sorted) totals.set(sample.at, (totals.get(sample.at) ?? 0) + sample.lag);
  const data = partitions.map((partition) => {
    const own = sorted.filter((sample) => sample.partition === partition);
    return {
      type: 'scatter',
      mode: 'lines',
      name: partitionLabel(partition),
      line: { width: 1, color: colorAt(partition) },
      x: own.map((sample) => secondsSince(sample.at, t0)),
      y: own.map((sample) => sample.lag),
    };
  });
  data.push({
    type: 'scatter',
    mode: 'lines',
    name: 'total',
    line: { width: 3, color: '#000000' },
    x: [...totals.keys()].map((at) => secondsSince(at, t0)),
    y: [...totals.values()],
  });
  return figure(
    data,
    {
      xaxis: { title: { text: 'seconds since start' } },
      yaxis: { title: { text: 'lag (messages)' }, rangemode: 'tozero' },
    },
    { title: options.title ?? 'Consumer lag over time', height: options.height },
  );
}
