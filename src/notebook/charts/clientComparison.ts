import { colorAt, figure, type FigureOptions } from './common';
import type { PlotlyFigure } from '../types';

/**
 * p95 pause per protocol, one bar per client (kafkajs, librdkafka, Java): the same
 * protocol implemented twice, side by side.
 */
export function pauseByClientChart(
  runs: ReadonlyArray<{ protocol: string; client: string; pauseMsP95: number }>,
  options: FigureOptions = {},
): PlotlyFigure {
  const protocols = [...new Set(runs.map((run) => run.protocol))];
  const clients = [...new Set(runs.map((run) => run.client))];
  return figure(
    clients.map((client, index) => {
      const byProtocol = new Map(
        runs.filter((run) => run.client === client).map((run) => [run.protocol, run.pauseMsP95]),
      );
      return {
        type: 'bar',
        name: client === 'confluent' ? 'librdkafka' : client,
        x: protocols,
        y: protocols.map((protocol) => (byProtocol.has(protocol) ? byProtocol.get(protocol)! / 1000 : null)),
        marker: { color: colorAt(index) },
      };
    }),
    {
      barmode: 'group',
      xaxis: { title: { text: 'protocol' }, type: 'category' },
      yaxis: { title: { text: 'p95 pause of a partition (s)' } },
    },
    { title: options.title ?? 'Pause p95 per protocol and client', height: options.height },
  );
}
