import { colorAt, consumerIds, countBy, figure, type FigureOptions } from './common';
import type { PlotlyFigure, ReceivedRecord } from '../types';

/**
 * Messages received per consumer, one bar each. Pass `consumers` to show the
 * ones that received nothing (idle: more consumers than partitions).
 */
export function messagesPerConsumerChart(
  records: readonly Pick<ReceivedRecord, 'consumer'>[],
  options: FigureOptions & { consumers?: readonly string[] } = {},
): PlotlyFigure {
  const ids = consumerIds(records, options.consumers);
  const counts = countBy(records, (record) => record.consumer);
  const y = ids.map((id) => counts.get(id) ?? 0);
  return figure(
    [
      {
        type: 'bar',
        name: 'messages',
        x: ids,
        y,
        text: y.map((count) => (count === 0 ? 'idle' : String(count))),
        textposition: 'outside',
        marker: { color: ids.map((_, i) => colorAt(i)) },
      },
    ],
    {
      xaxis: { title: { text: 'consumer' }, type: 'category' },
      yaxis: { title: { text: 'messages received' } },
      showlegend: false,
    },
    { title: options.title ?? 'Messages per consumer', height: options.height },
  );
}
