import { clientLogLevel, confluentClientConfig } from '../kafka/clientSettings';
import { ckjs } from '../kafka/confluentClient';
import type { GroupEvent } from '../observe/groupTimeline';
import type { GroupMember, GroupMemberOptions } from './groupMember';
import type { ConsumerState } from './labConsumer';
import { MemberOwnership } from './memberOwnership';
import { ReceivedLog, recordBatch } from './receivedLog';

export {
  CONFLUENT_CLIENT_SWITCH,
  confluentClientAvailable,
  confluentClientMissingMessage,
  librdkafkaVersion,
} from '../kafka/confluentClient';

/*
 * The slice of @confluentinc/kafka-javascript's KafkaJS-compatible API the lab
 * uses, typed here: the package is an optionalDependency (a native build), so
 * the lab must compile and run without it.
 */
interface CkjsTopicPartition {
  topic: string;
  partition: number;
}
interface CkjsMessage {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  offset: string;
}
interface CkjsBatchPayload {
  batch: { topic: string; partition: number; messages: CkjsMessage[] };
  resolveOffset(offset: string): void;
  isRunning(): boolean;
  isStale(): boolean;
  commitOffsetsIfNecessary(): Promise<void>;
}
interface CkjsConsumer {
  connect(): Promise<void>;
  subscribe(subscription: { topics: string[] }): Promise<void>;
  run(config: {
    eachBatchAutoResolve: boolean;
    eachBatch: (payload: CkjsBatchPayload) => Promise<void>;
  }): Promise<void>;
  commitOffsets(offsets: Array<CkjsTopicPartition & { offset: string }>): Promise<void>;
  disconnect(): Promise<void>;
}
/** Messages per eachBatch for members that only record (no processing delay). */
const FAST_BATCH_MESSAGES = 2_000;

/**
 * One member of a consumer group run by the librdkafka client
 * (@confluentinc/kafka-javascript): recorded like a kafkajs LabConsumer, and able
 * to use the cooperative-sticky assignor, the KIP-848 consumer protocol and
 * static membership. Its group life comes from librdkafka's rebalance callback:
 * with the eager protocol a revoke takes every partition; with the incremental
 * ones (cooperative-sticky, consumer) a callback adds or removes some, and
 * `partitions` stays the full owned set.
 */
export class ConfluentConsumer implements GroupMember {
  readonly id: string;
  readonly log: ReceivedLog;
  readonly instanceId: string | undefined;
  readonly #ownership: MemberOwnership;
  /** The next offset to read in each partition this member processed (what a commit names). */
  readonly #nextOffset = new Map<number, number>();
  readonly #consumer: CkjsConsumer;
  readonly #options: GroupMemberOptions;
  readonly #codes: { assign: number; revoke: number };

  constructor(options: GroupMemberOptions) {
    const { KafkaJS } = ckjs();
    this.id = options.id;
    this.instanceId = options.instanceId;
    this.#options = options;
    this.log = new ReceivedLog(options.id, { keepValues: options.keepValues });
    this.#ownership = new MemberOwnership(options.choice.protocol !== 'eager', (event, at) => this.#emit(event, at));
    this.#codes = {
      assign: KafkaJS.ErrorCodes.ERR__ASSIGN_PARTITIONS,
      revoke: KafkaJS.ErrorCodes.ERR__REVOKE_PARTITIONS,
    };
    // The group hands every member its connection: a member never resolves one on its own.
    const kafka = new KafkaJS.Kafka<CkjsConsumer>(
      confluentClientConfig(options.connection, `retail-kafka-lab-${options.id}`, KafkaJS.logLevel[clientLogLevel()]),
    );
    this.#consumer = kafka.consumer(this.#consumerConfig());
  }

  get state(): ConsumerState {
    return this.#ownership.state;
  }

  /** librdkafka does not expose the broker-side member id; the static instance id stands in when there is one. */
  get memberId(): string | undefined {
    return this.instanceId;
  }

  get partitions(): number[] {
    return this.#ownership.partitions;
  }

  get active(): boolean {
    return this.#ownership.active;
  }

  async start(): Promise<void> {
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topics: [this.#options.topic] });
    await this.#consumer.run({ eachBatchAutoResolve: false, eachBatch: (payload) => this.#processBatch(payload) });
  }

  /** Leaves the group (a static member only steps out: its partitions wait for it until the session times out). */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.#ownership.beginLeaving();
    // Commit what was processed while still connected: once disconnect() begins, the
    // client refuses commits ("Commit can only be called while connected"), so the
    // commit in the revoke callback of a leaving member failed, and the batch in
    // progress skipped its own commit (its partitions were already revoked). The next
    // owner then read those messages again: the duplicates seen after a KIP-848 leave.
    await this.#batchInProgress;
    if (this.#options.commit === 'after-processing') await this.#commitProcessed([...this.#nextOffset.keys()]);
    await this.#consumer.disconnect();
    this.#ownership.end('stopped');
    this.#options.onEvent({ at: Date.now(), consumer: this.id, type: 'leave', memberId: this.memberId });
  }

  #consumerConfig(): Record<string, unknown> {
    const options = this.#options;
    const { protocol, assignor } = options.choice;
    const classic = protocol !== 'consumer';
    const autoCommit = options.commit === 'auto';
    const kafkaJS: Record<string, unknown> = {
      groupId: options.groupId,
      fromBeginning: options.from === 'earliest',
      autoCommit,
      ...(autoCommit ? { autoCommitInterval: 5_000 } : {}),
      // Short fetch waits keep end-to-end latency low when the stream is slow.
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
      rebalanceTimeout: Math.max(options.sessionTimeoutMs, 10_000),
      logLevel: ckjs().KafkaJS.logLevel[clientLogLevel()],
    };
    if (classic) {
      // With KIP-848 the broker owns the session and heartbeat settings.
      kafkaJS.sessionTimeout = options.sessionTimeoutMs;
      kafkaJS.heartbeatInterval = options.heartbeatIntervalMs;
      kafkaJS.partitionAssigners = [protocol === 'cooperative-sticky' ? 'cooperative-sticky' : assignor];
    }
    return {
      kafkaJS,
      'group.protocol': classic ? 'classic' : 'consumer',
      // The client hands eachBatch at most 32 messages by default: a member that records
      // without delay drained 42,000-62,000 msg/s that way (kafkajs members: 260,000-320,000).
      // Members with a processing delay keep small batches, so a revoke waits for little work.
      ...(options.processingDelayMs === 0 ? { 'js.consumer.max.batch.size': FAST_BATCH_MESSAGES } : {}),
      ...(options.instanceId ? { 'group.instance.id': options.instanceId } : {}),
      rebalance_cb: (error: { code: number }, assignment: CkjsTopicPartition[]) =>
        this.#onRebalance(error.code, assignment),
    };
  }

  #emit(event: Omit<GroupEvent, 'consumer' | 'at'>, at: number): void {
    this.#options.onEvent({ at, consumer: this.id, memberId: this.memberId, ...event });
  }

  /** Called by librdkafka before it applies an assignment change (the client awaits it). */
  async #onRebalance(code: number, assignment: CkjsTopicPartition[]): Promise<void> {
    const at = Date.now();
    const partitions = assignment
      .filter((tp) => tp.topic === this.#options.topic)
      .map((tp) => tp.partition)
      .sort((a, b) => a - b);
    if (code === this.#codes.revoke) {
      this.#ownership.revoked(partitions, at);
      // Also when leaving: what it processed is committed before the partitions move.
      await this.#commitProcessed(partitions);
      return;
    }
    if (code === this.#codes.assign) this.#ownership.assigned(partitions, at);
  }

  /**
   * Commits what this member processed in the partitions it is giving up,
   * inside the revoke callback, before they move (Java's consumer commits on
   * revoke too). Without it, on the group-protocol scenario (4 consumers, 12
   * partitions, 400 msg/s), cooperative-sticky re-delivered 180-400 messages
   * in 7 of 10 runs: the new owner started about 30 offsets per partition
   * before what the old owner had processed and committed after each batch,
   * although those commits were reported successful. With it: none in 11 runs.
   */
  async #commitProcessed(partitions: number[]): Promise<void> {
    const offsets = partitions
      .filter((p) => this.#nextOffset.has(p))
      .map((partition) => ({ topic: this.#options.topic, partition, offset: String(this.#nextOffset.get(partition)) }));
    // Forgotten once given up: if a partition comes back later, another member
    // may have committed further, and an old offset must never be committed over it.
    for (const partition of partitions) this.#nextOffset.delete(partition);
    if (offsets.length === 0) return;
    // A failed commit is not fatal: the new owner then reads again what was
    // processed since the last commit, and the accounting counts the duplicates.
    await this.#consumer.commitOffsets(offsets).catch(() => undefined);
  }

  /** The batch being processed now, so that stop() can let it finish before its last commit. */
  #batchInProgress: Promise<void> = Promise.resolve();

  #processBatch(payload: CkjsBatchPayload): Promise<void> {
    const processing = this.#processBatchNow(payload);
    this.#batchInProgress = processing.catch(() => undefined);
    return processing;
  }

  async #processBatchNow({
    batch,
    resolveOffset,
    isRunning,
    isStale,
    commitOffsetsIfNecessary,
  }: CkjsBatchPayload): Promise<void> {
    const { partition } = batch;
    const delayMs = this.#options.processingDelayMs;
    let lastProcessed: string | undefined;
    if (delayMs === 0) {
      // Nothing awaits inside this loop, so the partition cannot be revoked halfway:
      // the checks hold for the whole batch, the receive time is the batch's, and
      // resolving the last offset once means the same as resolving every message.
      const { messages } = batch;
      if (
        messages.length > 0 &&
        !this.#ownership.leaving &&
        isRunning() &&
        !isStale() &&
        this.#ownership.owns(partition)
      ) {
        lastProcessed = recordBatch(this.log, this.#options.tally, partition, messages) as string;
        resolveOffset(lastProcessed);
        this.#nextOffset.set(partition, Number(lastProcessed) + 1);
      }
    }
    for (const message of delayMs === 0 ? [] : batch.messages) {
      // A partition revoked mid-batch is not processed further: its new owner reads on from the commit.
      if (this.#ownership.leaving || !isRunning() || isStale() || !this.#ownership.owns(partition)) break;
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const offset = Number(message.offset);
      this.log.append(partition, offset, message.key, Number(message.timestamp), Date.now(), message.value);
      this.#options.tally.add(partition, offset);
      resolveOffset(message.offset);
      lastProcessed = message.offset;
      this.#nextOffset.set(partition, offset + 1);
    }
    // A partition revoked meanwhile was committed in the revoke callback; a later commit could land after its new owner's.
    if (lastProcessed === undefined || !this.#ownership.owns(partition)) return;
    if (this.#options.commit === 'after-processing') {
      await this.#consumer.commitOffsets([
        { topic: batch.topic, partition, offset: String(Number(lastProcessed) + 1) },
      ]);
    } else {
      await commitOffsetsIfNecessary();
    }
  }
}
