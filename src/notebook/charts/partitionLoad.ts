import { colorAt, countBy, figure, partitionLabel, type FigureOptions } from './common';
import type { PlotlyFigure, ReceivedRecord } from '../types';

/** Messages in one partition, for one series (e.g. `key=country`). */
export interface PartitionLoad {
  partition: number;
  messages: number;
  series?: string;
}

/** Messages per partition from received records (each message counted once per delivery). */
export function loadByPartition(
  records: readonly Pick<ReceivedRecord, 'partition'>[],
  series?: string,
): PartitionLoad[] {
  return [...countBy(records, (record) => record.partition).entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([partition, messages]) => (series === undefined ? { partition, messages } : { partition, messages, series }));
}

/** Load per partition as grouped bars, one group per series. */
export function partitionLoadChart(loads: readonly PartitionLoad[], options: FigureOptions = {}): PlotlyFigure {
  const partitions = [...new Set(loads.map((load) => load.partition))].sort((a, b) => a - b);
  const series = [...new Set(loads.map((load) => load.series ?? 'messages'))];
  const data = series.map((name, i) => ({
    type: 'bar',
    name,
    x: partitions.map(partitionLabel),
    y: partitions.map((partition) =>
      loads
        .filter((load) => load.partition === partition && (load.series ?? 'messages') === name)
        .reduce((sum, load) => sum + load.messages, 0),
    ),
    marker: { color: colorAt(i) },
  }));
  return figure(
    data,
    {
      barmode: 'group',
      xaxis: { title: { text: 'partition' }, type: 'category' },
      yaxis: { title: { text: 'messages' } },
      showlegend: series.length > 1,
    },
    { title: options.title ?? 'Load per partition', height: options.height },
  );
}
