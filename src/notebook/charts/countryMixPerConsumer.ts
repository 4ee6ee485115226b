import { colorAt, consumerIds, countBy, countryOf, figure, type FigureOptions } from './common';
import type { PlotlyFigure, ReceivedRecord } from '../types';

/**
 * The share of each country in what each consumer received (100% stacked bars).
 * The `top` countries overall get their own colour; the rest are "other".
 */
export function countryMixPerConsumerChart(
  records: readonly Pick<ReceivedRecord, 'consumer' | 'value'>[],
  options: FigureOptions & { consumers?: readonly string[]; top?: number } = {},
): PlotlyFigure {
  const ids = consumerIds(records, options.consumers);
  const overall = [...countBy(records, countryOf).entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = overall.slice(0, options.top ?? 6).map(([country]) => country);
  const groups = overall.length > top.length ? [...top, 'other'] : top;
  const bucket = (country: string) => (top.includes(country) ? country : 'other');
  const counts = countBy(records, (record) => `${record.consumer}\u0000${bucket(countryOf(record))}`);
  const data = groups.map((group, i) => ({
    type: 'bar',
    name: group,
    x: ids,
    y: ids.map((id) => counts.get(`${id}\u0000${group}`) ?? 0),
    marker: { color: group === 'other' ? '#c7c7c7' : colorAt(i) },
  }));
  return figure(
    data,
    {
      barmode: 'stack',
      barnorm: 'percent',
      xaxis: { title: { text: 'consumer' }, type: 'category' },
      yaxis: { title: { text: '% of messages received' } },
      legend: { title: { text: 'country' }, traceorder: 'normal' },
    },
    { title: options.title ?? 'Country mix per consumer', height: options.height },
  );
}
