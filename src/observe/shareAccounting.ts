import { isSettled, type ShareDelivery, type ShareGroupRun } from '../consume/shareGroup';
import type { ProducedLog } from '../produce/producedLog';
import { accountFor } from './accounting';

/** A record of one key processed after a later record of the same key (in the same partition). */
export interface OrderViolation {
  key: string;
  partition: number;
  /** The record that came late... */
  offset: number;
  consumer: string;
  /** ...after this later offset had already been processed, by this consumer. */
  afterOffset: number;
  afterConsumer: string;
}

export interface KeyOrderAcrossGroup {
  /** Records (first deliveries with a key) checked. */
  checked: number;
  /** Records processed after a later record of the same key and partition. */
  violations: number;
  /** Keys with at least one violation. */
  keysAffected: number;
  examples: OrderViolation[];
}

/**
 * Was per-key order kept across the whole group? Every first delivery, in the
 * order the group processed it (members' processing times, merged), is checked
 * against the highest offset of its key already processed. A consumer group gives
 * each partition to one member, so this holds there; a share group hands one
 * partition's records to several members at once, so it does not.
 */
export function keyOrderAcrossGroup(
  deliveries: ReadonlyArray<Pick<ShareDelivery, 'consumer' | 'key' | 'partition' | 'offset' | 'receivedAt'>>,
  exampleLimit = 5,
): KeyOrderAcrossGroup {
  const seen = new Set<string>();
  // Stable sort: ties keep each member's own arrival order.
  const ordered = [...deliveries].filter((d) => d.key !== null).sort((a, b) => a.receivedAt - b.receivedAt);
  const highest = new Map<string, { offset: number; consumer: string }>();
  const affected = new Set<string>();
  const examples: OrderViolation[] = [];
  let checked = 0;
  let violations = 0;
  for (const delivery of ordered) {
    const id = `${delivery.partition}:${delivery.offset}`;
    if (seen.has(id)) continue; // a redelivery is counted as such, not as disorder
    seen.add(id);
    checked += 1;
    const slot = `${delivery.key}\u0000${delivery.partition}`;
    const before = highest.get(slot);
    if (before && before.offset > delivery.offset) {
      violations += 1;
      affected.add(slot);
      if (examples.length < exampleLimit) {
        examples.push({
          key: delivery.key!,
          partition: delivery.partition,
          offset: delivery.offset,
          consumer: delivery.consumer,
          afterOffset: before.offset,
          afterConsumer: before.consumer,
        });
      }
    } else {
      highest.set(slot, { offset: delivery.offset, consumer: delivery.consumer });
    }
  }
  return { checked, violations, keysAffected: affected.size, examples };
}

export interface ShareAccounting {
  produced: number;
  /** Distinct produced records delivered at least once. */
  received: number;
  /** Produced records not settled: never delivered, or delivered but no member's acknowledgement of them was committed. */
  missing: number;
  /** Deliveries whose acknowledgement was never committed (the member was killed holding them). */
  uncommitted: number;
  /** Of those, deliveries whose record did not come back with a higher delivery count and settle: should be 0. */
  uncommittedNotBack: number;
  /**
   * Deliveries of killed members whose commit the broker took just before the kill, so the
   * member never printed it: they did not come back well after the lock timeout.
   */
  committedAtKill: number;
  /** Deliveries beyond the first of a record. */
  duplicates: number;
  /** Distinct records delivered with a delivery count of 2 or more (delivered before, maybe to a member that died holding them). */
  redelivered: number;
  /** The highest delivery count any delivery carried. */
  maxDeliveryCount: number;
  /** Repeat deliveries whose delivery count was not above an earlier delivery of the record: should be 0. */
  unexplainedDuplicates: number;
  /** Deliveries per outcome. */
  accepted: number;
  released: number;
  rejected: number;
  /** Distinct records released at the delivery limit: Kafka archives them (no further delivery). */
  archived: number;
  /** Rejected records (poison), to show. */
  rejections: ShareDelivery[];
  perConsumer: Array<{ id: string; partitions: number[]; received: number; killed: boolean }>;
  /** Members that received nothing. */
  idleConsumers: string[];
  /** Deliveries per delivery count (1 = first delivery). */
  byDeliveryCount: Record<string, number>;
}

/** Produced versus delivered for a share group, with redeliveries explained by delivery counts. */
export function accountForShareGroup(produced: ProducedLog, group: ShareGroupRun): ShareAccounting {
  const base = accountFor(produced, group.members);
  const deliveries = group.deliveries();
  const firstCount = new Map<string, number>();
  const archived = new Set<string>();
  const byDeliveryCount: Record<string, number> = {};
  let unexplained = 0;
  let maxDeliveryCount = 0;
  const counts = { accept: 0, release: 0, reject: 0 };
  // In delivery-count order per record, each repeat must carry a higher count than the one before.
  const ordered = [...deliveries].sort((a, b) => a.receivedAt - b.receivedAt);
  for (const delivery of ordered) {
    const id = `${delivery.partition}:${delivery.offset}`;
    counts[delivery.ack] += 1;
    byDeliveryCount[delivery.deliveryCount] = (byDeliveryCount[delivery.deliveryCount] ?? 0) + 1;
    maxDeliveryCount = Math.max(maxDeliveryCount, delivery.deliveryCount);
    const previous = firstCount.get(id);
    if (previous !== undefined && delivery.deliveryCount <= previous) unexplained += 1;
    firstCount.set(id, Math.max(previous ?? 0, delivery.deliveryCount));
    if (delivery.ack === 'release' && delivery.deliveryCount >= group.maxDeliveries) archived.add(id);
  }
  // Settled by a committed, final acknowledgement; what was not committed must come back later, with a higher count.
  const settledAt = new Map<string, number>();
  for (const d of deliveries)
    if (isSettled(d.committed, d.ack, d.deliveryCount, group.maxDeliveries))
      settledAt.set(
        `${d.partition}:${d.offset}`,
        Math.max(settledAt.get(`${d.partition}:${d.offset}`) ?? 0, d.deliveryCount),
      );
  const uncommitted = deliveries.filter((d) => !d.committed);
  const uncommittedNotBack = uncommitted.filter(
    (d) => (settledAt.get(`${d.partition}:${d.offset}`) ?? 0) <= d.deliveryCount,
  ).length;
  let producedUnsettled = 0;
  for (const partition of produced.partitions())
    produced.forEachOffset(partition, (offset) => {
      if (!settledAt.has(`${partition}:${offset}`)) producedUnsettled += 1;
    });
  const perConsumer = group.members.map((member) => ({
    id: member.id,
    partitions: member.partitions,
    received: member.log.length,
    killed: member.killed,
  }));
  return {
    produced: base.produced,
    received: base.received,
    missing: producedUnsettled,
    uncommitted: uncommitted.length,
    uncommittedNotBack,
    committedAtKill: deliveries.filter((d) => d.committedAtKill).length,
    duplicates: base.duplicates,
    redelivered: [...firstCount.values()].filter((n) => n > 1).length,
    maxDeliveryCount,
    unexplainedDuplicates: unexplained,
    accepted: counts.accept,
    released: counts.release,
    rejected: counts.reject,
    archived: archived.size,
    rejections: deliveries.filter((d) => d.ack === 'reject'),
    perConsumer,
    idleConsumers: perConsumer.filter((c) => c.received === 0).map((c) => c.id),
    byDeliveryCount,
  };
}
