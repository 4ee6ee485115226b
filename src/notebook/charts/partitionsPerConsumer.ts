import { colorAt, consumerIds, figure, partitionLabel, type FigureOptions } from './common';
import type { PlotlyFigure, ReceivedRecord } from '../types';

/** Messages per consumer, stacked by the partition they came from. */
export function partitionsPerConsumerChart(
  records: readonly Pick<ReceivedRecord, 'consumer' | 'partition'>[],
  options: FigureOptions & { consumers?: readonly string[] } = {},
): PlotlyFigure {
  const ids = consumerIds(records, options.consumers);
  const partitions = [...new Set(records.map((record) => record.partition))].sort((a, b) => a - b);
  const counts = new Map<string, number>();
  for (const record of records) {
    const key = `${record.consumer}\u0000${record.partition}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const data = partitions.map((partition) => ({
    type: 'bar',
    name: partitionLabel(partition),
    x: ids,
    y: ids.map((id) => counts.get(`${id}\u0000${partition}`) ?? 0),
    marker: { color: colorAt(partition) },
  }));
  return figure(
    data,
    {
      barmode: 'stack',
      xaxis: { title: { text: 'consumer' }, type: 'category' },
      yaxis: { title: { text: 'messages received' } },
      legend: { title: { text: 'partition' }, traceorder: 'normal' },
    },
    { title: options.title ?? 'Partitions per consumer', height: options.height },
  );
}
