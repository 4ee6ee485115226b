import { colorAt, figure, type FigureOptions } from './common';
import type { PlotlyFigure } from '../types';

/** What the queue charts need of a run (a QueueScenarioResult fits). */
export interface QueueRunLike {
  groupType: string;
  consumers: ReadonlyArray<{ id: string; received: number; killed: boolean }>;
  orderViolations: { count: number; checked: number };
  deliveries: ReadonlyArray<{ consumer: string; receivedAt: number; deliveryCount: number }>;
}

function runLabel(run: QueueRunLike, index: number): string {
  return `${run.groupType} group${index > 0 ? ` (${index + 1})` : ''}`;
}

/** Messages per consumer, one bar group per run: idle consumers show as empty slots. */
export function queueMessagesChart(runs: readonly QueueRunLike[], options: FigureOptions = {}): PlotlyFigure {
  const ids = runs[0]?.consumers.map((c) => c.id) ?? [];
  return figure(
    runs.map((run, index) => ({
      type: 'bar',
      name: runLabel(run, index),
      x: run.consumers.map((c) => c.id),
      y: run.consumers.map((c) => c.received),
      text: run.consumers.map((c) =>
        c.received === 0 ? 'idle' : c.killed ? `${c.received} (killed)` : String(c.received),
      ),
      textposition: 'outside',
      marker: { color: colorAt(index) },
    })),
    {
      barmode: 'group',
      xaxis: { title: { text: 'consumer' }, type: 'category', categoryarray: ids },
      yaxis: { title: { text: 'messages received' } },
    },
    { title: options.title ?? 'Messages per consumer', height: options.height },
  );
}

/** Per-key order: records processed after a later record of their key, per run. */
export function keyOrderViolationsChart(runs: readonly QueueRunLike[], options: FigureOptions = {}): PlotlyFigure {
  return figure(
    [
      {
        type: 'bar',
        name: 'out of order',
        x: runs.map((run, index) => runLabel(run, index)),
        y: runs.map((run) => run.orderViolations.count),
        text: runs.map((run) => `${run.orderViolations.count} of ${run.orderViolations.checked}`),
        textposition: 'outside',
        marker: { color: runs.map((_, index) => colorAt(index)) },
      },
    ],
    {
      xaxis: { title: { text: 'group type' }, type: 'category' },
      yaxis: { title: { text: 'records processed after a later record of their key' } },
      showlegend: false,
    },
    { title: options.title ?? 'Per-key order across the group', height: options.height },
  );
}

/**
 * Deliveries over time, one series per delivery count (1 = first delivery). A
 * killed share member's records reappear as delivery count 2 after the lock timeout.
 */
export function deliveriesChart(
  run: QueueRunLike,
  options: FigureOptions & { t0?: number; binMs?: number; killedAt?: number } = {},
): PlotlyFigure {
  const binMs = options.binMs ?? 500;
  const t0 = options.t0 ?? Math.min(...run.deliveries.map((d) => d.receivedAt));
  const counts = new Map<number, Map<number, number>>();
  for (const d of run.deliveries) {
    const bin = Math.floor((d.receivedAt - t0) / binMs);
    const perBin = counts.get(d.deliveryCount) ?? new Map<number, number>();
    perBin.set(bin, (perBin.get(bin) ?? 0) + 1);
    counts.set(d.deliveryCount, perBin);
  }
  const lastBin = Math.max(0, ...[...counts.values()].flatMap((m) => [...m.keys()]));
  const bins = Array.from({ length: lastBin + 1 }, (_, i) => i);
  const traces = [...counts.keys()]
    .sort((a, b) => a - b)
    .map((count) => ({
      type: 'bar',
      name: `delivery ${count}`,
      x: bins.map((b) => Math.round(b * binMs) / 1000),
      y: bins.map((b) => counts.get(count)!.get(b) ?? 0),
      marker: { color: colorAt(count - 1) },
    }));
  const shapes =
    options.killedAt === undefined
      ? []
      : [
          {
            type: 'line',
            x0: (options.killedAt - t0) / 1000,
            x1: (options.killedAt - t0) / 1000,
            y0: 0,
            y1: 1,
            yref: 'paper',
            line: { color: '#d62728', dash: 'dash' },
          },
        ];
  return figure(
    traces,
    {
      barmode: 'stack',
      shapes,
      xaxis: { title: { text: 'seconds since the first delivery' } },
      yaxis: { title: { text: `deliveries per ${binMs} ms` } },
    },
    { title: options.title ?? 'Deliveries over time, by delivery count', height: options.height },
  );
}
