import {
  runReplayScenario,
  type ReplayLive,
  type ReplayScenarioOptions,
  type ReplayScenarioResult,
} from '../scenarios/replay';
import { replayLagChart, type LagView } from './charts/replay';
import { watchFigure } from './live';

/** The lag view of a finished replay (what the live chart's final frame shows). */
export function replayLagView(result: Pick<ReplayScenarioResult, 'startedAt' | 'series' | 'catchUp'>): LagView {
  return {
    startedAt: result.startedAt,
    partitionPoints: result.series.partitionLag,
    scaledAt: result.catchUp?.at ?? null,
  };
}

/**
 * Runs the day replay with its lag chart drawn as the stream goes (in
 * JupyterLab it redraws about once a second; its final frame stays in the
 * saved notebook and the report).
 */
export async function replayDayLive(
  options: ReplayScenarioOptions & { redrawMs?: number },
): Promise<ReplayScenarioResult> {
  let latest: ReplayLive | undefined;
  let result: ReplayScenarioResult | undefined;
  const work = runReplayScenario({
    ...options,
    onSample: (live) => {
      latest = live;
      options.onSample?.(live);
    },
  }).then((r) => (result = r));
  return watchFigure(
    work,
    () =>
      result
        ? replayLagChart(replayLagView(result))
        : latest
          ? replayLagChart({
              startedAt: latest.startedAt,
              partitionPoints: latest.partitionPoints,
              scaledAt: latest.scaledAt,
            })
          : undefined,
    { minIntervalMs: options.redrawMs ?? 1000 },
  );
}
