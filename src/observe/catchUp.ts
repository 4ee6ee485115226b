/**
 * When a group has caught up: the first instant at which no message the lab
 * sent is waiting (every partition processed up to what was sent), both
 * predicted (a queue per member, fed by the replay's own plan) and measured
 * (from the members' logs and the send times, to the millisecond, not from
 * the sampler's ticks: a group that is idle only between bursts would be seen
 * idle by a 250 ms tick only by luck).
 */

/** What one member of the grown group has to do from the prediction's start. */
export interface MemberWork {
  /** Messages waiting on its partitions (from their committed offsets: a moved partition is re-read from there). */
  messages: number;
  /** When more messages are due on its partitions (ms since the epoch, ascending), from the replay's plan. */
  arrivals: readonly number[];
}

/**
 * The first instant at or after `from` at which every member is idle, if each
 * processes its messages one at a time, `serviceMs` each, in arrival order: a
 * member is idle from the moment it has done its backlog and every arrival so
 * far until its next arrival. Members run side by side, so the group has caught
 * up when their idle spans first overlap. (The rebalance's pause is before
 * `from`: the caller starts the clock once the grown group holds its partitions.)
 */
export function predictCaughtUpAt(members: readonly MemberWork[], serviceMs: number, from: number): number {
  const idle = members.map((member) => idleSpans(member, serviceMs, from));
  const starts = [...new Set(idle.flatMap((spans) => spans.map(([start]) => start)))].sort((a, b) => a - b);
  for (const t of starts) {
    if (idle.every((spans) => spans.some(([start, end]) => start <= t && t < end))) return t;
  }
  // Unreachable: every member's last span never ends.
  return Number.POSITIVE_INFINITY;
}

/** A member's idle spans [start, end) from `from` on: the last one never ends. */
function idleSpans(member: MemberWork, serviceMs: number, from: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let busyUntil = from + member.messages * serviceMs;
  for (const arrival of member.arrivals) {
    if (arrival < from) continue;
    if (arrival > busyUntil) spans.push([busyUntil, arrival]);
    busyUntil = Math.max(busyUntil, arrival) + serviceMs;
  }
  spans.push([busyUntil, Number.POSITIVE_INFINITY]);
  return spans;
}

/** Send times of the lab's messages, per partition (as `SendTimes` keeps them). */
export interface SentOffsets {
  partitions(): number[];
  firstOffset(partition: number): number;
  endOffset(partition: number): number;
  sentAtOf(partition: number, offset: number): number | undefined;
}

/** A member's record of what it processed (as a `ReceivedLog` keeps it). */
export interface ProcessedLog {
  readonly length: number;
  partitionAt(i: number): number;
  offsetAt(i: number): number;
  receivedAtOf(i: number): number;
}

/**
 * The first instant at or after `from` at which every message sent so far had
 * been processed, from the members' logs (a message counts as processed when
 * its processing ended) and the send times; null when that never happened.
 */
export function firstCaughtUpAt(sent: SentOffsets, logs: readonly ProcessedLog[], from: number): number | null {
  // +1: a message sent; 0: a processing done (with the offset after it). Sends sort first on a tie.
  const events: Array<{ at: number; partition: number; next: number; kind: 0 | 1 }> = [];
  for (const partition of sent.partitions()) {
    for (let offset = sent.firstOffset(partition); offset < sent.endOffset(partition); offset += 1) {
      events.push({ at: sent.sentAtOf(partition, offset) ?? 0, partition, next: offset + 1, kind: 1 });
    }
  }
  for (const log of logs) {
    for (let i = 0; i < log.length; i += 1) {
      events.push({ at: log.receivedAtOf(i), partition: log.partitionAt(i), next: log.offsetAt(i) + 1, kind: 0 });
    }
  }
  events.sort((a, b) => a.at - b.at || b.kind - a.kind);
  const sentNext = new Map<number, number>();
  const doneNext = new Map<number, number>();
  for (const partition of sent.partitions()) {
    sentNext.set(partition, sent.firstOffset(partition));
    doneNext.set(partition, sent.firstOffset(partition));
  }
  let behind = 0;
  const isBehind = (partition: number) => (doneNext.get(partition) ?? 0) < (sentNext.get(partition) ?? 0);
  let checkedFrom = false;
  for (const event of events) {
    // Everything up to and including `from` is applied before the group is judged at `from`.
    if (!checkedFrom && event.at > from) {
      checkedFrom = true;
      if (behind === 0) return from;
    }
    const was = isBehind(event.partition);
    const map = event.kind === 1 ? sentNext : doneNext;
    map.set(event.partition, Math.max(map.get(event.partition) ?? 0, event.next));
    const is = isBehind(event.partition);
    behind += Number(is) - Number(was);
    if (event.kind === 0 && event.at >= from && behind === 0) return event.at;
  }
  return !checkedFrom && behind === 0 ? from : null;
}
