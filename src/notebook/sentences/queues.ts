import { formatNumber } from '../format';

/** What the queue sentences need of a run (a QueueScenarioResult fits). */
export interface QueueFigures {
  groupType: string;
  partitions: number;
  produced: number;
  missing: number;
  duplicates: number;
  redelivered: number;
  maxDeliveryCount: number;
  idleConsumers: number;
  orderViolations: { count: number; keysAffected: number; checked: number };
  consumers: ReadonlyArray<{ id: string; received: number; killed: boolean }>;
  killed: readonly string[];
  lockTimeoutMs: number | null;
  byDeliveryCount: Record<string, number>;
}

/** Who got work: idle consumers, and how evenly the busy ones shared it. */
export function describeQueueSpread(run: QueueFigures): string {
  const busy = run.consumers.filter((c) => c.received > 0);
  const counts = busy.map((c) => c.received);
  const range = counts.length
    ? `${formatNumber(Math.min(...counts))} to ${formatNumber(Math.max(...counts))} messages each`
    : 'nothing';
  const head = `As a ${run.groupType} group, ${busy.length} of ${run.consumers.length} consumers received messages (${range}) from ${run.partitions} partitions`;
  if (run.idleConsumers > 0) {
    return `${head}; ${run.idleConsumers} sat idle, because a consumer group gives each partition to exactly one member.`;
  }
  return run.consumers.length > run.partitions
    ? `${head}: none idle, although there are more consumers than partitions, because a share group hands the records of one partition to several members.`
    : `${head}: none idle.`;
}

/** Per-key order: kept or not, with a figure. */
export function describeQueueOrder(run: QueueFigures): string {
  const { count, keysAffected, checked } = run.orderViolations;
  if (count === 0) {
    return `Per-key order held in the ${run.groupType} group: none of ${formatNumber(checked)} keyed records was processed after a later record of its key.`;
  }
  return (
    `Per-key order did not hold in the ${run.groupType} group: ${formatNumber(count)} of ${formatNumber(checked)} keyed records ` +
    `(${keysAffected} keys) were processed after a later record of the same key, by another member working on the same partition at the same time.`
  );
}

/** After a kill: what came back, with which delivery count, and whether anything was lost. */
export function describeRedelivery(run: QueueFigures): string {
  const loss = run.missing === 0 ? 'nothing was lost' : `${formatNumber(run.missing)} records are MISSING`;
  if (run.killed.length === 0) {
    return `No member was killed; ${formatNumber(run.redelivered)} records were delivered more than once and ${loss}.`;
  }
  const who = run.killed.join(', ');
  if (run.groupType !== 'share') {
    return `${who} was killed with SIGKILL; its partitions moved after the session timeout and ${formatNumber(run.duplicates)} messages were read twice (from its last commit); ${loss}.`;
  }
  const second = run.byDeliveryCount['2'] ?? 0;
  return (
    `${who} was killed with SIGKILL holding records; after the ${formatNumber((run.lockTimeoutMs ?? 0) / 1000)} s lock timeout ${formatNumber(run.redelivered)} of them ` +
    `came back to other members with a delivery count of ${run.maxDeliveryCount} (${formatNumber(second)} second deliveries), ` +
    `${formatNumber(run.duplicates)} of which it had already processed (processed twice); ${loss}.`
  );
}
