import { naturalCompare } from '../format';
import { colorAt, figure, partitionLabel, round3, secondsSince, type FigureOptions } from './common';
import type { GroupEvent, PlotlyFigure, PlotlyTrace } from '../types';

/** A consumer owning a set of partitions (empty: idle) from `start` to `end`. */
export interface OwnershipSpan {
  consumer: string;
  partitions: number[];
  start: number;
  end: number;
}

/** A time window in which the group was rebalancing. */
export interface RebalanceWindow {
  start: number;
  end: number;
}

function sortedEvents(events: readonly GroupEvent[]): GroupEvent[] {
  return [...events].sort((a, b) => a.at - b.at);
}

/**
 * Who owned which partitions when, from group events: an `assignment` opens an
 * interval; the consumer's next assignment, `rebalance-start`, `leave` or
 * `crash` closes it; still open at `end` (default: the last event) it ends there.
 */
export function ownershipSpans(events: readonly GroupEvent[], end?: number): OwnershipSpan[] {
  const sorted = sortedEvents(events);
  const last = end ?? (sorted.length ? sorted[sorted.length - 1].at : 0);
  const open = new Map<string, OwnershipSpan>();
  const intervals: OwnershipSpan[] = [];
  const close = (consumer: string, at: number) => {
    const interval = open.get(consumer);
    if (!interval) return;
    open.delete(consumer);
    interval.end = at;
    if (interval.end > interval.start || interval.partitions.length === 0) intervals.push(interval);
  };
  for (const event of sorted) {
    if (event.type === 'assignment') {
      close(event.consumer, event.at);
      open.set(event.consumer, { consumer: event.consumer, partitions: [...(event.partitions ?? [])].sort((a, b) => a - b), start: event.at, end: event.at });
    } else if (event.type === 'rebalance-start' || event.type === 'leave' || event.type === 'crash') {
      close(event.consumer, event.at);
    }
  }
  for (const consumer of [...open.keys()]) close(consumer, Math.max(last, open.get(consumer)!.start));
  return intervals.sort((a, b) => a.start - b.start || naturalCompare(a.consumer, b.consumer));
}

/**
 * Windows in which the group rebalanced: from a member's `rebalance-start` to
 * its next `rebalance-end` (or assignment), overlapping windows merged.
 */
export function rebalanceWindows(events: readonly GroupEvent[]): RebalanceWindow[] {
  const pending = new Map<string, number>();
  const windows: RebalanceWindow[] = [];
  for (const event of sortedEvents(events)) {
    if (event.type === 'rebalance-start') {
      if (!pending.has(event.consumer)) pending.set(event.consumer, event.at);
    } else if (event.type === 'rebalance-end' || event.type === 'assignment' || event.type === 'leave' || event.type === 'crash') {
      const start = pending.get(event.consumer);
      if (start !== undefined) {
        pending.delete(event.consumer);
        windows.push({ start, end: event.at });
      }
    }
  }
  for (const start of pending.values()) windows.push({ start, end: start });
  windows.sort((a, b) => a.start - b.start);
  const merged: RebalanceWindow[] = [];
  for (const window of windows) {
    const previous = merged[merged.length - 1];
    if (previous && window.start <= previous.end) previous.end = Math.max(previous.end, window.end);
    else merged.push({ ...window });
  }
  return merged;
}

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
 */
export function ownershipTimelineChart(
  events: readonly GroupEvent[],
  options: FigureOptions & { t0?: number; end?: number; widthPx?: number } = {},
): PlotlyFigure {
  const intervals = ownershipSpans(events, options.end);
  const windows = rebalanceWindows(events);
  const t0 = options.t0 ?? (events.length ? Math.min(...events.map((event) => event.at)) : 0);
  const consumers = [...new Set([...events.map((event) => event.consumer)])].sort(naturalCompare);
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
  const labelled = thinnedLabels(windows.map((window) => secondsSince(window.start, t0)), options.widthPx ?? ASSUMED_WIDTH_PX);
  const annotations = windows.flatMap((window, i) =>
    labelled.has(i)
      ? [
          {
            x: secondsSince(window.start, t0),
            y: 1,
            xref: 'x',
            yref: 'paper',
            yanchor: 'bottom',
            text: `rebalance ${i + 1}`,
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
      customdata: windows.map((window, i) => [i + 1, secondsSince(window.start, t0), round3((window.end - window.start) / 1000)]),
      marker: { symbol: 'triangle-down', size: 7, color: '#d62728' },
      hovertemplate: 'rebalance %{customdata[0]}<br>at %{customdata[1]:.2f} s for %{customdata[2]:.2f} s<extra></extra>',
      cliponaxis: false,
    });
  }
  return figure(
    data,
    {
      barmode: 'overlay',
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
