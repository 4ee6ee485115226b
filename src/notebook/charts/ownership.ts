import { colorAt, figure, partitionLabel, round3, secondsSince, type FigureOptions } from './common';
import { readGroupTimeline, type TimelineOptions } from '../../observe/groupTimeline';
import type { GroupEvent, PlotlyFigure, PlotlyTrace } from '../types';

/** The width a chart is read at: a notebook cell on a 1,000 px screen. */
const ASSUMED_WIDTH_PX = 1000;
/** Room one "rebalance 12" label takes at font size 10, with a gap. */
const LABEL_WIDTH_PX = 80;

/**
 * Which of the labels at positions `xs` (sorted) to draw so that none
 * overlaps the previous drawn one on a chart `widthPx` wide (the plot area is
 * about 100 px narrower). The others are still named on hover.
 */
export function thinnedLabels(xs: readonly number[], widthPx: number): Set<number> {
  const kept = new Set<number>();
  if (xs.length === 0) return kept;
  const span = Math.max(...xs) - Math.min(...xs);
  const plotPx = Math.max(200, widthPx - 100);
  // The x axis runs a little past the last window; count the span as 10% wider.
  const minGap = (span * 1.1 * LABEL_WIDTH_PX) / plotPx;
  let last = Number.NEGATIVE_INFINITY;
  xs.forEach((x, i) => {
    if (x - last >= minGap || kept.size === 0) {
      kept.add(i);
      last = x;
    }
  });
  return kept;
}

/**
 * A Gantt-like chart: one row per consumer, a bar per ownership interval
 * labelled with its partitions (grey "idle" when it owned none), rebalances
 * shaded; labels of rebalances too close to read apart at 1,000 px are left
 * out and shown on hover instead (a marker per rebalance above the plot).
 * Spans and windows come from the group timeline, so the shaded rebalances are
 * exactly the ones `summarizeRebalances` counts for the same events and options.
 */
export function ownershipTimelineChart(
  events: readonly GroupEvent[],
  options: FigureOptions & { t0?: number; widthPx?: number } & Pick<TimelineOptions, 'end' | 'until' | 'settleMs'> = {},
): PlotlyFigure {
  const timeline = readGroupTimeline(events, { end: options.end, until: options.until, settleMs: options.settleMs });
  const intervals = timeline.spans;
  const windows = timeline.windows;
  const t0 = options.t0 ?? (events.length ? Math.min(...events.map((event) => event.at)) : 0);
  const consumers = timeline.consumers;
  const data: PlotlyTrace[] = consumers.flatMap((consumer, i) => {
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
        // Upright or not at all (see uniformtext): the hover still names the partitions.
        textangle: 0,
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
  const labelled = thinnedLabels(
    windows.map((window) => secondsSince(window.start, t0)),
    options.widthPx ?? ASSUMED_WIDTH_PX,
  );
  const annotations = windows.flatMap((window, i) =>
    labelled.has(i)
      ? [
          {
            x: secondsSince(window.start, t0),
            y: 1,
            xref: 'x',
            yref: 'paper',
            yanchor: 'bottom',
            text: `rebalance ${window.number}`,
            showarrow: false,
            font: { size: 10, color: '#d62728' },
          },
        ]
      : [],
  );
  // Every window, labelled or not, says what it was on hover (a marker above the plot area).
  if (windows.length) {
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'rebalances',
      yaxis: 'y2',
      x: windows.map((window) => secondsSince(window.start, t0)),
      y: windows.map(() => 1),
      customdata: windows.map((window) => [window.number, secondsSince(window.start, t0), round3((window.end - window.start) / 1000), window.trigger]),
      marker: { symbol: 'triangle-down', size: 7, color: '#d62728' },
      hovertemplate: 'rebalance %{customdata[0]}: %{customdata[3]}<br>at %{customdata[1]:.2f} s for %{customdata[2]:.2f} s<extra></extra>',
      cliponaxis: false,
    });
  }
  return figure(
    data,
    {
      barmode: 'overlay',
      // A bar too short for its partition list at 9 px shows none rather than a sideways or tiny one.
      uniformtext: { minsize: 9, mode: 'hide' },
      xaxis: { title: { text: 'seconds since start' } },
      // No axis title: the tick labels name the consumers, and a title drew over them.
      yaxis: { type: 'category', categoryorder: 'array', categoryarray: [...consumers].reverse(), automargin: true },
      yaxis2: { overlaying: 'y', range: [0, 1], visible: false, fixedrange: true },
      shapes,
      annotations,
      showlegend: false,
    },
    { title: options.title ?? 'Partition ownership over time (rebalances shaded)', height: options.height ?? Math.max(260, 80 + 40 * consumers.length) },
  );
}
