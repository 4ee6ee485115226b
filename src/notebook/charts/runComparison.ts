import { colorAt, figure, type FigureOptions } from './common';
import type { PlotlyFigure } from '../types';

/** One run of a notebook in a report series (e.g. `3 consumers`). */
export interface RunSummary {
  label: string;
  consumers: { id: string; received: number }[];
}

/**
 * Messages per consumer across runs: one point per consumer, with the even
 * share (total / consumers) of each run as a dash for comparison.
 */
export function runComparisonChart(runs: readonly RunSummary[], options: FigureOptions = {}): PlotlyFigure {
  const labels = runs.map((run) => run.label);
  const points = runs.flatMap((run) => run.consumers.map((consumer) => ({ label: run.label, ...consumer })));
  const even = runs.map((run) => {
    const total = run.consumers.reduce((sum, consumer) => sum + consumer.received, 0);
    return run.consumers.length ? Math.round((total / run.consumers.length) * 1000) / 1000 : 0;
  });
  return figure(
    [
      {
        type: 'scatter',
        mode: 'markers',
        name: 'a consumer',
        x: points.map((point) => point.label),
        y: points.map((point) => point.received),
        text: points.map((point) => point.id),
        marker: { size: 10, color: colorAt(0), opacity: 0.7 },
        hovertemplate: '%{text}: %{y}<extra></extra>',
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: 'even share',
        x: labels,
        y: even,
        marker: { symbol: 'line-ew-open', size: 30, color: colorAt(3), line: { width: 3 } },
      },
    ],
    {
      xaxis: { title: { text: 'run' }, type: 'category', categoryorder: 'array', categoryarray: labels },
      yaxis: { title: { text: 'messages received' }, rangemode: 'tozero' },
    },
    { title: options.title ?? 'Messages per consumer across runs', height: options.height },
  );
}
