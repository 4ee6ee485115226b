import { pauseByPartition } from '../../observe/rebalances';
import type { RebalanceScenarioResult } from '../../scenarios/groupProtocols';
import type { PlotlyFigure } from '../types';
import { figure, type FigureOptions } from './common';
import { ownershipTimelineChart } from './ownership';
import { throughputChart } from './throughput';

/** Charts of notebook 06 (group protocols side by side), from the scenario's results. */

/** "eager", "cooperative-sticky (static)": how a run is named in charts and sentences. */
export function protocolLabel(run: Pick<RebalanceScenarioResult, 'protocol' | 'staticMembership'>): string {
  return `${run.protocol}${run.staticMembership ? ' (static)' : ''}`;
}

/** One ownership timeline per run, on a common time axis (the longest run's), up to the end of each run's measured window. */
export function protocolOwnershipCharts(runs: readonly RebalanceScenarioResult[]): PlotlyFigure[] {
  const longest = Math.max(...runs.map((run) => run.measuredUntil - run.startedAt));
  return runs.map((run) =>
    ownershipTimelineChart(run.events, {
      until: run.measuredUntil,
      t0: run.startedAt,
      end: run.startedAt + longest,
      title: `${protocolLabel(run)}: partition ownership (${run.choice.client})`,
    }),
  );
}

/** Grouped bars: per partition, the seconds it went without an owner over the whole run, one series per run. */
export function pauseByPartitionChart(
  runs: readonly RebalanceScenarioResult[],
  options: FigureOptions = {},
): PlotlyFigure {
  const data = runs.map((run) => {
    const perPartition = pauseByPartition(run.records, run.partitions);
    return {
      type: 'bar',
      name: protocolLabel(run),
      x: perPartition.map((p) => `p${p.partition}`),
      y: perPartition.map((p) => p.pauseMs / 1000),
    };
  });
  return figure(
    data,
    {
      barmode: 'group',
      xaxis: { title: { text: 'partition' } },
      yaxis: { title: { text: 'seconds paused (whole run)' } },
    },
    { title: options.title ?? 'Total time without an owner, per partition', height: options.height ?? 380 },
  );
}

/** Messages received per second by each run's whole group, on a time axis from each run's start. */
export function protocolThroughputChart(
  runs: readonly RebalanceScenarioResult[],
  options: FigureOptions = {},
): PlotlyFigure {
  const relative = runs.flatMap((run) =>
    run.receivedTimes.map((t) => ({
      consumer: protocolLabel(run),
      producedAt: t.producedAt - run.startedAt,
      receivedAt: t.receivedAt - run.startedAt,
    })),
  );
  return throughputChart(relative, {
    t0: 0,
    consumers: runs.map(protocolLabel),
    title: options.title ?? 'Messages received per second, whole group',
    height: options.height,
  });
}
