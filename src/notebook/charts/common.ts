import { naturalCompare } from '../format';
import type { PlotlyFigure, PlotlyTrace, ReceivedRecord } from '../types';

/** Plotly's default colour cycle, pinned so snapshots do not depend on Plotly's version. */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export function colorAt(index: number): string {
  return PALETTE[index % PALETTE.length];
}

/** Rounds to milliseconds-of-a-second precision, keeping figure JSON small and stable. */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Seconds from `t0` to `t` (both ms epoch), rounded to ms. */
export function secondsSince(t: number, t0: number): number {
  return round3((t - t0) / 1000);
}

export function partitionLabel(partition: number): string {
  return `p${partition}`;
}

/** Consumers in natural order: the given list first (so idle ones show), then any others seen. */
export function consumerIds(records: readonly Pick<ReceivedRecord, 'consumer'>[], given?: readonly string[]): string[] {
  const seen = new Set<string>(given ?? []);
  for (const record of records) seen.add(record.consumer);
  return given ? [...given, ...[...seen].filter((id) => !given.includes(id)).sort(naturalCompare)] : [...seen].sort(naturalCompare);
}

/** Counts by a key, as a Map keeping first-seen order. */
export function countBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, number> {
  const counts = new Map<K, number>();
  for (const item of items) {
    const k = key(item);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

export interface FigureOptions {
  title?: string;
  height?: number;
}

/**
 * Axes grow the margin to fit their tick labels and title (`automargin`), so a
 * title never draws over long tick labels such as `consumer-10` or `120,000`.
 */
function withAutomargin(layout: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(layout).map(([key, value]) =>
      /^[xy]axis\d*$/.test(key) && value && typeof value === 'object' && !('automargin' in value) ? [key, { automargin: true, ...value }] : [key, value],
    ),
  );
}

/** A figure with the lab's layout defaults. */
export function figure(data: PlotlyTrace[], layout: Record<string, unknown>, options: FigureOptions = {}): PlotlyFigure {
  return {
    data,
    layout: {
      title: { text: options.title ?? '' },
      height: options.height ?? 420,
      margin: { l: 70, r: 30, t: 60, b: 60 },
      legend: { orientation: 'v' },
      template: { layout: { font: { family: 'Arial, sans-serif' } } },
      ...withAutomargin(layout),
    },
  };
}

/** The earliest time in a set of records (produce or receive), the zero of time axes. */
export function startOf(records: readonly Pick<ReceivedRecord, 'producedAt' | 'receivedAt'>[]): number {
  let t0 = Number.POSITIVE_INFINITY;
  for (const record of records) t0 = Math.min(t0, record.producedAt, record.receivedAt);
  return Number.isFinite(t0) ? t0 : 0;
}

/** The country of a retail row value, when there is one. */
export function countryOf(record: Pick<ReceivedRecord, 'value'>): string {
  const value = record.value as { country?: unknown } | undefined;
  return value && typeof value === 'object' && typeof value.country === 'string' && value.country ? value.country : 'unknown';
}
