import { colorAt, figure, round3, type FigureOptions } from './common';
import type { PlotlyFigure } from '../types';

/** Rows removed by each cleaning step (the cleaning report as bars). */
export function cleaningStepsChart(
  steps: readonly { rule: string; removed: number; remaining: number }[],
  options: FigureOptions = {},
): PlotlyFigure {
  return figure(
    [
      {
        type: 'bar',
        name: 'rows removed',
        x: steps.map((step) => step.rule),
        y: steps.map((step) => step.removed),
        text: steps.map((step) => String(step.removed)),
        textposition: 'outside',
        marker: { color: colorAt(3) },
      },
    ],
    {
      xaxis: { title: { text: 'cleaning step (in order)' }, type: 'category' },
      yaxis: { title: { text: 'rows removed' } },
      showlegend: false,
    },
    { title: options.title ?? 'Rows removed per cleaning rule', height: options.height },
  );
}

/** Revenue per country, biggest first; the rest summed as "other" after `top`. */
export function revenueByCountryChart(
  rows: readonly { country: string; totalPrice: number }[],
  options: FigureOptions & { top?: number } = {},
): PlotlyFigure {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.country, (totals.get(row.country) ?? 0) + row.totalPrice);
  const sorted = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = sorted.slice(0, options.top ?? 12);
  const rest = sorted.slice(top.length).reduce((sum, [, value]) => sum + value, 0);
  const bars = rest > 0 ? [...top, ['other', rest] as [string, number]] : top;
  return figure(
    [
      {
        type: 'bar',
        name: 'revenue',
        x: bars.map(([country]) => country),
        y: bars.map(([, value]) => round3(value)),
        marker: { color: colorAt(0) },
      },
    ],
    {
      xaxis: { title: { text: 'country' }, type: 'category' },
      yaxis: { title: { text: 'revenue (quantity × unit price)' } },
      showlegend: false,
    },
    { title: options.title ?? 'Revenue by country', height: options.height },
  );
}

/** Rows per calendar day, from ISO local date-times (`2010-12-01T08:26:00`). */
export function rowsPerDayChart(rows: readonly { invoiceDate: string }[], options: FigureOptions = {}): PlotlyFigure {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const day = row.invoiceDate.slice(0, 10);
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  const days = [...counts.keys()].sort();
  return figure(
    [{ type: 'bar', name: 'rows', x: days, y: days.map((day) => counts.get(day)!), marker: { color: colorAt(2) } }],
    {
      xaxis: { title: { text: 'day' }, type: 'date' },
      yaxis: { title: { text: 'rows' } },
      showlegend: false,
      bargap: 0,
    },
    { title: options.title ?? 'Rows per day', height: options.height },
  );
}
