import { colorAt, consumerIds, figure, round3, startOf, type FigureOptions } from './common';
import type { PlotlyFigure, ReceivedRecord } from '../types';

/** Messages per second per consumer, in buckets of `bucketMs` (default 1 s). */
export function throughputChart(
  records: readonly Pick<ReceivedRecord, 'consumer' | 'producedAt' | 'receivedAt'>[],
  options: FigureOptions & { consumers?: readonly string[]; t0?: number; bucketMs?: number } = {},
): PlotlyFigure {
  const t0 = options.t0 ?? startOf(records);
  const bucketMs = options.bucketMs ?? 1000;
  let lastBucket = 0;
  const counts = new Map<string, Map<number, number>>();
  for (const record of records) {
    const bucket = Math.floor((record.receivedAt - t0) / bucketMs);
    lastBucket = Math.max(lastBucket, bucket);
    const perConsumer = counts.get(record.consumer) ?? new Map<number, number>();
    perConsumer.set(bucket, (perConsumer.get(bucket) ?? 0) + 1);
    counts.set(record.consumer, perConsumer);
  }
  const buckets = Array.from({ length: lastBucket + 1 }, (_, i) => i);
  const data = consumerIds(records, options.consumers).map((id, i) => ({
    type: 'scatter',
    mode: 'lines',
    name: id,
    line: { color: colorAt(i) },
    x: buckets.map((b) => round3((b * bucketMs) / 1000)),
    y: buckets.map((b) => round3(((counts.get(id)?.get(b) ?? 0) * 1000) / bucketMs)),
  }));
  return figure(
    data,
    { xaxis: { title: { text: 'seconds since start' } }, yaxis: { title: { text: 'messages per second' } } },
    { title: options.title ?? 'Throughput per consumer', height: options.height },
  );
}
