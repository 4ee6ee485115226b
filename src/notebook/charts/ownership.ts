import { colorAt, figure, partitionLabel, secondsSince, type FigureOptions } from './common';
import { readGroupTimeline, type TimelineOptions } from '../../observe/groupTimeline';
import type { GroupEvent, PlotlyFigure } from '../types';

/**
 * A Gantt-like chart: one row per consumer, a bar per ownership interval
 * labelled with its partitions (grey "idle" when it owned none), rebalances shaded.
 * Spans and windows come from the group timeline, so the shaded rebalances are
 * exactly the ones `summarizeRebalances` counts for the same events and options.
 */
export function ownershipTimelineChart(
  events: readonly GroupEvent[],
  options: FigureOptions & { t0?: number } & Pick<TimelineOptions, 'end' | 'until' | 'settleMs'> = {},
): PlotlyFigure {
  const timeline = readGroupTimeline(events, { end: options.end, until: options.until, settleMs: options.settleMs });
  const intervals = timeline.spans;
  const windows = timeline.windows;
  const t0 = options.t0 ?? (events.length ? Math.min(...events.map((event) => event.at)) : 0);
  const consumers = timeline.consumers;
  const data = consumers.flatMap((consumer, i) => {
    const own = intervals.filter((interval) => interval.consumer === consumer);
    if (own.length === 0) return [];
    return [
      {
        type: 'bar',
        orientation: 'h',
        name: consumer,
        y: own.map(() => consumer),
        base: own.map((interval) => secondsSince(interval.start, t0)),
        x: own.map((interval) => Math.max(0.001, secondsSince(interval.end, interval.start))),
        text: own.map((interval) => (interval.partitions.length ? interval.partitions.map(partitionLabel).join(' ') : 'idle')),
        textposition: 'inside',
        insidetextanchor: 'middle',
        marker: { color: own.map((interval) => (interval.partitions.length ? colorAt(i) : '#d9d9d9')) },
        hovertemplate: '%{y}: %{text}<br>%{base:.2f}s for %{x:.2f}s<extra></extra>',
      },
    ];
  });
  const shapes = windows.map((window) => ({
    type: 'rect',
    xref: 'x',
    yref: 'paper',
    x0: secondsSince(window.start, t0),
    x1: secondsSince(Math.max(window.end, window.start + 50), t0),
    y0: 0,
    y1: 1,
    fillcolor: '#d62728',
    opacity: 0.15,
    line: { width: 0 },
  }));
  const annotations = windows.map((window) => ({
    x: secondsSince(window.start, t0),
    y: 1,
    xref: 'x',
    yref: 'paper',
    yanchor: 'bottom',
    text: `rebalance ${window.number}`,
    showarrow: false,
    font: { size: 10, color: '#d62728' },
  }));
  return figure(
    data,
    {
      barmode: 'overlay',
      xaxis: { title: { text: 'seconds since start' } },
      yaxis: { title: { text: 'consumer' }, type: 'category', categoryorder: 'array', categoryarray: [...consumers].reverse() },
      shapes,
      annotations,
      showlegend: false,
    },
    { title: options.title ?? 'Partition ownership over time (rebalances shaded)', height: options.height ?? Math.max(260, 80 + 40 * consumers.length) },
  );
}
