import { colorAt, consumerIds, figure, secondsSince, startOf, type FigureOptions } from './common';
import type { PlotlyFigure, ReceivedRecord } from '../types';

/**
 * Cumulative messages received per consumer over time (seconds from the first
 * produce or receive). At most `maxPoints` points per consumer keep the figure small.
 */
export function receiveTimelineChart(
  records: readonly Pick<ReceivedRecord, 'consumer' | 'producedAt' | 'receivedAt'>[],
  options: FigureOptions & { consumers?: readonly string[]; t0?: number; maxPoints?: number } = {},
): PlotlyFigure {
  const t0 = options.t0 ?? startOf(records);
  const maxPoints = Math.max(2, options.maxPoints ?? 200);
  const byConsumer = new Map<string, number[]>();
  for (const record of records) {
    const times = byConsumer.get(record.consumer) ?? [];
    times.push(record.receivedAt);
    byConsumer.set(record.consumer, times);
  }
  const data = consumerIds(records, options.consumers).map((id, i) => {
    const times = (byConsumer.get(id) ?? []).sort((a, b) => a - b);
    const step = Math.max(1, Math.ceil(times.length / maxPoints));
    const x: number[] = [];
    const y: number[] = [];
    times.forEach((t, index) => {
      if (index % step === step - 1 || index === times.length - 1) {
        x.push(secondsSince(t, t0));
        y.push(index + 1);
      }
    });
    return { type: 'scatter', mode: 'lines', line: { shape: 'hv', color: colorAt(i) }, name: id, x, y };
  });
  return figure(
    data,
    { xaxis: { title: { text: 'seconds since start' } }, yaxis: { title: { text: 'messages received (cumulative)' } } },
    { title: options.title ?? 'Receive timeline', height: options.height },
  );
}
