import type { RestartRun } from '../../scenarios/readStrategies';
import { round3 } from '../charts/common';
import { formatNumber, formatPercent } from '../format';

/** Sentences of notebook 04 (read strategies), computed from the data. */

export function describeRedelivery(runs: readonly RestartRun[]): string {
  return runs
    .map((run) => {
      const head = `With ${run.commit} commits, the first consumer processed ${formatNumber(run.beforeStop)} messages in ${formatNumber(run.stoppedAfterS)} s and was stopped; its replacement received ${formatNumber(run.afterRestart)}`;
      if (run.duplicates === 0)
        return `${head}, starting right after the last processed message: nothing was delivered twice${run.missing ? `, ${formatNumber(run.missing)} missing` : ''}.`;
      return (
        `${head}, of which ${formatNumber(run.duplicates)} (${formatPercent(run.duplicates / Math.max(1, run.beforeStop))} of what was processed before the stop) had already been processed: ` +
        `the last committed offsets were behind the last processed ones, and the replacement resumed from the committed offsets${run.missing ? `; ${formatNumber(run.missing)} missing` : ''}.`
      );
    })
    .join(' ');
}

/** What earliest and latest groups got, joining mid-stream: `producedAt` counts the messages out when they began to join and when they had their partitions. */
export function describeStartFrom(
  rows: readonly { from: string; received: number; missing: number; firstSeq: number | null }[],
  producedAt: { joining: number; assigned: number },
  produced: number,
): string {
  const parts = rows.map((row) =>
    row.missing === 0
      ? `the ${row.from} group received all ${formatNumber(row.received)} messages, from seq ${row.firstSeq ?? '–'}`
      : `the ${row.from} group received ${formatNumber(row.received)} and never saw the ${formatNumber(row.missing)} before them (${formatPercent(row.missing / Math.max(1, produced))}), starting at seq ${row.firstSeq ?? '–'}`,
  );
  return (
    `The groups began joining when ${formatNumber(producedAt.joining)} of ${formatNumber(produced)} messages had been produced and had their partitions at ${formatNumber(producedAt.assigned)}: ${parts.join('; ')}. ` +
    'The latest position is taken when a partition is assigned, not when the consumer starts, and it only applies to a group with no committed offsets: once a group commits, it resumes from there.'
  );
}

/** Publish/subscribe versus queue, from per-consumer counts. */
export function describeFanOut(
  rows: readonly { arrangement: string; group: string; consumer: string; received: number }[],
  produced: number,
): string {
  const byArrangement = new Map<
    string,
    { groups: Set<string>; consumers: number; total: number; min: number; max: number }
  >();
  for (const row of rows) {
    const entry = byArrangement.get(row.arrangement) ?? {
      groups: new Set<string>(),
      consumers: 0,
      total: 0,
      min: Infinity,
      max: 0,
    };
    entry.groups.add(row.group);
    entry.consumers += 1;
    entry.total += row.received;
    entry.min = Math.min(entry.min, row.received);
    entry.max = Math.max(entry.max, row.received);
    byArrangement.set(row.arrangement, entry);
  }
  return `${[...byArrangement.entries()]
    .map(([arrangement, e]) => {
      const copies = e.total / Math.max(1, produced);
      return `${arrangement}: ${e.consumers} consumer${e.consumers === 1 ? '' : 's'} in ${e.groups.size} group${e.groups.size === 1 ? '' : 's'} received ${formatNumber(e.total)} messages in all, ${round3(copies)}× the ${formatNumber(produced)} produced (each consumer ${formatNumber(e.min)}${e.max !== e.min ? `–${formatNumber(e.max)}` : ''}).`;
    })
    .join(' ')} Every group gets the whole stream; inside a group the partitions, and so the messages, are shared.`;
}
