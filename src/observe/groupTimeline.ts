/*
 * The group timeline: the ONE reader of a consumer group's event log. Ownership
 * intervals (per partition), ownership spans (per member, for the chart),
 * rebalance episodes (with pauses and what moved) and the rebalance windows a
 * chart shades all come from one walk over the events with one set of rules,
 * so a chart and a summary of the same run cannot disagree.
 *
 * The rules: an `assignment` is the full set a member owns from then on;
 * `rebalance-start`, `leave` and `crash` leave it owning nothing, unless the
 * same member's new assignment follows at the same instant (an incremental
 * step of the cooperative or KIP-848 protocols, which keeps what it was not
 * asked to give up). A partition is paused from the moment its owner gives it
 * up until a member owns it again. An episode of membership change lasts from
 * its first event until ownership is complete and no event follows within
 * `settleMs`; it is a rebalance when members that stayed took part.
 */
import { byNumber, naturalCompare } from '../util/compare';

/** What happened to a consumer group member. */
export type GroupEventType = 'join' | 'assignment' | 'rebalance-start' | 'rebalance-end' | 'leave' | 'crash';

export interface GroupEvent {
  /** ms since the epoch */
  at: number;
  consumer: string;
  type: GroupEventType;
  /** For 'assignment': the partitions this member owns from now on. */
  partitions?: readonly number[];
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

/** A consumer owning a set of partitions (empty: idle) from `start` to `end`. */
export interface OwnershipSpan {
  consumer: string;
  partitions: number[];
  start: number;
  end: number;
}

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

/** A rebalance as a chart shades it: exactly the episodes the summary counts as rebalances. */
export interface RebalanceWindow {
  /** 1, 2, ... in time order (the chart's "rebalance i" label). */
  number: number;
  start: number;
  end: number;
  trigger: string;
}

/** What the measurements read from a member's receive log. */
export interface ReceiveTimes {
  /** Messages received between two times, inclusive (a ReceivedLog answers this itself). */
  countReceivedBetween(from: number, to: number): number;
}

export interface TimelineOptions {
  /** An episode ends once ownership is complete and no event follows within this long (default 1,000 ms). */
  settleMs?: number;
  /** Ignore events after this time (e.g. the group's final shutdown). */
  until?: number;
  /** Where spans still open end (default: the last event read). */
  end?: number;
  /** The members' receive logs, to count what was processed during each episode. */
  logs?: readonly ReceiveTimes[];
}

/** Everything read from one group's events. */
export interface GroupTimeline {
  intervals: OwnershipInterval[];
  spans: OwnershipSpan[];
  episodes: RebalanceRecord[];
  /** The episodes that are rebalances (`isRebalance`), numbered for a chart. */
  windows: RebalanceWindow[];
  /** The members seen, in natural order. */
  consumers: string[];
}

export const DEFAULT_SETTLE_MS = 1_000;

interface OpenEpisode {
  start: number;
  last: number;
  events: GroupEvent[];
  ownerBefore: Map<number, string>;
  ownedBefore: Map<string, Set<number>>;
  revoked: Map<string, Set<number>>;
  pauses: PartitionPause[];
}

/** Reads a group's event log once: ownership, episodes, pauses and rebalance windows. */
export function readGroupTimeline(events: readonly GroupEvent[], options: TimelineOptions = {}): GroupTimeline {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const until = options.until ?? Infinity;
  const logs = options.logs ?? [];
  const sorted = events
    .filter((event) => event.at <= until)
    .map((event, i) => ({ event, i }))
    .sort((a, b) => a.event.at - b.event.at || a.i - b.i)
    .map(({ event }) => event);

  const owned = new Map<string, Set<number>>();
  const unownedSince = new Map<number, { at: number; lostBy: string }>();
  const rebalancing = new Set<string>();
  const episodes: RebalanceRecord[] = [];
  const intervals: OwnershipInterval[] = [];
  const openIntervals = new Map<string, Map<number, OwnershipInterval>>();
  const spans: OwnershipSpan[] = [];
  const openSpans = new Map<string, OwnershipSpan>();
  let episode: OpenEpisode | undefined;

  const ownerMap = (): Map<number, string> => {
    const owners = new Map<number, string>();
    for (const [consumer, partitions] of owned) for (const partition of partitions) owners.set(partition, consumer);
    return owners;
  };
  const settled = () => unownedSince.size === 0 && rebalancing.size === 0;
  const finish = () => {
    if (!episode) return;
    episodes.push(closeEpisode(episode, ownerMap(), owned, episodes.length + 1, logs));
    episode = undefined;
  };
  const closeSpan = (consumer: string, at: number) => {
    const span = openSpans.get(consumer);
    if (!span) return;
    openSpans.delete(consumer);
    span.end = at;
    // A set replaced at the same instant (an incremental step) is no bar of its own; an idle moment is.
    if (span.end > span.start || span.partitions.length === 0) spans.push(span);
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

    // Per member: the span of the old set ends; an assignment opens the next one (empty: idle).
    closeSpan(event.consumer, event.at);
    if (event.type === 'assignment') {
      openSpans.set(event.consumer, {
        consumer: event.consumer,
        partitions: [...next].sort(byNumber),
        start: event.at,
        end: event.at,
      });
    }
    // Per partition: an interval ends when its partition is given up, one begins when it is gained.
    const open = openIntervals.get(event.consumer) ?? new Map<number, OwnershipInterval>();
    openIntervals.set(event.consumer, open);
    for (const partition of previous) {
      if (next.has(partition)) continue;
      const interval = open.get(partition);
      if (interval) interval.to = event.at;
      open.delete(partition);
      if (!episode.revoked.has(event.consumer)) episode.revoked.set(event.consumer, new Set());
      episode.revoked.get(event.consumer)!.add(partition);
      if (!unownedSince.has(partition)) unownedSince.set(partition, { at: event.at, lostBy: event.consumer });
    }
    owned.set(event.consumer, next);
    for (const partition of next) {
      if (previous.has(partition)) continue;
      const interval: OwnershipInterval = { consumer: event.consumer, partition, from: event.at, to: null };
      intervals.push(interval);
      open.set(partition, interval);
      const since = unownedSince.get(partition);
      if (since) {
        unownedSince.delete(partition);
        episode.pauses.push({
          partition,
          from: since.at,
          to: event.at,
          ms: event.at - since.at,
          lostBy: since.lostBy,
          gainedBy: event.consumer,
        });
      }
    }
    // Partitions given up that another member still owns (an overlap while both reconcile) were never without an owner.
    for (const [partition] of unownedSince) {
      if ([...owned.values()].some((set) => set.has(partition))) unownedSince.delete(partition);
    }
  }
  const lastAt = sorted.length ? sorted[sorted.length - 1].at : 0;
  if (episode) {
    // Still-open pauses (nobody took the partition before the end): measured up to the last event.
    for (const [partition, since] of unownedSince) {
      episode.pauses.push({
        partition,
        from: since.at,
        to: lastAt,
        ms: lastAt - since.at,
        lostBy: since.lostBy,
        gainedBy: null,
      });
    }
    finish();
  }
  const spanEnd = options.end ?? lastAt;
  for (const [consumer, span] of [...openSpans]) closeSpan(consumer, Math.max(spanEnd, span.start));
  spans.sort((a, b) => a.start - b.start || naturalCompare(a.consumer, b.consumer));
  const windows = episodes
    .filter((record) => record.isRebalance)
    .map((record, i) => ({ number: i + 1, start: record.start, end: record.end, trigger: record.trigger }));
  const consumers = [...new Set(sorted.map((event) => event.consumer))].sort(naturalCompare);
  return { intervals, spans, episodes, windows, consumers };
}

/** Ownership intervals per partition (the group's `ownership()`). */
export function ownershipTimeline(events: readonly GroupEvent[], options: TimelineOptions = {}): OwnershipInterval[] {
  return readGroupTimeline(events, options).intervals;
}

/** Who owned which set of partitions when, per member; spans still open end at `end` (default: the last event). */
export function ownershipSpans(events: readonly GroupEvent[], end?: number): OwnershipSpan[] {
  return readGroupTimeline(events, { end }).spans;
}

/** The rebalances of a run, as windows a chart shades: the same episodes `summarizeRebalances` counts. */
export function rebalanceWindows(events: readonly GroupEvent[], options: TimelineOptions = {}): RebalanceWindow[] {
  return readGroupTimeline(events, options).windows;
}

/**
 * Splits a group's life into episodes of membership change and measures each:
 * who lost and gained which partitions, how long each partition went without
 * an owner, how many messages were processed meanwhile.
 */
export function measureRebalances(
  events: readonly GroupEvent[],
  logs: readonly ReceiveTimes[] = [],
  options: Omit<TimelineOptions, 'logs' | 'end'> = {},
): RebalanceRecord[] {
  return readGroupTimeline(events, { ...options, logs }).episodes;
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
  const moved = [...episode.ownerBefore.keys()]
    .filter((p) => ownerAfter.get(p) !== episode.ownerBefore.get(p))
    .sort(byNumber);
  // Members that were there before and are still there after, and whose ownership was touched.
  const stayers = episode.events.filter(
    (e) =>
      !comers.has(e.consumer) &&
      episode.ownedBefore.has(e.consumer) &&
      (e.type === 'rebalance-start' || e.type === 'assignment'),
  );
  const isRebalance =
    stayers.length > 0 ||
    (moved.length > 0 && episode.ownerBefore.size > 0 && !isSameMemberHandover(episode, joined, left));
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

/** Messages received by all members between two times, inclusive. */
export function countReceivedBetween(logs: readonly ReceiveTimes[], from: number, to: number): number {
  return logs.reduce((sum, log) => sum + log.countReceivedBetween(from, to), 0);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
