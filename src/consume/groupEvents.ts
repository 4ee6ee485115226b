/** What happened to a consumer group, as the notebooks chart it. */
export type GroupEventType = 'join' | 'assignment' | 'rebalance-start' | 'rebalance-end' | 'leave' | 'crash';

export interface GroupEvent {
  /** ms since the epoch */
  at: number;
  consumer: string;
  type: GroupEventType;
  /** For 'assignment': the partitions this member owns from now on. */
  partitions?: number[];
  memberId?: string;
  isLeader?: boolean;
  detail?: string;
}

/** A partition owned by one consumer from `from` to `to` (`to` null while it still owns it). */
export interface OwnershipInterval {
  consumer: string;
  partition: number;
  from: number;
  to: number | null;
}

/**
 * Turns the event log into ownership intervals: a member owns its assigned
 * partitions from an 'assignment' until its next rebalance, assignment, leave or
 * crash. (kafkajs uses the eager protocol: a rebalance revokes everything.)
 */
export function ownershipTimeline(events: readonly GroupEvent[]): OwnershipInterval[] {
  const intervals: OwnershipInterval[] = [];
  const open = new Map<string, OwnershipInterval[]>();
  const close = (consumer: string, at: number) => {
    for (const interval of open.get(consumer) ?? []) interval.to = at;
    open.delete(consumer);
  };
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    if (event.type === 'assignment') {
      close(event.consumer, event.at);
      const owned = (event.partitions ?? []).map((partition) => ({ consumer: event.consumer, partition, from: event.at, to: null }));
      intervals.push(...owned);
      open.set(event.consumer, owned);
    } else if (event.type === 'rebalance-start' || event.type === 'leave' || event.type === 'crash') {
      close(event.consumer, event.at);
    }
  }
  return intervals;
}
