import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';
import type { GroupEvent } from '../observe/groupTimeline';
import type { GroupMember } from './groupMember';
import type { OffsetTally } from './offsetTally';
import type { CommitMode, StartFrom } from '../options';
import { ReceivedLog, recordBatch } from './receivedLog';
import { drawProcessingMs, SerialWorker, type WorkModel } from './work';

export type ConsumerState = 'starting' | 'joined' | 'rebalancing' | 'stopped' | 'crashed';

export interface LabConsumerOptions {
  id: string;
  groupId: string;
  topic: string;
  from: StartFrom;
  commit: CommitMode;
  keepValues: boolean;
  /** Simulated work per message, to make a stream last long enough to watch. */
  processingDelayMs: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  onEvent: (event: GroupEvent) => void;
  tally: OffsetTally;
  /** A slow consumer: processing time per message and commit cadence (kafkajs members only). */
  work?: WorkModel;
}

/**
 * The kafkajs consumer settings of every lab member, shared with the crash
 * scenario's worker process so that the consumer it kills behaves like the
 * ones a notebook starts.
 */
export function kafkajsConsumerConfig(options: {
  groupId: string;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
}): ConsumerConfig {
  return {
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeoutMs,
    rebalanceTimeout: Math.max(options.sessionTimeoutMs, 10_000),
    heartbeatInterval: options.heartbeatIntervalMs,
    // Short fetch waits keep end-to-end latency low when the stream is slow.
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
    retry: { retries: 10 },
  };
}

/**
 * One member of a consumer group: a kafkajs consumer whose every message is
 * recorded, whose offsets are committed as the read strategy says, and whose
 * group life (join, assignment, rebalance, leave) is reported as events.
 */
export class LabConsumer implements GroupMember {
  readonly id: string;
  readonly log: ReceivedLog;
  #state: ConsumerState = 'starting';
  #memberId: string | undefined;
  #partitions: number[] = [];
  #joinedOnce = false;
  readonly #consumer: Consumer;
  readonly #options: LabConsumerOptions;
  readonly #worker = new SerialWorker();

  constructor(kafka: Kafka, options: LabConsumerOptions) {
    this.id = options.id;
    this.#options = options;
    this.log = new ReceivedLog(options.id, { keepValues: options.keepValues });
    this.#consumer = kafka.consumer(kafkajsConsumerConfig(options));
    this.#listen();
  }

  get state(): ConsumerState {
    return this.#state;
  }

  get memberId(): string | undefined {
    return this.#memberId;
  }

  /** Partitions this member owns now (empty while rebalancing, stopped, or idle). */
  get partitions(): number[] {
    return this.#state === 'joined' ? [...this.#partitions] : [];
  }

  get active(): boolean {
    return this.#state !== 'stopped' && this.#state !== 'crashed';
  }

  async start(): Promise<void> {
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic: this.#options.topic, fromBeginning: this.#options.from === 'earliest' });
    const autoCommit = this.#options.commit === 'auto';
    await this.#consumer.run({
      autoCommit,
      // Java's default: offsets go to Kafka every 5 s (and on a clean stop or a
      // rebalance), so a crash re-delivers up to 5 s of messages.
      autoCommitInterval: autoCommit ? 5_000 : null,
      eachBatchAutoResolve: false,
      // Partitions of one fetch are processed side by side, so one partition's
      // offset commit does not hold back the messages of the others (tail latency).
      // Order within a partition is unchanged.
      partitionsConsumedConcurrently: 3,
      eachBatch: (payload) => this.#processBatch(payload),
    });
  }

  /** Leaves the group cleanly: commits what it processed and sends LeaveGroup. */
  async stop(): Promise<void> {
    if (!this.active) return;
    await this.#consumer.disconnect();
    this.#setStopped();
  }

  async #processBatch(payload: EachBatchPayload): Promise<void> {
    if (this.#options.work) return this.#processSlowly(payload, this.#options.work);
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary } = payload;
    const { partition } = batch;
    const delayMs = this.#options.processingDelayMs;
    const { log } = this;
    const { tally } = this.#options;
    let lastProcessed: string | undefined;
    if (delayMs > 0) {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const offset = Number(message.offset);
        log.append(partition, offset, message.key, Number(message.timestamp), Date.now(), message.value);
        tally.add(partition, offset);
        resolveOffset(message.offset);
        lastProcessed = message.offset;
        await heartbeat();
      }
    } else if (isRunning() && !isStale()) {
      // Without a processing delay nothing awaits inside the loop, so the group cannot
      // stop or seek halfway: the whole batch is processed, and resolving its last
      // offset once (kafkajs parses and formats a Long per call) means the same as
      // resolving every message.
      lastProcessed = recordBatch(log, tally, partition, batch.messages);
      if (lastProcessed !== undefined) resolveOffset(lastProcessed);
    }
    if (lastProcessed === undefined) return;
    if (this.#options.commit === 'after-processing') {
      // Through the batch's own commit: consumer.commitOffsets() silently does nothing
      // once a stop has begun, and the next owner would then re-read this batch.
      await commitOffsetsIfNecessary({
        topics: [{ topic: batch.topic, partitions: [{ partition, offset: String(Number(lastProcessed) + 1) }] }],
      });
    } else {
      await commitOffsetsIfNecessary();
    }
    await heartbeat();
  }

  /**
   * A slow consumer's batch: one message at a time (across the member's
   * partitions), each taking the work model's processing time. With
   * `commitEvery: 'batch'` this is the naive poll loop: it neither looks up nor
   * heartbeats until the whole batch is done, so a batch longer than the session
   * timeout gets the member thrown out, its commit refused, and the batch read
   * again by whoever owns the partition next. With `commitEvery: k` it commits
   * and heartbeats every k messages and stops as soon as the group moves on.
   */
  async #processSlowly(payload: EachBatchPayload, work: WorkModel): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary } = payload;
    const { partition } = batch;
    const { log } = this;
    const { tally } = this.#options;
    const naive = work.commitEvery === 'batch';
    const commit = (offset: string) =>
      commitOffsetsIfNecessary({
        topics: [{ topic: batch.topic, partitions: [{ partition, offset: String(Number(offset) + 1) }] }],
      });
    let lastProcessed: string | undefined;
    let sinceCommit = 0;
    for (const message of batch.messages) {
      if (!isRunning() || (!naive && isStale())) break;
      await this.#worker.run(() => new Promise((resolve) => setTimeout(resolve, drawProcessingMs(work.time))));
      const offset = Number(message.offset);
      log.append(partition, offset, message.key, Number(message.timestamp), Date.now(), message.value);
      tally.add(partition, offset);
      resolveOffset(message.offset);
      lastProcessed = message.offset;
      sinceCommit += 1;
      if (!naive && sinceCommit >= (work.commitEvery as number)) {
        await commit(lastProcessed);
        sinceCommit = 0;
        await heartbeat();
      }
    }
    if (lastProcessed !== undefined && sinceCommit > 0) await commit(lastProcessed);
    await heartbeat();
  }

  #listen(): void {
    const { events } = this.#consumer;
    const emit = (event: Omit<GroupEvent, 'consumer' | 'at'> & { at?: number }) =>
      this.#options.onEvent({ at: Date.now(), consumer: this.id, ...event });

    this.#consumer.on(events.GROUP_JOIN, ({ timestamp, payload }) => {
      const partitions = [...(payload.memberAssignment[this.#options.topic] ?? [])].sort((a, b) => a - b);
      this.#memberId = payload.memberId;
      if (!this.#joinedOnce)
        emit({ at: timestamp, type: 'join', memberId: payload.memberId, isLeader: payload.isLeader });
      else if (this.#state === 'rebalancing')
        emit({ at: timestamp, type: 'rebalance-end', memberId: payload.memberId });
      this.#joinedOnce = true;
      this.#partitions = partitions;
      this.#state = 'joined';
      emit({ at: timestamp, type: 'assignment', partitions, memberId: payload.memberId, isLeader: payload.isLeader });
    });
    this.#consumer.on(events.REBALANCING, ({ timestamp }) => {
      if (!this.active) return;
      this.#state = 'rebalancing';
      emit({ at: timestamp, type: 'rebalance-start', memberId: this.#memberId });
    });
    this.#consumer.on(events.CRASH, ({ timestamp, payload }) => {
      const restarting = payload.restart;
      emit({
        at: timestamp,
        type: 'crash',
        detail: `${payload.error?.message ?? 'unknown error'}${restarting ? ' (restarting)' : ''}`,
      });
      if (!restarting) this.#state = 'crashed';
      else this.#state = 'rebalancing';
    });
  }

  #setStopped(): void {
    this.#state = 'stopped';
    this.#partitions = [];
    this.#options.onEvent({ at: Date.now(), consumer: this.id, type: 'leave', memberId: this.#memberId });
  }
}
