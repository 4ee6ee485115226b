import type { ConsumerGroupRun } from '../consume/consumerGroup';
import { runScalingScenario, type ScalingScenarioOptions, type ScalingScenarioResult } from '../scenarios/scaling';
import { ownershipTimelineChart } from './charts/ownership';
import { watchFigure } from './live';

/**
 * The scaling scenario of notebook 03 with its ownership timeline drawn as the
 * group changes (in JupyterLab it redraws about once a second; the final frame
 * stays in the saved notebook and the report).
 */
export function runScalingScenarioLive(
  options: ScalingScenarioOptions & { redrawMs?: number },
): Promise<ScalingScenarioResult> {
  let group: ConsumerGroupRun | undefined;
  const work = runScalingScenario({
    ...options,
    onGroupStarted: (started) => {
      group = started;
      options.onGroupStarted?.(started);
    },
  });
  return watchFigure(
    work,
    () =>
      group && group.events.length
        ? ownershipTimelineChart(group.events, { title: 'Partition ownership, drawn as the group changes' })
        : undefined,
    {
      minIntervalMs: options.redrawMs ?? 1000,
    },
  );
}
