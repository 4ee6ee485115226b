import { formatNumber } from './format';
import { ownershipSpans } from '../observe/groupTimeline';
import type { GroupEvent, ReceivedRecord } from './types';

/**
 * Scaling a running consumer group up and down, one consumer at a time, while
 * a stream runs: the plan, the steps as they happened, and per consumer how
 * long it owned partitions or sat idle.
 */

/** Group sizes from `start` up to `peak` and back down to `end`, one consumer per step: 1,2,3,2,1. */
export function scalePlan(start: number, peak: number, end = start): number[] {
  const sizes: number[] = [];
  for (let n = start; n <= peak; n += 1) sizes.push(n);
  for (let n = peak - 1; n >= end; n -= 1) sizes.push(n);
  return sizes;
}

/** The part of a consumer group run that scaling needs (ConsumerGroupRun satisfies it). */
export interface ScalableGroup {
  addConsumer(): Promise<{ id: string }>;
  stopConsumer(): Promise<{ id: string }>;
  waitForReceived(count: number, timeoutMs?: number): Promise<void>;
  readonly tally: { readonly unique: number };
  summaries(): { id: string; state: string; partitions: number[]; received: number; idle: boolean }[];
}

/** One change of group size: who joined or left, how long until the assignment was stable, who owned what after. */
export interface ScaleStep {
  step: number;
  action: string;
  consumers: number;
  /** From the add/stop call to a stable assignment, ms. */
  settleMs: number;
  /** `consumer-1: p0 p1 · consumer-2: p2` */
  assignment: string;
  idle: string;
  at: number;
}

function assignmentOf(group: ScalableGroup): { assignment: string; idle: string; consumers: number } {
  const running = group.summaries().filter((summary) => summary.state !== 'stopped' && summary.state !== 'crashed');
  return {
    consumers: running.length,
    assignment: running.filter((s) => s.partitions.length).map((s) => `${s.id}: ${s.partitions.map((p) => `p${p}`).join(' ')}`).join(' · '),
    idle: running.filter((s) => s.idle).map((s) => s.id).join(', '),
  };
}

/**
 * Walks the group through `sizes` (the first is its current size): adds or
 * stops one consumer per step, then lets it receive `messagesPerStep` more
 * distinct messages before the next change (a condition, not a sleep).
 */
export async function scaleGroup(
  group: ScalableGroup,
  sizes: readonly number[],
  options: { messagesPerStep: number; stepTimeoutMs?: number; onStep?: (step: ScaleStep) => void },
): Promise<ScaleStep[]> {
  const steps: ScaleStep[] = [];
  const record = (action: string, started: number) => {
    const step: ScaleStep = { step: steps.length, action, settleMs: Date.now() - started, at: started, ...assignmentOf(group) };
    steps.push(step);
    options.onStep?.(step);
  };
  const dwell = () => group.waitForReceived(group.tally.unique + options.messagesPerStep, options.stepTimeoutMs ?? 60_000);
  record('start', Date.now());
  await dwell();
  for (let i = 1; i < sizes.length; i += 1) {
    const started = Date.now();
    if (sizes[i] > sizes[i - 1]) {
      const added = await group.addConsumer();
      record(`+ ${added.id}`, started);
    } else if (sizes[i] < sizes[i - 1]) {
      const stopped = await group.stopConsumer();
      record(`− ${stopped.id}`, started);
    } else continue;
    await dwell();
  }
  return steps;
}

/** Per consumer: time in the group, owning partitions, idle, and messages received. */
export interface ConsumerTime {
  consumer: string;
  joinedAtS: number;
  leftAtS: number | null;
  ownedS: number;
  idleS: number;
  partitionsOwned: string;
  messages: number;
}

export function consumerTimes(
  events: readonly GroupEvent[],
  records: readonly Pick<ReceivedRecord, 'consumer'>[],
  options: { t0?: number; end?: number } = {},
): ConsumerTime[] {
  const spans = ownershipSpans(events, options.end);
  const t0 = options.t0 ?? (events.length ? Math.min(...events.map((event) => event.at)) : 0);
  const messages = new Map<string, number>();
  for (const record of records) messages.set(record.consumer, (messages.get(record.consumer) ?? 0) + 1);
  const consumers = [...new Set(events.map((event) => event.consumer))];
  const s = (ms: number) => Math.round(ms / 10) / 100;
  return consumers
    .map((consumer) => {
      const own = events.filter((event) => event.consumer === consumer);
      const joined = own.find((event) => event.type === 'join')?.at ?? own[0].at;
      const left = own.find((event) => event.type === 'leave' || event.type === 'crash')?.at;
      const mine = spans.filter((span) => span.consumer === consumer);
      const owned = mine.filter((span) => span.partitions.length).reduce((sum, span) => sum + span.end - span.start, 0);
      const idle = mine.filter((span) => !span.partitions.length).reduce((sum, span) => sum + span.end - span.start, 0);
      const partitions = [...new Set(mine.flatMap((span) => span.partitions))].sort((a, b) => a - b);
      return {
        consumer,
        joinedAtS: s(joined - t0),
        leftAtS: left === undefined ? null : s(left - t0),
        ownedS: s(owned),
        idleS: s(idle),
        partitionsOwned: partitions.map((p) => `p${p}`).join(' ') || 'none',
        messages: messages.get(consumer) ?? 0,
      };
    })
    .sort((a, b) => a.joinedAtS - b.joinedAtS || a.consumer.localeCompare(b.consumer, 'en', { numeric: true }));
}

/** What scaling did: peak size, idle consumers, the slowest settle. */
export function describeScaling(steps: readonly ScaleStep[], partitions: number, times: readonly ConsumerTime[] = []): string {
  if (steps.length === 0) return 'The group was not scaled.';
  const peak = Math.max(...steps.map((step) => step.consumers));
  const changes = steps.slice(1);
  const settle = changes.map((step) => step.settleMs).sort((a, b) => a - b);
  const slowest = changes.reduce((a, b) => (b.settleMs > a.settleMs ? b : a), changes[0] ?? steps[0]);
  let sentence = `The group went from ${steps[0].consumers} to ${peak} consumer${peak === 1 ? '' : 's'} and back to ${steps[steps.length - 1].consumers} in ${changes.length} steps over a topic with ${partitions} partition${partitions === 1 ? '' : 's'}.`;
  if (changes.length) {
    sentence += ` Each change took ${formatNumber(settle[Math.floor(settle.length / 2)] / 1000)} s (median) to settle into a new assignment; the slowest was ${slowest.action} (${formatNumber(slowest.settleMs / 1000)} s).`;
  }
  const idle = times.filter((time) => time.ownedS === 0);
  if (peak > partitions) {
    sentence += ` With ${peak} consumers for ${partitions} partitions, ${peak - partitions} had to sit idle at the peak`;
    const atPeak = steps.find((step) => step.consumers === peak)?.idle;
    sentence += atPeak ? ` (${atPeak})` : '';
    sentence += idle.length
      ? `; ${idle.map((time) => time.consumer).join(', ')} never owned a partition and received ${formatNumber(idle.reduce((sum, time) => sum + time.messages, 0))} messages.`
      : '. Which ones is up to the assignor at each rebalance, so an idle consumer may get partitions back when another leaves.';
  }
  return sentence;
}

/** An endless stream of `rows`, repeated in order (stop it with the producer's `signal`). */
export function* cycleRows<T>(rows: readonly T[]): Generator<T> {
  if (rows.length === 0) return;
  for (;;) yield* rows;
}

/** The stream's rate versus what each consumer handled at its busiest second. */
export function describeThroughput(records: readonly Pick<ReceivedRecord, 'consumer' | 'receivedAt'>[], options: { t0?: number; bucketMs?: number } = {}): string {
  if (records.length === 0) return 'Nothing was received.';
  const bucketMs = options.bucketMs ?? 1000;
  const t0 = options.t0 ?? Math.min(...records.map((record) => record.receivedAt));
  const perBucket = new Map<string, Map<number, number>>();
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const record of records) {
    const bucket = Math.floor((record.receivedAt - t0) / bucketMs);
    const own = perBucket.get(record.consumer) ?? new Map<number, number>();
    own.set(bucket, (own.get(bucket) ?? 0) + 1);
    perBucket.set(record.consumer, own);
    first = Math.min(first, record.receivedAt);
    last = Math.max(last, record.receivedAt);
  }
  const overall = (records.length * 1000) / Math.max(1, last - first);
  const peaks = [...perBucket.entries()].map(([consumer, buckets]) => {
    const [bucket, count] = [...buckets.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
    return { consumer, at: (bucket * bucketMs) / 1000, rate: (count * 1000) / bucketMs };
  });
  const busiest = peaks.reduce((a, b) => (b.rate > a.rate ? b : a));
  return (
    `The group as a whole took in ${formatNumber(Math.round(overall))} messages per second on average; ` +
    `the busiest single consumer was ${busiest.consumer} with ${formatNumber(Math.round(busiest.rate))} msg/s around ${formatNumber(busiest.at)} s. ` +
    `Each added consumer takes a share of the same stream, so per-consumer rates drop as the group grows and rise again as it shrinks.`
  );
}
