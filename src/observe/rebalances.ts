import { byNumber } from '../util/compare';
import type { RebalanceRecord } from './groupTimeline';

/*
 * The per-run rebalance figures, computed from the episodes the group timeline
 * (./groupTimeline.ts, the one reader of group events) measured.
 */

export interface RebalanceSummary {
  /** Episodes in which members that stayed took part. */
  rebalances: number;
  /** Episodes that were not rebalances after formation (a static restart nobody else noticed). */
  quietEpisodes: number;
  partitionsMoved: number;
  partitionsRevoked: number;
  /** Sum over all pauses of the run (partition-milliseconds without an owner). */
  pauseMsTotal: number;
  /** 95th percentile (nearest rank) of the individual pauses; 0 when nothing paused. */
  pauseMsP95: number;
  pauseMsMax: number;
  pauses: number;
  processedDuringRebalances: number;
}

/** The per-run figures: rebalance count, partitions moved, pauses (total, p95, max). */
export function summarizeRebalances(records: readonly RebalanceRecord[]): RebalanceSummary {
  const rebalances = records.filter((r) => r.isRebalance);
  const pauses = records.flatMap((r) => r.pauses.map((p) => p.ms)).sort(byNumber);
  return {
    rebalances: rebalances.length,
    quietEpisodes: records.filter((r) => !r.isRebalance && r.index > 1).length,
    partitionsMoved: rebalances.reduce((sum, r) => sum + r.moved.length, 0),
    partitionsRevoked: rebalances.reduce(
      (sum, r) => sum + Object.values(r.revoked).reduce((n, list) => n + list.length, 0),
      0,
    ),
    pauseMsTotal: pauses.reduce((sum, ms) => sum + ms, 0),
    pauseMsP95: percentile(pauses, 0.95),
    pauseMsMax: pauses.length ? pauses[pauses.length - 1] : 0,
    pauses: pauses.length,
    processedDuringRebalances: rebalances.reduce((sum, r) => sum + r.processedDuringWindow, 0),
  };
}

/** Per partition: total milliseconds without an owner over the run. */
export function pauseByPartition(
  records: readonly RebalanceRecord[],
  partitionCount?: number,
): Array<{ partition: number; pauseMs: number; pauses: number }> {
  const totals = new Map<number, { pauseMs: number; pauses: number }>();
  if (partitionCount !== undefined)
    for (let p = 0; p < partitionCount; p += 1) totals.set(p, { pauseMs: 0, pauses: 0 });
  for (const pause of records.flatMap((r) => r.pauses)) {
    const total = totals.get(pause.partition) ?? { pauseMs: 0, pauses: 0 };
    total.pauseMs += pause.ms;
    total.pauses += 1;
    totals.set(pause.partition, total);
  }
  return [...totals].sort((a, b) => a[0] - b[0]).map(([partition, t]) => ({ partition, ...t }));
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sortedValues: readonly number[], q: number): number {
  if (sortedValues.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * sortedValues.length));
  return sortedValues[Math.min(sortedValues.length, rank) - 1];
}
