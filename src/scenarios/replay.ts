import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { ConsumerGroupRun } from '../consume/consumerGroup';
import type { GroupEvent } from '../observe/groupTimeline';
import { meanProcessingMs, type ProcessingTime, type WorkModel } from '../consume/work';
import { loadRetailRows, resolveDatasetFile } from '../dataset/resolveDataset';
import type { RetailRow } from '../dataset/retailRow';
import {
  DEFAULTS,
  invalidOption,
  MAX_CONSUMERS,
  validateConsumerCount,
  validatePartitionCount,
  validateSlowMs,
  validateTimeOfDay,
  validateWholeNumber,
  type KeyStrategy,
} from '../options';
import { KafkaLab, type ConnectOptions } from '../lab';
import { accountFor } from '../observe/accounting';
import { firstCaughtUpAt, predictCaughtUpAt, type MemberWork } from '../observe/catchUp';
import { sampleLag } from '../observe/lag';
import {
  LagSecondsSampler,
  type ConsumerLagPoint,
  type GroupLagPoint,
  type PartitionLagPoint,
} from '../observe/lagSeconds';
import { percentile } from '../observe/rebalances';
import {
  compareWitness,
  GroupWitness,
  missedOwnershipChanges,
  type OwnershipWitnessing,
  type WitnessAgreement,
  type WitnessSnapshot,
} from '../observe/witness';
import {
  buildReplaySchedule,
  dueMsOfTime,
  replayRows,
  SendTimes,
  type PaceErrorMs,
  type ReplaySchedule,
} from '../produce/replay';
import { delay } from '../util/waitUntil';

/** The replay's defaults live in src/options.ts (DEFAULTS.replay). */
export const REPLAY_DEFAULTS = DEFAULTS.replay;

export interface ReplayScenarioOptions {
  /** One trading day, YYYY-MM-DD (default 2010-12-09); or `from`/`to` for a range. */
  date?: string;
  from?: string;
  to?: string;
  /** Replay only this window of the day (HH:MM), e.g. for a short test. */
  startTime?: string;
  endTime?: string;
  /** Event time runs this many times faster than the wall clock (default 600). */
  speedup?: number;
  /** Consumers at the start (default 2). */
  consumers?: number;
  /** Partitions of the topic (default 6). */
  partitions?: number;
  /** Processing time per message of every consumer, ms (default 0: as fast as they can). */
  slowMs?: number;
  /** Or a distribution of it (overrides slowMs). */
  processing?: ProcessingTime;
  /** Grow the group to this many consumers when event time reaches `at`. */
  scaleTo?: number;
  /** HH:MM of the (first) replayed day. */
  at?: string;
  /** A data file instead of the lab's data set (e.g. online-retail-sample.csv). */
  input?: string;
  /** Rows to replay instead of loading a file (tests). */
  rows?: readonly RetailRow[];
  key?: KeyStrategy;
  sampleIntervalMs?: number;
  witnessIntervalMs?: number;
  sessionTimeoutMs?: number;
  lab?: KafkaLab;
  connect?: ConnectOptions;
  /** Called after every sample of the lab's sampler (e.g. to redraw a live chart). */
  onSample?: (live: ReplayLive) => void;
}

/** What a live chart can draw while the replay runs. */
export interface ReplayLive {
  startedAt: number;
  partitionPoints: readonly PartitionLagPoint[];
  groupPoints: readonly GroupLagPoint[];
  events: readonly GroupEvent[];
  scaledAt: number | null;
}

function validateReplayOptions(options: ReplayScenarioOptions): void {
  const consumers = options.consumers ?? REPLAY_DEFAULTS.consumers;
  validateConsumerCount(consumers);
  validatePartitionCount(options.partitions ?? REPLAY_DEFAULTS.partitions);
  if (options.slowMs !== undefined) validateSlowMs(options.slowMs);
  if ((options.scaleTo === undefined) !== (options.at === undefined)) {
    invalidOption(
      'scaleTo/at',
      { scaleTo: options.scaleTo, at: options.at },
      'both or neither',
      'Say how many consumers (scaleTo) and when, in event time (at, HH:MM).',
    );
  }
  if (options.scaleTo !== undefined) {
    validateWholeNumber('scaleTo', options.scaleTo, consumers + 1, MAX_CONSUMERS, 'consumers (more than at the start)');
    validateTimeOfDay('at', options.at);
  }
  for (const name of ['sampleIntervalMs', 'witnessIntervalMs'] as const) {
    const value = options[name];
    if (value !== undefined) validateWholeNumber(name, value, 50, 60_000, 'milliseconds');
  }
}

// ---- The result ----

export interface CatchUp {
  /** When the group was grown (ms since the epoch), and the backlog then. */
  at: number;
  backlogMessages: number;
  backlogSeconds: number;
  /** Observed before scaling: messages per second one member processed when it had work waiting. */
  perConsumerRate: number;
  /** Messages per second the replay's schedule sends to the topic over the predicted catch-up (from the new members' start). */
  arrivalRate: number;
  /** Messages processed but not yet committed when the group grew: its members process them again. */
  reprocessMessages: number;
  consumersAfter: number;
  /**
   * rebalanceSec + from then, the first instant every member of the grown group
   * is idle (predictCaughtUpAt): each works through the messages waiting on its
   * partitions from their committed offsets, at perConsumerRate, while the
   * arrivals the schedule has planned on them come in; null with no rate to go by.
   */
  predictedSec: number | null;
  /** Until the first instant no message sent was waiting (from the logs: firstCaughtUpAt); null if never. */
  actualSec: number | null;
  /** That instant, ms since the epoch. */
  caughtUpAt: number | null;
  /** From the scale decision until the group had a stable assignment again. */
  rebalanceSec: number;
}

export interface ReplayScenarioResult {
  date: string;
  from: string;
  to: string;
  speedup: number;
  topic: string;
  groupId: string;
  partitions: number;
  consumers: number;
  scaleTo: number | null;
  at: string | null;
  /** The mean processing time per message (ms), and the time's distribution. */
  slowMs: number | null;
  processing: ProcessingTime | null;
  dataFile: string;
  produced: number;
  received: number;
  eventSpanSec: number;
  /** From the replay's start to the last message processed. */
  wallSec: number;
  /** When the replay's last burst was sent (ms since the epoch). */
  lastSentAt: number;
  paceErrorMs: PaceErrorMs;
  ackMs: PaceErrorMs;
  lagMessagesMax: number;
  lagSecondsP95: number;
  lagSecondsMax: number;
  e2eMs: PaceErrorMs;
  catchUp: CatchUp | null;
  catchUpPredictedSec: number | null;
  catchUpActualSec: number | null;
  rebalances: number;
  missing: number;
  duplicates: number;
  /** What the lab's sampler cost per tick (ms). */
  samplerTickMs: PaceErrorMs;
  samplerTicks: number;
  witness: {
    snapshots: number;
    requestMs: PaceErrorMs;
    agreement: Omit<WitnessAgreement, 'differences'>;
    ownership: Omit<OwnershipWitnessing, 'missedIntervals'>;
  };
  loadAverage: number[];
  startedAt: number;
  series: {
    /** Rows per invoice minute of the replayed day (event time, HH:MM). */
    ordersPerMinute: Array<{ minute: string; rows: number }>;
    groupLag: GroupLagPoint[];
    partitionLag: PartitionLagPoint[];
    consumerLag: ConsumerLagPoint[];
    witness: Array<
      Pick<WitnessSnapshot, 'at' | 'lagMessages' | 'state' | 'durationMs' | 'labBefore' | 'labAfter' | 'owners'>
    >;
    /** Messages processed per wall-clock second since the start. */
    receivedPerSecond: Array<{ second: number; messages: number }>;
    events: GroupEvent[];
  };
}

/**
 * A trading day at its own pace: the rows of a date are replayed by event time
 * into a topic while a group of (possibly slow) consumers reads them; lag in
 * messages and seconds is sampled in-process and witnessed through the broker;
 * at `at` the group grows to `scaleTo` and the lab predicts, then measures, the
 * catch-up. Every message is accounted for.
 */
export async function runReplayScenario(options: ReplayScenarioOptions = {}): Promise<ReplayScenarioResult> {
  validateReplayOptions(options);
  const speedup = options.speedup ?? REPLAY_DEFAULTS.speedup;
  const consumers = options.consumers ?? REPLAY_DEFAULTS.consumers;
  const partitions = options.partitions ?? REPLAY_DEFAULTS.partitions;
  const dataFile = options.rows ? '(rows given)' : (options.input ?? resolveDatasetFile());
  const rows = options.rows ?? (await loadRetailRows(options.input ? { file: options.input } : {}));
  const schedule = buildReplaySchedule(rows, {
    date: options.from === undefined ? (options.date ?? REPLAY_DEFAULTS.date) : undefined,
    from: options.from,
    to: options.to,
    speedup,
    startTime: options.startTime,
    endTime: options.endTime,
  });
  let scaleDueMs: number | undefined;
  if (options.at !== undefined) {
    scaleDueMs = dueMsOfTime(schedule, options.at);
    if (scaleDueMs < 0 || scaleDueMs > schedule.wallSpanMs) {
      const clock = (t: number) => new Date(t).toISOString().slice(11, 16);
      invalidOption(
        'at',
        options.at,
        `a time between ${clock(schedule.eventStart)} and ${clock(schedule.eventEnd)}, when the replayed rows run`,
      );
    }
  }
  const processing: ProcessingTime | undefined =
    options.processing ?? (options.slowMs ? { kind: 'fixed', ms: options.slowMs } : undefined);
  const work: WorkModel | undefined = processing
    ? {
        time: processing,
        commitEvery: Math.max(1, Math.floor(REPLAY_DEFAULTS.commitWorkMs / Math.max(1, meanProcessingMs(processing)))),
      }
    : undefined;

  const lab = options.lab ?? (await KafkaLab.connect(options.connect));
  const suffix = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const topic = `lab-replay-${suffix}`;
  let group: ConsumerGroupRun | undefined;
  let sampler: LagSecondsSampler | undefined;
  let witness: GroupWitness | undefined;
  const controller = new AbortController();
  let producing: Promise<unknown> | undefined;
  try {
    await lab.createTopic({ topic, partitions });
    group = await lab.startConsumerGroup({
      topic,
      consumers,
      groupId: `lab-replay-group-${suffix}`,
      work,
      keepValues: false,
      sessionTimeoutMs: options.sessionTimeoutMs ?? REPLAY_DEFAULTS.sessionTimeoutMs,
    });
    const running = group;
    const sendTimes = new SendTimes();
    sampler = new LagSecondsSampler(
      sendTimes,
      running,
      partitions,
      options.sampleIntervalMs ?? REPLAY_DEFAULTS.sampleIntervalMs,
    );
    const labSampler = sampler;
    witness = new GroupWitness(
      lab.admin,
      running.groupId,
      topic,
      options.witnessIntervalMs ?? REPLAY_DEFAULTS.witnessIntervalMs,
      () => labSampler.peek().lagMessages,
    );
    // The replay's zero: set by the producer once it is connected and has built every message, just
    // before the first send is due (until then, the moment the samplers start).
    let startedAt = Date.now();
    let markStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    let scaledAt: number | null = null;
    if (options.onSample) {
      const onSample = options.onSample;
      const s = sampler;
      s.onSample(() =>
        onSample({
          startedAt,
          partitionPoints: s.partitionPoints,
          groupPoints: s.groupPoints,
          events: running.events,
          scaledAt,
        }),
      );
    }
    sampler.start();
    witness.start();
    const replaying = replayRows(lab.kafka, schedule, {
      topic,
      key: options.key ?? REPLAY_DEFAULTS.key,
      sendTimes,
      onStart: (at) => {
        startedAt = at;
        markStarted();
      },
      signal: controller.signal,
    });
    producing = replaying;
    replaying.catch(() => undefined);
    // The clock has started once the producer says so (or the replay has already ended, with its error).
    await Promise.race([started, replaying]);

    let catchUp: CatchUp | null = null;
    if (options.scaleTo !== undefined && scaleDueMs !== undefined) {
      const wait = startedAt + scaleDueMs - Date.now();
      if (wait > 0) await Promise.race([delay(wait), replaying]);
      const s = sampler;
      const now = Date.now();
      const before = s.sample(now);
      scaledAt = now;
      await Promise.all(
        Array.from({ length: options.scaleTo - consumers }, () => running.addConsumer({ waitForAssignment: false })),
      );
      await running.waitForStableAssignment();
      // The prediction is made once the new members hold their partitions: the rebalance's
      // pause is then measured, not guessed, and the backlog is what the grown group faces.
      const ready = Date.now();
      const point = s.sample(ready);
      // What had been sent by then (arrivals after it come from the plan, so none is counted twice).
      const endAt = new Map(Array.from({ length: partitions }, (_, p) => [p, sendTimes.endOffset(p)]));
      // A member's pace: observed while members had work waiting; the configured mean if none had yet.
      const observed = observedMemberRate(s.consumerPoints, now);
      const perConsumerRate = observed > 0 ? observed : processing ? 1000 / meanProcessingMs(processing) : 0;
      // Every member restarts its partitions from their committed offsets: what was processed
      // after the last commit is done again, so it is work too (not lag).
      const committed = new Map(
        (await sampleLag(lab.admin, running.groupId, topic)).map((p) => [p.partition, p.committed]),
      );
      const restartOf = (p: number) => Math.max(sendTimes.firstOffset(p), committed.get(p) ?? -1);
      const members: MemberWork[] = running.active.map((member) => ({
        messages: member.partitions.reduce((sum, p) => sum + Math.max(0, (endAt.get(p) ?? 0) - restartOf(p)), 0),
        // What is still to come on its partitions, from the replay's own schedule.
        arrivals: member.partitions
          .flatMap((p) => sendTimes.plannedDueBetween(p, ready - startedAt, Number.POSITIVE_INFINITY))
          .map((due) => startedAt + due)
          .sort((x, y) => x - y),
      }));
      const caughtUpAt =
        point.lagMessages === 0
          ? ready
          : perConsumerRate > 0
            ? predictCaughtUpAt(members, 1000 / perConsumerRate, ready)
            : null;
      const windowMs = caughtUpAt === null ? 0 : caughtUpAt - ready;
      const arriving = running.active.reduce(
        (sum, member) =>
          sum +
          member.partitions.reduce(
            (n, p) => n + sendTimes.plannedDueBetween(p, ready - startedAt, ready - startedAt + windowMs).length,
            0,
          ),
        0,
      );
      catchUp = {
        at: now,
        backlogMessages: before.lagMessages,
        backlogSeconds: round1(before.lagSeconds),
        perConsumerRate: round1(perConsumerRate),
        arrivalRate: windowMs > 0 ? round1((arriving * 1000) / windowMs) : 0,
        reprocessMessages: members.reduce((sum, m) => sum + m.messages, 0) - point.lagMessages,
        consumersAfter: options.scaleTo,
        predictedSec: caughtUpAt === null ? null : round1((caughtUpAt - now) / 1000),
        actualSec: null,
        caughtUpAt: null,
        rebalanceSec: round1((ready - now) / 1000),
      };
    }
    const produced = await replaying;
    await running.waitForReceived(produced.produced, 600_000);
    const lastProcessedAt = Math.max(
      ...running.consumers.map((c) => (c.log.length ? c.log.receivedAtOf(c.log.length - 1) : 0)),
    );
    sampler.stop();
    await witness.stop();
    await running.stop();
    if (catchUp) {
      const caughtUpAt = firstCaughtUpAt(
        sendTimes,
        running.consumers.map((c) => c.log),
        catchUp.at,
      );
      catchUp.caughtUpAt = caughtUpAt;
      catchUp.actualSec = caughtUpAt === null ? null : round1((caughtUpAt - catchUp.at) / 1000);
    }

    const accounting = accountFor(produced.log, running.consumers);
    const lagSeconds = sampler.groupPoints.map((p) => p.lagSeconds).sort((a, b) => a - b);
    const e2e = [...sampler.e2eMs].sort((a, b) => a - b);
    const ticks = [...sampler.tickCostMs].sort((a, b) => a - b);
    const requests = witness.snapshots.map((s) => s.durationMs).sort((a, b) => a - b);
    // A member commits every `commitEvery` messages (fast members once per batch), so up to
    // that many processed messages per partition may not be committed yet.
    const tolerance = partitions * (work && typeof work.commitEvery === 'number' ? work.commitEvery : 1);
    const { differences: _differences, ...agreement } = compareWitness(witness.snapshots, tolerance);
    const { missedIntervals: _missed, ...ownership } = missedOwnershipChanges(
      running.events,
      witness.snapshots,
      lastProcessedAt,
    );
    const joins = running.events.filter((e) => e.type === 'assignment').length;
    const members = running.consumers.length;
    return {
      date: schedule.from,
      from: schedule.from,
      to: schedule.to,
      speedup,
      topic,
      groupId: running.groupId,
      partitions,
      consumers,
      scaleTo: options.scaleTo ?? null,
      at: options.at ?? null,
      slowMs: processing ? meanProcessingMs(processing) : null,
      processing: processing ?? null,
      dataFile,
      produced: produced.produced,
      received: running.received,
      eventSpanSec: schedule.eventSpanSec,
      wallSec: round1((lastProcessedAt - startedAt) / 1000),
      lastSentAt: sendTimes.sends.at(-1)?.at ?? startedAt,
      paceErrorMs: produced.paceErrorMs,
      ackMs: produced.ackMs,
      lagMessagesMax: Math.max(0, ...sampler.groupPoints.map((p) => p.lagMessages)),
      lagSecondsP95: round1(percentile(lagSeconds, 0.95)),
      lagSecondsMax: round1(lagSeconds.length ? lagSeconds[lagSeconds.length - 1] : 0),
      e2eMs: {
        p50: Math.round(percentile(e2e, 0.5)),
        p95: Math.round(percentile(e2e, 0.95)),
        max: Math.round(e2e.length ? e2e[e2e.length - 1] : 0),
      },
      catchUp,
      catchUpPredictedSec: catchUp?.predictedSec ?? null,
      catchUpActualSec: catchUp?.actualSec ?? null,
      // Every assignment after each member's first one is a rebalance it went through.
      rebalances: Math.max(0, joins - members),
      missing: accounting.missing,
      duplicates: accounting.duplicates,
      samplerTickMs: {
        p50: round3(percentile(ticks, 0.5)),
        p95: round3(percentile(ticks, 0.95)),
        max: round3(ticks.length ? ticks[ticks.length - 1] : 0),
      },
      samplerTicks: ticks.length,
      witness: {
        snapshots: witness.snapshots.length,
        requestMs: {
          p50: percentile(requests, 0.5),
          p95: percentile(requests, 0.95),
          max: requests.length ? requests[requests.length - 1] : 0,
        },
        agreement: { ...agreement, meanDifference: round1(agreement.meanDifference) },
        ownership,
      },
      loadAverage: loadAverage(),
      startedAt,
      series: {
        ordersPerMinute: ordersPerMinute(schedule),
        groupLag: sampler.groupPoints,
        partitionLag: sampler.partitionPoints,
        consumerLag: sampler.consumerPoints,
        witness: witness.snapshots.map((s) => ({
          at: s.at,
          lagMessages: s.lagMessages,
          state: s.state,
          durationMs: s.durationMs,
          labBefore: s.labBefore,
          labAfter: s.labAfter,
          owners: s.owners,
        })),
        receivedPerSecond: receivedPerSecond(running, startedAt),
        events: running.events,
      },
    };
  } finally {
    controller.abort();
    await producing?.catch(() => undefined);
    sampler?.stop();
    await witness?.stop().catch(() => undefined);
    await group?.stop().catch(() => undefined);
    await lab.deleteTopic(topic).catch(() => undefined);
    if (!options.lab) await lab.close();
  }
}

/**
 * Messages one member processes per second when it has work waiting: over the
 * sampler's ticks (up to `until`) in which the member had messages waiting at
 * both ends, the messages it processed divided by the time those ticks span.
 * (A ratio over every busy tick, not a median of per-tick rates: a 250 ms tick
 * holds two or three 100 ms messages, so per-tick rates jump between 8 and 12/s.)
 */
export function observedMemberRate(points: readonly ConsumerLagPoint[], until = Number.POSITIVE_INFINITY): number {
  const previous = new Map<string, ConsumerLagPoint>();
  let messages = 0;
  let ms = 0;
  for (const b of points) {
    if (b.at > until) break;
    const a = previous.get(b.consumer);
    previous.set(b.consumer, b);
    if (!a || a.lagMessages === 0 || b.lagMessages === 0 || b.at <= a.at) continue;
    messages += b.processed - a.processed;
    ms += b.at - a.at;
  }
  return ms > 0 ? (messages * 1000) / ms : 0;
}

function ordersPerMinute(schedule: ReplaySchedule): Array<{ minute: string; rows: number }> {
  const counts = new Map<string, number>();
  for (const entry of schedule.entries) {
    const minute = new Date(entry.eventTime).toISOString().slice(0, 16).replace('T', ' ');
    counts.set(minute, (counts.get(minute) ?? 0) + 1);
  }
  return [...counts.entries()].map(([minute, rows]) => ({ minute, rows }));
}

function receivedPerSecond(group: ConsumerGroupRun, t0: number): Array<{ second: number; messages: number }> {
  const counts = new Map<number, number>();
  for (const member of group.consumers) {
    for (let i = 0; i < member.log.length; i += 1) {
      const second = Math.floor((member.log.receivedAtOf(i) - t0) / 1000);
      counts.set(second, (counts.get(second) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([second, messages]) => ({ second, messages }));
}

/** The machine's 1, 5 and 15-minute load averages: pace figures depend on them. */
function loadAverage(): number[] {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The figures the issue asks of `replay --json`, without the series. */
export function replayHeadline(result: ReplayScenarioResult) {
  const { series: _series, ...rest } = result;
  return rest;
}
