import { performance } from 'node:perf_hooks';
import type { GroupMember } from '../consume/groupMember';
import type { SendTimes } from '../produce/replay';

/**
 * Lag in seconds, sampled in-process. The lab wrote every message and knows
 * when (SendTimes), and every member records what it processed, so the age of
 * the oldest message not yet processed needs no broker request at all: each
 * tick reads the messages processed since the previous tick and one send time
 * per partition. The cost of every tick is measured and reported
 * (`tickCostMs`), to show that sampling does not change what it measures.
 */

export interface PartitionLagPoint {
  at: number;
  partition: number;
  /** The member owning the partition at that instant (null during a rebalance). */
  owner: string | null;
  /** Messages written but not yet processed. */
  lagMessages: number;
  /** Age of the oldest message not yet processed, in seconds (0 when none waits). */
  lagSeconds: number;
}

export interface ConsumerLagPoint {
  at: number;
  consumer: string;
  lagMessages: number;
  lagSeconds: number;
  /** Messages this member has processed so far (repeats included). */
  processed: number;
}

export interface GroupLagPoint {
  at: number;
  lagMessages: number;
  /** The oldest unprocessed message of any partition, in seconds. */
  lagSeconds: number;
  /** Distinct messages processed so far (highest processed offset per partition). */
  processed: number;
  produced: number;
  /** End-to-end delay (processed minus sent) of the messages processed since the previous tick: the largest, ms. */
  e2eMsMax: number;
}

export interface LagSecondsGroup {
  readonly consumers: readonly GroupMember[];
}

export class LagSecondsSampler {
  readonly partitionPoints: PartitionLagPoint[] = [];
  readonly consumerPoints: ConsumerLagPoint[] = [];
  readonly groupPoints: GroupLagPoint[] = [];
  /** End-to-end delay of every processed message, ms (in processing order per member). */
  readonly e2eMs: number[] = [];
  readonly tickCostMs: number[] = [];
  readonly #cursor = new Map<GroupMember, number>();
  readonly #processedNext = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  readonly #listeners = new Set<(point: GroupLagPoint) => void>();

  constructor(
    private readonly sendTimes: SendTimes,
    private readonly group: LagSecondsGroup,
    private readonly partitionCount: number,
    readonly intervalMs = 250,
  ) {}

  start(): this {
    if (this.#timer) return this;
    this.sample();
    this.#timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  /** Called after every tick with the group's point (e.g. to redraw a live chart). */
  onSample(listener: (point: GroupLagPoint) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops the timer and takes a last sample. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.sample();
  }

  /** The group's lag now, without recording a point (for the witness's brackets). */
  peek(now = Date.now()): GroupLagPoint {
    return this.sample(now, false);
  }

  /** One reading now: per partition, per consumer and for the group. */
  sample(now = Date.now(), record = true): GroupLagPoint {
    const began = performance.now();
    let e2eMax = 0;
    for (const member of this.group.consumers) {
      const log = member.log;
      let i = this.#cursor.get(member) ?? 0;
      for (; i < log.length; i += 1) {
        const partition = log.partitionAt(i);
        const next = log.offsetAt(i) + 1;
        if (next > (this.#processedNext.get(partition) ?? 0)) this.#processedNext.set(partition, next);
        const delay = log.receivedAtOf(i) - log.producedAtOf(i);
        this.e2eMs.push(delay);
        if (delay > e2eMax) e2eMax = delay;
      }
      this.#cursor.set(member, i);
    }
    const owners = new Map<number, string>();
    for (const member of this.group.consumers)
      for (const partition of member.partitions) owners.set(partition, member.id);
    const byConsumer = new Map<string, { lagMessages: number; lagSeconds: number; processed: number }>();
    for (const member of this.group.consumers)
      if (member.active) byConsumer.set(member.id, { lagMessages: 0, lagSeconds: 0, processed: member.log.length });
    let lagMessages = 0;
    let lagSeconds = 0;
    let processed = 0;
    let produced = 0;
    for (let partition = 0; partition < this.partitionCount; partition += 1) {
      const first = this.sendTimes.firstOffset(partition);
      const end = this.sendTimes.endOffset(partition);
      const next = Math.max(first, this.#processedNext.get(partition) ?? first);
      const lag = Math.max(0, end - next);
      const sentAt = lag > 0 ? this.sendTimes.sentAtOf(partition, next) : undefined;
      const seconds = sentAt === undefined ? 0 : Math.max(0, (now - sentAt) / 1000);
      const owner = owners.get(partition) ?? null;
      if (record) this.partitionPoints.push({ at: now, partition, owner, lagMessages: lag, lagSeconds: seconds });
      if (owner !== null) {
        const own = byConsumer.get(owner);
        if (own) {
          own.lagMessages += lag;
          own.lagSeconds = Math.max(own.lagSeconds, seconds);
        }
      }
      lagMessages += lag;
      lagSeconds = Math.max(lagSeconds, seconds);
      processed += Math.min(end, next) - first;
      produced += end - first;
    }
    const point = { at: now, lagMessages, lagSeconds, processed, produced, e2eMsMax: e2eMax };
    if (!record) return point;
    for (const [consumer, own] of byConsumer) this.consumerPoints.push({ at: now, consumer, ...own });
    this.groupPoints.push(point);
    this.tickCostMs.push(performance.now() - began);
    for (const listener of this.#listeners) listener(point);
    return point;
  }
}
