import { pauseByPartition } from '../../observe/rebalances';
import type { RebalanceScenarioResult } from '../../scenarios/groupProtocols';
import { protocolLabel } from '../charts/groupProtocols';
import { formatNumber } from '../format';

/** Sentences of notebook 06 (group protocols side by side), computed from the scenario's results. */

/** Per run: total pause, p95 of a single pause, partitions that never paused. */
export function describePauses(runs: readonly RebalanceScenarioResult[]): string {
  const parts = runs.map((run) => {
    const perPartition = pauseByPartition(run.records, run.partitions);
    return (
      `${protocolLabel(run)}: ${formatNumber(run.summary.pauseMsTotal / 1000)} s in total, p95 of a single pause ${formatNumber(run.summary.pauseMsP95)} ms, ` +
      `${perPartition.filter((p) => p.pauseMs === 0).length} of ${run.partitions} partitions never paused`
    );
  });
  return `Pauses per protocol: ${parts.join('; ')}.`;
}

/** Per run: messages processed while it rebalanced. */
export function describeWorkDuringRebalances(runs: readonly RebalanceScenarioResult[]): string {
  const parts = runs.map(
    (run) =>
      `${protocolLabel(run)} processed ${formatNumber(run.summary.processedDuringRebalances)} messages during its rebalances`,
  );
  return `${parts.join('; ')} (a member that keeps its partitions keeps working through an incremental rebalance).`;
}

/** Each incremental protocol against eager: partitions moved and revoked, over how many rebalances. */
export function describeProtocolComparison(runs: readonly RebalanceScenarioResult[]): string {
  const eager = runs.find((run) => run.protocol === 'eager' && !run.staticMembership);
  const others = runs.filter((run) => run !== eager);
  if (!eager)
    return others
      .map(
        (run) =>
          `${protocolLabel(run)} moved ${run.summary.partitionsMoved} partitions over ${run.summary.rebalances} rebalances.`,
      )
      .join(' ');
  if (others.length === 0) {
    return `Eager revoked ${eager.summary.partitionsRevoked} partition assignments over ${eager.summary.rebalances} rebalances: every member gives up everything each time.`;
  }
  const sentences = others.map(
    (run) =>
      `${protocolLabel(run)} moved ${run.summary.partitionsMoved} partitions and revoked ${run.summary.partitionsRevoked} partition assignments over ${run.summary.rebalances} rebalances, ` +
      `against ${eager.summary.partitionsMoved} moved and ${eager.summary.partitionsRevoked} revoked for eager over ${eager.summary.rebalances}`,
  );
  return `${sentences.join('; ')}.`;
}

/** Missing and duplicated messages per run. */
export function describeDeliveries(runs: readonly RebalanceScenarioResult[]): string {
  return (
    `Missing messages: ${runs.map((run) => `${protocolLabel(run)} ${run.accounting.missing}`).join(', ')}; ` +
    `duplicates: ${runs.map((run) => `${protocolLabel(run)} ${run.accounting.duplicates}`).join(', ')}.`
  );
}

/** What the static member's restart (the run's last episode) did, and how long the member that left for good held its partitions. */
export function describeStaticRestart(run: RebalanceScenarioResult): string {
  const restart = run.records.at(-1);
  if (!restart) return 'The static run recorded no episode.';
  if (restart.isRebalance)
    return `The restart (${restart.trigger}) still caused a rebalance: the other members took part.`;
  const longest = Math.max(0, ...restart.pauses.map((p) => p.ms));
  const heldMs = Math.max(
    0,
    ...run.records.filter((r) => r.left.length && r.isRebalance).flatMap((r) => r.pauses.map((p) => p.ms)),
  );
  return (
    `The restart (${restart.trigger}) caused no rebalance: only the restarted member's ${restart.moved.length} partitions paused, for at most ${longest} ms, and no other member saw an event. ` +
    `The member that left for good held its partitions for about ${Math.round(heldMs / 1000)} s (the session timeout).`
  );
}
