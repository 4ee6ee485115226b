import { colorAt, figure, round3, secondsSince, type FigureOptions } from './charts/common';
import { formatNumber, formatPercent } from './format';
import type { PlotlyFigure, ReceivedRecord } from './types';

/**
 * Helpers for notebook 04 (read strategies): where a new group starts
 * (earliest/latest), what a restart re-delivers under each commit mode, and
 * publish/subscribe (several groups) versus a queue (one group).
 */

/** The received-log view of a consumer that these helpers read (LabConsumer satisfies it). */
export interface LoggedConsumer {
  readonly id: string;
  readonly log: { readonly length: number; partitionAt(i: number): number; offsetAt(i: number): number };
}

/** Per partition, one past the last offset the producer wrote (a ProducedLog satisfies the shape). */
export interface ProducedRanges {
  partitions(): number[];
  range(partition: number): { first: number; end: number } | undefined;
}

/**
 * True when, in every partition the producer wrote to, some consumer has
 * received the last offset written: a group that started at `latest` cannot
 * know how many messages it will get, but it knows when it reached the end.
 */
export function hasReachedEnd(consumers: readonly LoggedConsumer[], produced: ProducedRanges): boolean {
  const highest = highestOffsets(consumers);
  return produced.partitions().every((partition) => (highest.get(partition) ?? -1) >= produced.range(partition)!.end - 1);
}

/**
 * For a group that started at `latest` while the stream ran: true once it has
 * read something and, in every partition it read from, the last offset written.
 * A partition whose messages all came before the group's position was set gives
 * it nothing to read, so `hasReachedEnd` alone could wait for it forever.
 */
export function latestHasCaughtUp(consumers: readonly LoggedConsumer[], produced: ProducedRanges): boolean {
  const highest = highestOffsets(consumers);
  return highest.size > 0 && [...highest.entries()].every(([partition, offset]) => offset >= (produced.range(partition)?.end ?? 0) - 1);
}

/** The highest offset any of the consumers received, per partition. */
function highestOffsets(consumers: readonly LoggedConsumer[]): Map<number, number> {
  const highest = new Map<number, number>();
  for (const consumer of consumers) {
    const log = consumer.log;
    for (let i = 0; i < log.length; i += 1) {
      const partition = log.partitionAt(i);
      highest.set(partition, Math.max(highest.get(partition) ?? -1, log.offsetAt(i)));
    }
  }
  return highest;
}

/** The same records with the consumer renamed `<label>/<consumer>`, to compare groups in one chart. */
export function labelRecords<T extends Pick<ReceivedRecord, 'consumer'>>(records: readonly T[], label: string): T[] {
  return records.map((record) => ({ ...record, consumer: `${label}/${record.consumer}` }));
}

function seqOf(record: Pick<ReceivedRecord, 'value'>): number | null {
  const value = record.value as { seq?: unknown } | null | undefined;
  return value && typeof value.seq === 'number' ? value.seq : null;
}

/**
 * Which message (its `seq` in the stream) each series received, over time:
 * a group from `earliest` starts at seq 0, one from `latest` at the seq being
 * produced when it joined. Vertical lines mark moments (e.g. the join).
 */
export function seqOverTimeChart(
  series: readonly { name: string; records: readonly Pick<ReceivedRecord, 'receivedAt' | 'value'>[] }[],
  options: FigureOptions & { t0?: number; marks?: readonly { at: number; label: string }[]; maxPoints?: number } = {},
): PlotlyFigure {
  const all = series.flatMap((s) => s.records.map((record) => record.receivedAt));
  const t0 = options.t0 ?? (all.length ? Math.min(...all) : 0);
  const maxPoints = Math.max(2, options.maxPoints ?? 400);
  const data = series.map((s, i) => {
    const points = s.records
      .map((record) => ({ at: record.receivedAt, seq: seqOf(record) }))
      .filter((point): point is { at: number; seq: number } => point.seq !== null)
      .sort((a, b) => a.at - b.at);
    const step = Math.max(1, Math.ceil(points.length / maxPoints));
    const kept = points.filter((_, index) => index % step === 0 || index === points.length - 1);
    return {
      type: 'scatter',
      mode: 'markers',
      name: s.name,
      marker: { size: 4, color: colorAt(i) },
      x: kept.map((point) => secondsSince(point.at, t0)),
      y: kept.map((point) => point.seq),
    };
  });
  const marks = options.marks ?? [];
  return figure(
    data,
    {
      xaxis: { title: { text: 'seconds since start' } },
      yaxis: { title: { text: 'message seq in the stream' }, rangemode: 'tozero' },
      shapes: marks.map((mark) => ({ type: 'line', xref: 'x', yref: 'paper', x0: secondsSince(mark.at, t0), x1: secondsSince(mark.at, t0), y0: 0, y1: 1, line: { color: '#d62728', dash: 'dash', width: 1 } })),
      annotations: marks.map((mark) => ({ x: secondsSince(mark.at, t0), y: 1, xref: 'x', yref: 'paper', yanchor: 'bottom', text: mark.label, showarrow: false, font: { size: 10, color: '#d62728' } })),
    },
    { title: options.title ?? 'Which messages each group received, over time', height: options.height },
  );
}

/** One stop-and-restart run under a commit mode. */
export interface RestartRun {
  commit: string;
  produced: number;
  /** Messages the first consumer processed before it was stopped. */
  beforeStop: number;
  /** Seconds from the first consumer's start to its stop. */
  stoppedAfterS: number;
  /** Messages its replacement received. */
  afterRestart: number;
  /** Messages delivered a second time (the replacement re-read them). */
  duplicates: number;
  missing: number;
}

/** Stacked bars per commit mode: messages delivered once, and delivered again after the restart. */
export function redeliveryChart(runs: readonly RestartRun[], options: FigureOptions = {}): PlotlyFigure {
  const x = runs.map((run) => run.commit);
  return figure(
    [
      { type: 'bar', name: 'delivered once', x, y: runs.map((run) => run.produced - run.missing), marker: { color: colorAt(0) } },
      { type: 'bar', name: 'delivered again after the restart', x, y: runs.map((run) => run.duplicates), marker: { color: colorAt(3) }, text: runs.map((run) => String(run.duplicates)), textposition: 'outside' },
    ],
    { barmode: 'stack', xaxis: { title: { text: 'commit mode' }, type: 'category' }, yaxis: { title: { text: 'messages' } } },
    { title: options.title ?? 'A consumer stopped and replaced: deliveries per commit mode', height: options.height },
  );
}

export function describeRedelivery(runs: readonly RestartRun[]): string {
  return runs
    .map((run) => {
      const head = `With ${run.commit} commits, the first consumer processed ${formatNumber(run.beforeStop)} messages in ${formatNumber(run.stoppedAfterS)} s and was stopped; its replacement received ${formatNumber(run.afterRestart)}`;
      if (run.duplicates === 0) return `${head}, starting right after the last processed message: nothing was delivered twice${run.missing ? `, ${formatNumber(run.missing)} missing` : ''}.`;
      return (
        `${head}, of which ${formatNumber(run.duplicates)} (${formatPercent(run.duplicates / Math.max(1, run.beforeStop))} of what was processed before the stop) had already been processed: ` +
        `the last committed offsets were behind the last processed ones, and the replacement resumed from the committed offsets${run.missing ? `; ${formatNumber(run.missing)} missing` : ''}.`
      );
    })
    .join(' ');
}

/** What earliest and latest groups got, joining mid-stream: `producedAt` counts the messages out when they began to join and when they had their partitions. */
export function describeStartFrom(
  rows: readonly { from: string; received: number; missing: number; firstSeq: number | null }[],
  producedAt: { joining: number; assigned: number },
  produced: number,
): string {
  const parts = rows.map((row) =>
    row.missing === 0
      ? `the ${row.from} group received all ${formatNumber(row.received)} messages, from seq ${row.firstSeq ?? '–'}`
      : `the ${row.from} group received ${formatNumber(row.received)} and never saw the ${formatNumber(row.missing)} before them (${formatPercent(row.missing / Math.max(1, produced))}), starting at seq ${row.firstSeq ?? '–'}`,
  );
  return (
    `The groups began joining when ${formatNumber(producedAt.joining)} of ${formatNumber(produced)} messages had been produced and had their partitions at ${formatNumber(producedAt.assigned)}: ${parts.join('; ')}. ` +
    'The latest position is taken when a partition is assigned, not when the consumer starts, and it only applies to a group with no committed offsets: once a group commits, it resumes from there.'
  );
}

/** Publish/subscribe versus queue, from per-consumer counts. */
export function describeFanOut(rows: readonly { arrangement: string; group: string; consumer: string; received: number }[], produced: number): string {
  const byArrangement = new Map<string, { groups: Set<string>; consumers: number; total: number; min: number; max: number }>();
  for (const row of rows) {
    const entry = byArrangement.get(row.arrangement) ?? { groups: new Set<string>(), consumers: 0, total: 0, min: Infinity, max: 0 };
    entry.groups.add(row.group);
    entry.consumers += 1;
    entry.total += row.received;
    entry.min = Math.min(entry.min, row.received);
    entry.max = Math.max(entry.max, row.received);
    byArrangement.set(row.arrangement, entry);
  }
  return [...byArrangement.entries()]
    .map(([arrangement, e]) => {
      const copies = e.total / Math.max(1, produced);
      return `${arrangement}: ${e.consumers} consumer${e.consumers === 1 ? '' : 's'} in ${e.groups.size} group${e.groups.size === 1 ? '' : 's'} received ${formatNumber(e.total)} messages in all, ${round3(copies)}× the ${formatNumber(produced)} produced (each consumer ${formatNumber(e.min)}${e.max !== e.min ? `–${formatNumber(e.max)}` : ''}).`;
    })
    .join(' ') + ' Every group gets the whole stream; inside a group the partitions, and so the messages, are shared.';
}

/** Per partition: the last offset the stopped consumer processed and the first its replacement received. */
export function resumePoints(stopped: LoggedConsumer, replacement: LoggedConsumer): { partition: number; lastProcessed: number | null; resumedAt: number | null; reRead: number }[] {
  const last = new Map<number, number>();
  const first = new Map<number, number>();
  for (let i = 0; i < stopped.log.length; i += 1) {
    const partition = stopped.log.partitionAt(i);
    last.set(partition, Math.max(last.get(partition) ?? -1, stopped.log.offsetAt(i)));
  }
  for (let i = 0; i < replacement.log.length; i += 1) {
    const partition = replacement.log.partitionAt(i);
    first.set(partition, Math.min(first.get(partition) ?? Infinity, replacement.log.offsetAt(i)));
  }
  return [...new Set([...last.keys(), ...first.keys()])]
    .sort((a, b) => a - b)
    .map((partition) => {
      const lastProcessed = last.get(partition) ?? null;
      const resumedAt = first.get(partition) ?? null;
      return { partition, lastProcessed, resumedAt, reRead: lastProcessed !== null && resumedAt !== null ? Math.max(0, lastProcessed - resumedAt + 1) : 0 };
    });
}
