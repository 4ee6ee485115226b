import type { GroupEvent } from '../consume/groupEvents';

/*
 * Rebalances as the members saw them: pure functions over a group's events and
 * its members' receive logs. Ownership follows the events: an `assignment` is
 * the full set a member owns from then on; `rebalance-start`, `leave` and
 * `crash` leave it owning nothing, unless the same member's new assignment
 * follows at the same instant (an incremental step). A partition is paused from the moment its
 * owner gives it up until a member owns it again.
 */

/** A partition without an owner, from when its owner gave it up until someone owned it again. */
export interface PartitionPause {
  partition: number;
  from: number;
  to: number;
  ms: number;
  /** Who gave it up, and who took it (possibly the same member: an eager revoke-and-reassign). */
  lostBy: string;
  gainedBy: string | null;
}

/** One episode of group membership change, from its first event until ownership is complete and quiet. */
export interface RebalanceRecord {
  index: number;
  start: number;
  end: number;
  durationMs: number;
  /**
   * True when members that stayed in the group took part (gave up or received
   * partitions). False for the group's formation and for a static member's
   * restart that the others never noticed.
   */
  isRebalance: boolean;
  /** What set it off: joins and leaves in the episode, e.g. "consumer-3 joined". */
  trigger: string;
  joined: string[];
  left: string[];
  /** Per member: partitions owned before and not after (net), and gained likewise. */
  lost: Record<string, number[]>;
  gained: Record<string, number[]>;
  /** Per member: every partition taken away during the episode, even if given back (the eager protocol revokes all). */
  revoked: Record<string, number[]>;
  /** Partitions whose owner after the episode differs from the owner before. */
  moved: number[];
  pauses: PartitionPause[];
  /** Messages the group processed between start and end. */
  processedDuringWindow: number;
}

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

/** What the measurements read from a member's receive log. */
export interface ReceiveTimes {
  readonly length: number;
  receivedAtOf(i: number): number;
}

export interface RebalanceOptions {
  /** An episode ends once ownership is complete and no event follows within this long (default 1,000 ms). */
  settleMs?: number;
  /** Ignore events after this time (e.g. the group's final shutdown). */
  until?: number;
}

const MEMBERSHIP_TYPES = new Set(['join', 'assignment', 'rebalance-start', 'rebalance-end', 'leave', 'crash']);

interface OpenEpisode {
  start: number;
  last: number;
  events: GroupEvent[];
  ownerBefore: Map<number, string>;
  ownedBefore: Map<string, Set<number>>;
  revoked: Map<string, Set<number>>;
  pauses: PartitionPause[];
}

/**
 * Splits a group's life into episodes of membership change and measures each:
 * who lost and gained which partitions, how long each partition went without
 * an owner, how many messages were processed meanwhile.
 */
export function measureRebalances(
  events: readonly GroupEvent[],
  logs: readonly ReceiveTimes[] = [],
  options: RebalanceOptions = {},
): RebalanceRecord[] {
  const settleMs = options.settleMs ?? 1_000;
  const until = options.until ?? Infinity;
  const sorted = events
    .filter((event) => MEMBERSHIP_TYPES.has(event.type) && event.at <= until)
    .map((event, i) => ({ event, i }))
    .sort((a, b) => a.event.at - b.event.at || a.i - b.i)
    .map(({ event }) => event);

  const owned = new Map<string, Set<number>>();
  const everOwned = new Set<number>();
  const unownedSince = new Map<number, { at: number; lostBy: string }>();
  const rebalancing = new Set<string>();
  const records: RebalanceRecord[] = [];
  let episode: OpenEpisode | undefined;

  const ownerMap = (): Map<number, string> => {
    const owners = new Map<number, string>();
    for (const [consumer, partitions] of owned) for (const partition of partitions) owners.set(partition, consumer);
    return owners;
  };
  const settled = () => unownedSince.size === 0 && rebalancing.size === 0;
  const finish = () => {
    if (!episode) return;
    records.push(closeEpisode(episode, ownerMap(), owned, records.length + 1, logs));
    episode = undefined;
  };

  for (const [index, event] of sorted.entries()) {
    if (episode && settled() && event.at - episode.last > settleMs) finish();
    if (!episode) {
      episode = {
        start: event.at,
        last: event.at,
        events: [],
        ownerBefore: ownerMap(),
        ownedBefore: new Map([...owned].map(([consumer, set]) => [consumer, new Set(set)])),
        revoked: new Map(),
        pauses: [],
      };
    }
    episode.events.push(event);
    episode.last = event.at;

    const previous = owned.get(event.consumer) ?? new Set<number>();
    let next: Set<number> | undefined;
    if (event.type === 'assignment') next = new Set(event.partitions ?? []);
    else if (event.type === 'leave' || event.type === 'crash') next = new Set();
    // An incremental step (start, assignment, end at one instant) keeps what it was not asked to give up.
    else if (event.type === 'rebalance-start' && !assignedAtOnce(sorted, index)) next = new Set();
    if (event.type === 'rebalance-start') rebalancing.add(event.consumer);
    else if (event.type !== 'join') rebalancing.delete(event.consumer);
    if (!next) continue;

    for (const partition of previous) {
      if (next.has(partition)) continue;
      if (!episode.revoked.has(event.consumer)) episode.revoked.set(event.consumer, new Set());
      episode.revoked.get(event.consumer)!.add(partition);
      if (!unownedSince.has(partition)) unownedSince.set(partition, { at: event.at, lostBy: event.consumer });
    }
    owned.set(event.consumer, next);
    for (const partition of next) {
      if (previous.has(partition)) continue;
      // A partition another member still lists (an overlap while both reconcile) is not unowned.
      everOwned.add(partition);
      const since = unownedSince.get(partition);
      if (since) {
        unownedSince.delete(partition);
        episode.pauses.push({ partition, from: since.at, to: event.at, ms: event.at - since.at, lostBy: since.lostBy, gainedBy: event.consumer });
      }
    }
    // Partitions given up that another member still owns were never without an owner.
    for (const [partition] of unownedSince) {
      if ([...owned.values()].some((set) => set.has(partition))) unownedSince.delete(partition);
    }
  }
  if (episode) {
    // Still-open pauses (nobody took the partition before the end): measured up to the last event.
    const end = episode.last;
    for (const [partition, since] of unownedSince) {
      episode.pauses.push({ partition, from: since.at, to: end, ms: end - since.at, lostBy: since.lostBy, gainedBy: null });
    }
    finish();
  }
  return records;
}

/** True when the same member's next event, at the same instant, is its new assignment. */
function assignedAtOnce(sorted: readonly GroupEvent[], index: number): boolean {
  const start = sorted[index];
  for (let j = index + 1; j < sorted.length && sorted[j].at === start.at; j += 1) {
    if (sorted[j].consumer === start.consumer) return sorted[j].type === 'assignment';
  }
  return false;
}

function closeEpisode(
  episode: OpenEpisode,
  ownerAfter: Map<number, string>,
  ownedAfter: Map<string, Set<number>>,
  index: number,
  logs: readonly ReceiveTimes[],
): RebalanceRecord {
  const joined = unique(episode.events.filter((e) => e.type === 'join').map((e) => e.consumer));
  const left = unique(episode.events.filter((e) => e.type === 'leave' || e.type === 'crash').map((e) => e.consumer));
  const comers = new Set([...joined, ...left]);
  const members = unique([...episode.ownedBefore.keys(), ...ownedAfter.keys()]);
  const lost: Record<string, number[]> = {};
  const gained: Record<string, number[]> = {};
  for (const member of members) {
    const before = episode.ownedBefore.get(member) ?? new Set<number>();
    const after = ownedAfter.get(member) ?? new Set<number>();
    const lostHere = [...before].filter((p) => !after.has(p)).sort(byNumber);
    const gainedHere = [...after].filter((p) => !before.has(p)).sort(byNumber);
    if (lostHere.length) lost[member] = lostHere;
    if (gainedHere.length) gained[member] = gainedHere;
  }
  const revoked = Object.fromEntries([...episode.revoked].map(([member, set]) => [member, [...set].sort(byNumber)]));
  const moved = [...episode.ownerBefore.keys()].filter((p) => ownerAfter.get(p) !== episode.ownerBefore.get(p)).sort(byNumber);
  // Members that were there before and are still there after, and whose ownership was touched.
  const stayers = episode.events.filter(
    (e) => !comers.has(e.consumer) && episode.ownedBefore.has(e.consumer) && (e.type === 'rebalance-start' || e.type === 'assignment'),
  );
  const isRebalance = stayers.length > 0 || moved.length > 0 && episode.ownerBefore.size > 0 && !isSameMemberHandover(episode, joined, left);
  const trigger = [...joined.map((c) => `${c} joined`), ...left.map((c) => `${c} left`)].join(', ') || 'reassignment';
  return {
    index,
    start: episode.start,
    end: episode.last,
    durationMs: episode.last - episode.start,
    isRebalance,
    trigger,
    joined,
    left,
    lost,
    gained,
    revoked,
    moved,
    pauses: episode.pauses.sort((a, b) => a.from - b.from || a.partition - b.partition),
    processedDuringWindow: countReceivedBetween(logs, episode.start, episode.last),
  };
}

/** A static restart: the partitions of the member that left went to the member that joined, and nobody else's changed. */
function isSameMemberHandover(episode: OpenEpisode, joined: string[], left: string[]): boolean {
  if (joined.length !== 1 || left.length !== 1) return false;
  const lostByLeaver = episode.ownedBefore.get(left[0]) ?? new Set<number>();
  return [...episode.ownerBefore].every(([partition, owner]) => owner === left[0] || !lostByLeaver.has(partition));
}

export function countReceivedBetween(logs: readonly ReceiveTimes[], from: number, to: number): number {
  let count = 0;
  for (const log of logs) {
    for (let i = 0; i < log.length; i += 1) {
      const at = log.receivedAtOf(i);
      if (at >= from && at <= to) count += 1;
    }
  }
  return count;
}

/** The per-run figures: rebalance count, partitions moved, pauses (total, p95, max). */
export function summarizeRebalances(records: readonly RebalanceRecord[]): RebalanceSummary {
  const rebalances = records.filter((r) => r.isRebalance);
  const pauses = records.flatMap((r) => r.pauses.map((p) => p.ms)).sort(byNumber);
  return {
    rebalances: rebalances.length,
    quietEpisodes: records.filter((r) => !r.isRebalance && r.index > 1).length,
    partitionsMoved: rebalances.reduce((sum, r) => sum + r.moved.length, 0),
    partitionsRevoked: rebalances.reduce((sum, r) => sum + Object.values(r.revoked).reduce((n, list) => n + list.length, 0), 0),
    pauseMsTotal: pauses.reduce((sum, ms) => sum + ms, 0),
    pauseMsP95: percentile(pauses, 0.95),
    pauseMsMax: pauses.length ? pauses[pauses.length - 1] : 0,
    pauses: pauses.length,
    processedDuringRebalances: rebalances.reduce((sum, r) => sum + r.processedDuringWindow, 0),
  };
}

/** Per partition: total milliseconds without an owner over the run. */
export function pauseByPartition(records: readonly RebalanceRecord[], partitionCount?: number): Array<{ partition: number; pauseMs: number; pauses: number }> {
  const totals = new Map<number, { pauseMs: number; pauses: number }>();
  if (partitionCount !== undefined) for (let p = 0; p < partitionCount; p += 1) totals.set(p, { pauseMs: 0, pauses: 0 });
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

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function byNumber(a: number, b: number): number {
  return a - b;
}
