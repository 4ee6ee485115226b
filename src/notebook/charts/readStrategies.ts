import type { RestartRun } from '../../scenarios/readStrategies';
import type { PlotlyFigure, ReceivedRecord } from '../types';
import { colorAt, figure, secondsSince, type FigureOptions } from './common';

/** Charts of notebook 04 (read strategies). */

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
      shapes: marks.map((mark) => ({
        type: 'line',
        xref: 'x',
        yref: 'paper',
        x0: secondsSince(mark.at, t0),
        x1: secondsSince(mark.at, t0),
        y0: 0,
        y1: 1,
        line: { color: '#d62728', dash: 'dash', width: 1 },
      })),
      annotations: marks.map((mark) => ({
        x: secondsSince(mark.at, t0),
        y: 1,
        xref: 'x',
        yref: 'paper',
        yanchor: 'bottom',
        text: mark.label,
        showarrow: false,
        font: { size: 10, color: '#d62728' },
      })),
    },
    { title: options.title ?? 'Which messages each group received, over time', height: options.height },
  );
}

/** Stacked bars per commit mode: messages delivered once, and delivered again after the restart. */
export function redeliveryChart(runs: readonly RestartRun[], options: FigureOptions = {}): PlotlyFigure {
  const x = runs.map((run) => run.commit);
  return figure(
    [
      {
        type: 'bar',
        name: 'delivered once',
        x,
        y: runs.map((run) => run.produced - run.missing),
        marker: { color: colorAt(0) },
      },
      {
        type: 'bar',
        name: 'delivered again after the restart',
        x,
        y: runs.map((run) => run.duplicates),
        marker: { color: colorAt(3) },
        text: runs.map((run) => String(run.duplicates)),
        textposition: 'outside',
      },
    ],
    {
      barmode: 'stack',
      xaxis: { title: { text: 'commit mode' }, type: 'category' },
      yaxis: { title: { text: 'messages' } },
    },
    { title: options.title ?? 'A consumer stopped and replaced: deliveries per commit mode', height: options.height },
  );
}
