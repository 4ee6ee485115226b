import type { ConsumerSummary } from '../consume/consumerGroup';
import type { ReceivedRecord } from '../consume/receivedLog';
import type { KafkaLab } from '../lab';
import type { Accounting } from '../observe/accounting';
import { ownershipSpans, type GroupEvent } from '../observe/groupTimeline';
import type { LagSample } from '../observe/lag';
import type { KeyStrategy } from '../produce/keyStrategy';
import { freshName } from '../util/syntheticRows';

/**
 * Scenario of notebook 03: scaling a running consumer group up and down, one
 * consumer at a time, while a stream runs: the plan, the steps as they
 * happened, and per consumer how long it owned partitions or sat idle.
 */

export interface ScalingScenarioOptions {
  lab: KafkaLab;
  /** The rows streamed (repeated until the scaling is done). */
  rows: readonly object[];
  partitions: number;
  /** Consumers beyond the partition count at the peak (they sit idle). */
  extraConsumers: number;
  ratePerSec: number;
  /** Distinct messages the group receives between two changes. */
  messagesPerStep: number;
  key: KeyStrategy;
  /** Default 'nb03'. */
  topicPrefix?: string;
  /** Lag sampling interval; default 500 ms. */
  lagIntervalMs?: number;
  onStep?: (step: ScaleStep, steps: number) => void;
}

export interface ScalingScenarioResult {
  topic: string;
  partitions: number;
  key: KeyStrategy;
  ratePerSec: number;
  rowCount: number;
  /** The group before the first change. */
  start: ConsumerSummary[];
  plan: number[];
  steps: ScaleStep[];
  produced: number;
  produceDurationMs: number;
  /** First group event and the moment the group had drained the stream. */
  t0: number;
  end: number;
  consumerIds: string[];
  events: GroupEvent[];
  records: ReceivedRecord[];
  lagSamples: LagSample[];
  consumerTimes: ConsumerTime[];
  accounting: Accounting;
  /** The figures notebook 03 records (`recordResult('rebalancing', …)`). */
  headline: {
    partitions: number;
    peakConsumers: number;
    steps: number;
    medianSettleMs: number;
    produced: number;
    missing: number;
    duplicates: number;
  };
}

/**
 * Streams `rows` (repeated) at `ratePerSec` into a fresh topic, starts one
 * consumer, scales the group one consumer at a time up to partitions +
 * extraConsumers and back to one, drains the stream and accounts for it.
 */
export async function runScalingScenario(options: ScalingScenarioOptions): Promise<ScalingScenarioResult> {
  const { lab, partitions, key } = options;
  const topic = freshName(options.topicPrefix ?? 'nb03');
  await lab.createTopic({ topic, partitions, recreate: true });
  const streamControl = new AbortController();
  const streaming = lab.produce(cycleRows(options.rows), { topic, key, ratePerSec: options.ratePerSec, signal: streamControl.signal });
  const group = await lab.startConsumerGroup({ topic, consumers: 1, from: 'earliest' });
  const lagSampler = lab.startLagSampler(group, options.lagIntervalMs ?? 500);
  try {
    const start = group.summaries();
    const plan = scalePlan(1, partitions + options.extraConsumers);
    const steps = await scaleGroup(group, plan, {
      messagesPerStep: options.messagesPerStep,
      onStep: (step) => options.onStep?.(step, plan.length - 1),
    });
    streamControl.abort();
    const produced = await streaming;
    await group.waitForReceived(produced.produced);
    await lagSampler.stop();
    const end = Date.now();
    const events = [...group.events];
    const records = group.records();
    const t0 = Math.min(...events.map((event) => event.at));
    const accounting = lab.accountFor(produced, group);
    const settles = steps.slice(1).map((step) => step.settleMs).sort((a, b) => a - b);
    return {
      topic,
      partitions,
      key,
      ratePerSec: options.ratePerSec,
      rowCount: options.rows.length,
      start,
      plan,
      steps,
      produced: produced.produced,
      produceDurationMs: produced.durationMs,
      t0,
      end,
      consumerIds: group.consumers.map((consumer) => consumer.id),
      events,
      records,
      lagSamples: [...lagSampler.samples],
      consumerTimes: consumerTimes(events, records, { t0, end }),
      accounting,
      headline: {
        partitions,
        peakConsumers: partitions + options.extraConsumers,
        steps: steps.length - 1,
        medianSettleMs: settles[Math.floor(settles.length / 2)],
        produced: accounting.produced,
        missing: accounting.missing,
        duplicates: accounting.duplicates,
      },
    };
  } finally {
    streamControl.abort();
    await streaming.catch(() => undefined);
    await lagSampler.stop();
    await group.stop();
  }
}

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

/** An endless stream of `rows`, repeated in order (stop it with the producer's `signal`). */
export function* cycleRows<T>(rows: readonly T[]): Generator<T> {
  if (rows.length === 0) return;
  for (;;) yield* rows;
}
