import { randomBytes } from 'node:crypto';
import type { ConsumerGroupRun } from '../consume/consumerGroup';
import type { GroupEvent } from '../observe/groupTimeline';
import { LabError } from '../errors';
import { DEFAULTS, invalidOption } from '../options';
import { KafkaLab, type ConnectOptions } from '../lab';
import { delay, waitUntil } from '../util/waitUntil';

/** The scenario's defaults live in src/options.ts (DEFAULTS.pollDeadline). */
export const POLL_DEADLINE_DEFAULTS = DEFAULTS.pollDeadline;

export type PollDeadlineMode = 'naive' | 'fixed';

export interface PollDeadlineOptions {
  /** 'naive': commit and heartbeat once per fetched batch; 'fixed': every few messages. */
  mode: PollDeadlineMode;
  messages?: number;
  partitions?: number;
  consumers?: number;
  processingMs?: number;
  sessionTimeoutMs?: number;
  watchMs?: number;
  lab?: KafkaLab;
  connect?: ConnectOptions;
}

export interface PollDeadlineResult {
  mode: PollDeadlineMode;
  messages: number;
  processingMs: number;
  sessionTimeoutMs: number;
  /** Messages between two commits-and-heartbeats ('batch' when naive). */
  commitEvery: number | 'batch';
  /** Longest batch a member was handed (messages), and how long it takes to process. */
  largestBatchMs: number;
  /** Assignments the members received between the group's first stable moment and the end of the watch (each one a rebalance a member went through). */
  rebalances: number;
  processed: number;
  distinct: number;
  duplicates: number;
  /** Every message processed and its offset committed within the watch time. */
  finished: boolean;
  /** Wall time until finished, or the watch time. */
  wallSec: number;
  events: GroupEvent[];
  startedAt: number;
}

/**
 * The poll-deadline failure and its fix, on kafkajs. A kafkajs member
 * heartbeats only between batches or when its handler calls `heartbeat()`: the
 * session timeout is kafkajs' poll deadline (librdkafka's is
 * `max.poll.interval.ms`). A backlog is written first, so each fetch hands a
 * member a large batch; at `processingMs` a message that batch takes longer than
 * the session timeout.
 *
 * - naive: process the whole batch, then commit and heartbeat. The broker expires
 *   the silent member, its commit is refused, it rejoins, and the batch is read
 *   again from the last commit: a rebalance storm with duplicates, and no progress.
 * - fixed: commit and heartbeat every k messages, k chosen so that k messages take
 *   a third of the deadline (smaller batches, the lab's choice: it keeps the
 *   member's fetch and its ordering as they are and needs no pause/resume
 *   bookkeeping; kafkajs has no max.poll.records, so the bound is on the work
 *   between two heartbeats rather than on the fetch).
 */
export async function runPollDeadline(options: PollDeadlineOptions): Promise<PollDeadlineResult> {
  const d = POLL_DEADLINE_DEFAULTS;
  if (options.mode !== 'naive' && options.mode !== 'fixed') invalidOption('mode', options.mode, '"naive" or "fixed"');
  const messages = options.messages ?? d.messages;
  const processingMs = options.processingMs ?? d.processingMs;
  const sessionTimeoutMs = options.sessionTimeoutMs ?? d.sessionTimeoutMs;
  const watchMs = options.watchMs ?? d.watchMs;
  if (!Number.isInteger(messages) || messages < 1) invalidOption('messages', messages, 'a whole number of at least 1');
  if (!(processingMs > 0)) invalidOption('processingMs', processingMs, 'milliseconds above 0');
  if (!(Number.isInteger(sessionTimeoutMs) && sessionTimeoutMs >= 1000))
    invalidOption(
      'sessionTimeoutMs',
      sessionTimeoutMs,
      'a whole number of milliseconds, at least 1000 (the broker minimum here)',
    );
  const commitEvery =
    options.mode === 'naive' ? ('batch' as const) : Math.max(1, Math.floor(sessionTimeoutMs / 3 / processingMs));

  const lab = options.lab ?? (await KafkaLab.connect(options.connect));
  const suffix = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const topic = `lab-deadline-${options.mode}-${suffix}`;
  let group: ConsumerGroupRun | undefined;
  try {
    await lab.createTopic({ topic, partitions: options.partitions ?? d.partitions });
    const rows = Array.from({ length: messages }, (_, i) => ({
      n: i,
      invoice: String(536365 + i),
      pad: 'x'.repeat(100),
    }));
    // A new topic's partitions can be unknown to the broker's produce path for a moment
    // after creation ("does not host this topic-partition"): wait until each has a leader.
    await waitUntil(
      async () =>
        (await lab.admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.every((p) => p.leader >= 0),
      30_000,
      `leaders for every partition of ${topic}`,
      100,
    );
    await produceWhenReady(lab, rows, topic);
    const startedAt = Date.now();
    group = await lab.startConsumerGroup({
      topic,
      consumers: options.consumers ?? d.consumers,
      groupId: `lab-deadline-group-${suffix}`,
      keepValues: false,
      sessionTimeoutMs,
      heartbeatIntervalMs: Math.min(500, Math.floor(sessionTimeoutMs / 4)),
      work: { time: { kind: 'fixed', ms: processingMs }, commitEvery },
      // A naive member is thrown out by its first backlog batch, so its group may never look stable:
      // waiting for that timed out in a CI run. The storm is what it shows, counted from here.
      waitForAssignment: options.mode === 'fixed',
    });
    const running = group;
    // The fixed group is stable here (every member joined and assigned): rebalances are counted from now,
    // so members that happened to join one after the other at the start do not count.
    const stableAt = Date.now();
    // Done when every message is processed AND committed: a naive member processes its
    // whole batch every time, but its commit is refused, so the group never gets past it.
    let committedAll = false;
    const finished = await waitUntil(
      async () => {
        if (running.tally.unique < messages) return false;
        const lag = await lab.sampleLag(running);
        committedAll = lag.every((p) => p.lag === 0);
        return committedAll;
      },
      watchMs,
      'every message processed and committed',
      250,
    )
      .then(() => true)
      // Only the watch running out means "not finished"; any other failure (a lag request refused…) is thrown.
      .catch((error: unknown) => {
        if (error instanceof LabError && error.code === 'TIMEOUT') return false;
        throw error;
      });
    const endedAt = Date.now();
    await running.stop();
    // kafkajs rejoins after a refused commit without a REBALANCING event: every
    // assignment between the group's first stable moment and the end of the watch is a
    // rebalance a member went through (the leaves of the final stop can hand one member
    // the other's partitions for a moment: not counted).
    const rebalances = running.events.filter(
      (e) => e.type === 'assignment' && e.at >= stableAt && e.at <= endedAt,
    ).length;
    let largest = 0;
    for (const consumer of running.consumers) largest = Math.max(largest, largestRun(consumer.log));
    return {
      mode: options.mode,
      messages,
      processingMs,
      sessionTimeoutMs,
      commitEvery,
      largestBatchMs: largest * processingMs,
      rebalances,
      processed: running.received,
      distinct: running.tally.unique,
      duplicates: running.tally.repeats,
      finished,
      wallSec: Math.round((endedAt - startedAt) / 100) / 10,
      events: running.events,
      startedAt,
    };
  } finally {
    await group?.stop().catch(() => undefined);
    await lab.deleteTopic(topic).catch(() => undefined);
    if (!options.lab) await lab.close();
  }
}

/** Produces the backlog; a send refused because the new partitions are not loaded yet is tried again (idempotent, all or nothing). */
async function produceWhenReady(lab: KafkaLab, rows: object[], topic: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await lab.produce(rows, { topic, key: 'none' });
      return;
    } catch (error) {
      if (attempt >= 10 || !/does not host this topic-partition/i.test(String((error as Error).message))) throw error;
      await delay(200 * attempt);
    }
  }
}

/** The longest run of consecutive offsets of one partition a member processed back to back: a lower bound of its largest batch. */
function largestRun(log: { length: number; partitionAt(i: number): number; offsetAt(i: number): number }): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < log.length; i += 1) {
    run =
      i > 0 && log.partitionAt(i) === log.partitionAt(i - 1) && log.offsetAt(i) === log.offsetAt(i - 1) + 1
        ? run + 1
        : 1;
    best = Math.max(best, run);
  }
  return best;
}
