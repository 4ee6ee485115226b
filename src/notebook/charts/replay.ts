import { colorAt, figure, partitionLabel, round3, secondsSince, type FigureOptions } from './common';
import type { PlotlyFigure, PlotlyTrace } from '../types';

/**
 * Charts of a day replay: pure functions from the scenario's plain series to
 * Plotly figure JSON.
 */

export interface LagView {
  /** The replay's zero on the wall clock (ms since the epoch). */
  startedAt: number;
  partitionPoints: ReadonlyArray<{ at: number; partition: number; lagMessages: number; lagSeconds: number }>;
  /** When the group was grown, if it was. */
  scaledAt: number | null;
}

function marker(x: number, text: string, color: string, dash = 'dash') {
  return {
    shape: { type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { color, width: 2, dash } },
    annotation: {
      x,
      y: 1,
      xref: 'x',
      yref: 'paper',
      yanchor: 'bottom',
      text,
      showarrow: false,
      font: { size: 11, color },
    },
  };
}

/** The marks' lines and labels, for a layout. */
function marked(marks: ReadonlyArray<ReturnType<typeof marker>>) {
  return { shapes: marks.map((m) => m.shape), annotations: marks.map((m) => m.annotation) };
}

/** "consumers added" at the scale-out, if there was one. */
function scaleMarks(scaledAt: number | null, startedAt: number) {
  return scaledAt === null ? [] : [marker(secondsSince(scaledAt, startedAt), 'consumers added', '#d62728')];
}

/** The group's lag in messages over time, as one line. */
function groupLagTrace(
  points: ReadonlyArray<{ at: number; lagMessages: number }>,
  startedAt: number,
  name: string,
  line: { color: string; width: number },
): PlotlyTrace {
  return {
    type: 'scatter',
    mode: 'lines',
    name,
    line,
    x: points.map((p) => secondsSince(p.at, startedAt)),
    y: points.map((p) => p.lagMessages),
  };
}

/**
 * Lag per partition over time, in messages (top) and in seconds, the age of the
 * oldest message not yet processed (bottom); the moment consumers were added marked.
 */
export function replayLagChart(view: LagView, options: FigureOptions = {}): PlotlyFigure {
  const partitions = [...new Set(view.partitionPoints.map((p) => p.partition))].sort((a, b) => a - b);
  const data: PlotlyTrace[] = [];
  for (const partition of partitions) {
    const own = view.partitionPoints.filter((p) => p.partition === partition);
    const x = own.map((p) => secondsSince(p.at, view.startedAt));
    const common = {
      type: 'scatter',
      mode: 'lines',
      legendgroup: partitionLabel(partition),
      line: { width: 1.5, color: colorAt(partition) },
    };
    data.push({
      ...common,
      name: partitionLabel(partition),
      x,
      y: own.map((p) => p.lagMessages),
      xaxis: 'x',
      yaxis: 'y',
    });
    data.push({
      ...common,
      name: partitionLabel(partition),
      showlegend: false,
      x,
      y: own.map((p) => round3(p.lagSeconds)),
      xaxis: 'x',
      yaxis: 'y2',
    });
  }
  const marks = scaleMarks(view.scaledAt, view.startedAt);
  return figure(
    data,
    {
      grid: { rows: 2, columns: 1, pattern: 'coupled' },
      xaxis: { title: { text: 'seconds since the replay started (wall clock)' } },
      yaxis: { title: { text: 'lag (messages)' }, rangemode: 'tozero', domain: [0.55, 1] },
      yaxis2: { title: { text: 'lag (seconds)' }, rangemode: 'tozero', domain: [0, 0.45] },
      ...marked(marks),
    },
    {
      title: options.title ?? 'Lag per partition: messages waiting, and the age of the oldest one',
      height: options.height ?? 560,
    },
  );
}

/** Lag in seconds per consumer over time (the oldest waiting message of the partitions it owned then), the scale-out marked. */
export function consumerLagChart(
  points: ReadonlyArray<{ at: number; consumer: string; lagSeconds: number; lagMessages: number }>,
  startedAt: number,
  scaledAt: number | null,
  options: FigureOptions = {},
): PlotlyFigure {
  const consumers = [...new Set(points.map((p) => p.consumer))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  const data: PlotlyTrace[] = consumers.map((consumer, i) => {
    const own = points.filter((p) => p.consumer === consumer);
    return {
      type: 'scatter',
      mode: 'lines',
      name: consumer,
      line: { width: 1.5, color: colorAt(i) },
      x: own.map((p) => secondsSince(p.at, startedAt)),
      y: own.map((p) => round3(p.lagSeconds)),
      text: own.map((p) => `${p.lagMessages} waiting`),
      hovertemplate: '%{x:.1f}s: %{y:.2f}s (%{text})<extra>%{fullData.name}</extra>',
    };
  });
  const marks = scaleMarks(scaledAt, startedAt);
  return figure(
    data,
    {
      xaxis: { title: { text: 'seconds since the replay started' } },
      yaxis: { title: { text: 'lag (seconds)' }, rangemode: 'tozero' },
      ...marked(marks),
    },
    { title: options.title ?? 'Lag in seconds per consumer', height: options.height },
  );
}

/** Rows per invoice minute of the day (event time, top) next to messages processed per second (wall clock, bottom). */
export function dayShapeChart(
  ordersPerMinute: ReadonlyArray<{ minute: string; rows: number }>,
  receivedPerSecond: ReadonlyArray<{ second: number; messages: number }>,
  options: FigureOptions & { speedup?: number } = {},
): PlotlyFigure {
  return figure(
    [
      {
        type: 'bar',
        name: 'rows per invoice minute',
        x: ordersPerMinute.map((m) => m.minute),
        y: ordersPerMinute.map((m) => m.rows),
        marker: { color: '#1f77b4' },
        xaxis: 'x',
        yaxis: 'y',
      },
      {
        type: 'bar',
        name: 'messages processed per second',
        x: receivedPerSecond.map((s) => s.second),
        y: receivedPerSecond.map((s) => s.messages),
        marker: { color: '#2ca02c' },
        xaxis: 'x2',
        yaxis: 'y2',
      },
    ],
    {
      xaxis: { title: { text: 'invoice time (event time)' }, type: 'date', domain: [0, 1], anchor: 'y' },
      yaxis: { title: { text: 'rows / minute' }, domain: [0.6, 1] },
      xaxis2: {
        title: {
          text: `seconds since the replay started (wall clock${options.speedup ? `, ${options.speedup}x` : ''})`,
        },
        domain: [0, 1],
        anchor: 'y2',
      },
      yaxis2: { title: { text: 'messages / s' }, domain: [0, 0.38] },
      bargap: 0,
    },
    {
      title: options.title ?? 'The day in event time, and what the consumers processed',
      height: options.height ?? 560,
    },
  );
}

export interface CatchUpView {
  at: number;
  predictedSec: number | null;
  actualSec: number | null;
}

/** The group's lag in messages around the scale-out, with the predicted and the actual catch-up marked. */
export function catchUpChart(
  groupPoints: ReadonlyArray<{ at: number; lagMessages: number }>,
  catchUp: CatchUpView,
  startedAt: number,
  options: FigureOptions = {},
): PlotlyFigure {
  const scaled = secondsSince(catchUp.at, startedAt);
  const marks = [marker(scaled, 'scaled', '#d62728')];
  if (catchUp.predictedSec !== null)
    marks.push(marker(round3(scaled + catchUp.predictedSec), `predicted +${catchUp.predictedSec} s`, '#ff7f0e', 'dot'));
  if (catchUp.actualSec !== null)
    marks.push(marker(round3(scaled + catchUp.actualSec), `caught up +${catchUp.actualSec} s`, '#2ca02c', 'solid'));
  marks.forEach((m, i) => {
    m.annotation.y = 1 - i * 0.07;
  });
  return figure(
    [groupLagTrace(groupPoints, startedAt, 'lag (messages)', { color: '#000000', width: 2 })],
    {
      xaxis: { title: { text: 'seconds since the replay started' } },
      yaxis: { title: { text: 'messages waiting (all partitions)' }, rangemode: 'tozero' },
      ...marked(marks),
      showlegend: false,
    },
    {
      title: options.title ?? 'Catch-up after scaling: predicted from observed rates, and measured',
      height: options.height,
    },
  );
}

/** The lab's lag (processed offsets, every tick) and the witness's (committed offsets from the broker, once a second) on one chart. */
export function witnessChart(
  groupPoints: ReadonlyArray<{ at: number; lagMessages: number }>,
  witness: ReadonlyArray<{ at: number; lagMessages: number; state?: string }>,
  startedAt: number,
  options: FigureOptions = {},
): PlotlyFigure {
  return figure(
    [
      groupLagTrace(groupPoints, startedAt, "lab's sampler (processed)", { color: '#1f77b4', width: 2 }),
      {
        type: 'scatter',
        mode: 'markers',
        name: 'broker witness (committed, 1/s)',
        marker: { color: '#d62728', size: 7, symbol: 'x' },
        x: witness.map((w) => secondsSince(w.at, startedAt)),
        y: witness.map((w) => w.lagMessages),
        text: witness.map((w) => w.state ?? ''),
        hovertemplate: '%{x:.1f}s: %{y} (%{text})<extra></extra>',
      },
    ],
    {
      xaxis: { title: { text: 'seconds since the replay started' } },
      yaxis: { title: { text: 'lag (messages)' }, rangemode: 'tozero' },
    },
    {
      title: options.title ?? "Lag as the lab sees it and as Kafka's group coordinator reports it",
      height: options.height,
    },
  );
}

export interface PollDeadlineFigures {
  mode: string;
  rebalances: number;
  duplicates: number;
  distinct: number;
  wallSec: number;
  finished: boolean;
}

/** Rebalances and messages processed twice, for the naive loop and the fix. */
export function pollDeadlineChart(runs: readonly PollDeadlineFigures[], options: FigureOptions = {}): PlotlyFigure {
  const names = runs.map((r) => `${r.mode}${r.finished ? '' : ' (never finished)'}`);
  return figure(
    [
      {
        type: 'bar',
        name: 'rebalances',
        x: names,
        y: runs.map((r) => r.rebalances),
        marker: { color: '#d62728' },
        yaxis: 'y',
        offsetgroup: 1,
      },
      {
        type: 'bar',
        name: 'messages processed again',
        x: names,
        y: runs.map((r) => r.duplicates),
        marker: { color: '#ff7f0e' },
        yaxis: 'y2',
        offsetgroup: 2,
      },
    ],
    {
      barmode: 'group',
      yaxis: { title: { text: 'rebalances' }, rangemode: 'tozero' },
      yaxis2: { title: { text: 'duplicates' }, overlaying: 'y', side: 'right', rangemode: 'tozero' },
    },
    { title: options.title ?? 'The poll-deadline storm and its fix', height: options.height },
  );
}
