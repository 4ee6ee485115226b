import type { Kafka } from 'kafkajs';
import { LabError } from '../errors';
import { freshName } from '../util/syntheticRows';
import { waitUntil } from '../util/waitUntil';
import { ownershipTimeline, type GroupEvent, type OwnershipInterval } from '../observe/groupTimeline';
import type { ConnectionSettings } from '../config/connection';
import { chooseMemberClient, createGroupMember, freeInstanceId, type EagerAssignor, type GroupClient, type GroupMember, type GroupProtocol, type MemberChoice } from './groupMember';
import { OffsetTally } from './offsetTally';
import { decodeValue, isPoison, type ReceivedRecord } from './receivedLog';
import {
  DEFAULTS,
  MAX_CONSUMERS,
  validateCommitMode,
  validateConsumerCount,
  validateStartFrom,
  type CommitMode,
  type StartFrom,
} from '../options';

export interface ConsumerGroupOptions {
  topic: string;
  /** Default 3. */
  consumers?: number;
  /** Default: a fresh name, so earlier runs' committed offsets never leak in. */
  groupId?: string;
  /** Default 'earliest'. */
  from?: StartFrom;
  /** Default 'after-processing'. */
  commit?: CommitMode;
  /** Keep message values (default true); counts and offsets are kept either way. */
  keepValues?: boolean;
  processingDelayMs?: number;
  /** Default 10 s: how long a silent member keeps its partitions. */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Wait until every consumer has its assignment before returning (default true). */
  waitForAssignment?: boolean;
  /** Default 60 s. */
  assignmentTimeoutMs?: number;
  /** The Kafka client of the members; default: kafkajs for the eager protocol without static membership, else 'confluent'. */
  client?: GroupClient;
  /** Default 'eager'. 'cooperative-sticky' and 'consumer' (KIP-848) need the librdkafka client. */
  protocol?: GroupProtocol;
  /** Eager protocol only: 'roundrobin' (default) or 'range' (librdkafka). */
  assignor?: EagerAssignor;
  /** Give each member a group.instance.id, so a restart within the session timeout causes no rebalance (librdkafka). */
  staticMembership?: boolean;
  /** Where the librdkafka members connect; default: the lab's own connection (KafkaLab passes it). */
  connection?: ConnectionSettings;
}

export interface ConsumerSummary {
  id: string;
  state: string;
  partitions: number[];
  received: number;
  /** True when the consumer is in the group but owns no partition (more consumers than partitions). */
  idle: boolean;
}

/**
 * N consumers in one group, started with one call. Consumers can be added or
 * stopped while the stream runs; every message and every group event is recorded.
 */
export class ConsumerGroupRun {
  readonly groupId: string;
  readonly topic: string;
  readonly from: StartFrom;
  readonly commit: CommitMode;
  readonly consumers: GroupMember[] = [];
  /** The client, protocol and membership the members use. */
  readonly choice: MemberChoice;
  readonly events: GroupEvent[] = [];
  /** Distinct messages and repeats across the whole group. */
  readonly tally = new OffsetTally();
  /**
   * When every partition first had an owner (ms since the epoch), if `start`
   * waited for it. A message produced earlier waited in the topic for the
   * consumers; its produce-to-receive time is not Kafka's delivery latency.
   */
  readyAt: number | undefined;
  readonly #kafka: Kafka;
  readonly #options: ConsumerGroupOptions;
  #nextId = 1;
  #partitionCount = 0;

  readonly #connection: ConnectionSettings;

  private constructor(kafka: Kafka, connection: ConnectionSettings, options: ConsumerGroupOptions) {
    this.#connection = options.connection ?? connection;
    this.#kafka = kafka;
    this.#options = options;
    this.topic = options.topic;
    this.groupId = options.groupId ?? freshName('lab-group');
    this.from = options.from ?? DEFAULTS.from;
    this.commit = options.commit ?? DEFAULTS.commit;
    this.choice = chooseMemberClient(options);
  }

  /** `connection` is what `kafka` was made from: the librdkafka members connect with the same settings. */
  static async start(kafka: Kafka, connection: ConnectionSettings, options: ConsumerGroupOptions): Promise<ConsumerGroupRun> {
    // The topic name is validated by the caller (KafkaLab checks each name once).
    const count = options.consumers ?? DEFAULTS.consumers;
    validateConsumerCount(count);
    validateStartFrom(options.from ?? DEFAULTS.from);
    validateCommitMode(options.commit ?? DEFAULTS.commit);
    const run = new ConsumerGroupRun(kafka, connection, options);
    await run.#loadPartitionCount();
    try {
      await Promise.all(Array.from({ length: count }, () => run.#launch()));
      if (options.waitForAssignment ?? true) {
        await run.waitForStableAssignment(options.assignmentTimeoutMs);
        run.readyAt = Date.now();
      }
    } catch (error) {
      await run.stop();
      throw error;
    }
    return run;
  }

  /** Consumers still in the group. */
  get active(): GroupMember[] {
    return this.consumers.filter((consumer) => consumer.active);
  }

  get partitionCount(): number {
    return this.#partitionCount;
  }

  /** Messages received by all consumers, repeats included. */
  get received(): number {
    return this.consumers.reduce((sum, consumer) => sum + consumer.log.length, 0);
  }

  /** Adds a consumer to the running group (it triggers a rebalance). */
  async addConsumer(options: { waitForAssignment?: boolean } = {}): Promise<GroupMember> {
    if (this.active.length >= MAX_CONSUMERS) validateConsumerCount(this.active.length + 1);
    const consumer = await this.#launch();
    if (options.waitForAssignment ?? true) await this.waitForStableAssignment();
    return consumer;
  }

  /** Stops one consumer cleanly (the last started one by default); the others take over its partitions. */
  async stopConsumer(id?: string, options: { waitForAssignment?: boolean } = {}): Promise<GroupMember> {
    const consumer = id === undefined ? this.active.at(-1) : this.consumers.find((candidate) => candidate.id === id);
    if (!consumer) {
      throw new LabError('INVALID_OPTION', `No consumer ${id === undefined ? 'is running' : `"${id}"`} in group ${this.groupId}. Running: ${this.active.map((c) => c.id).join(', ') || 'none'}.`);
    }
    await consumer.stop();
    if ((options.waitForAssignment ?? true) && this.active.length > 0) await this.waitForStableAssignment();
    return consumer;
  }

  /**
   * True when every running consumer has joined the current generation: their
   * assignments do not overlap and together cover every partition.
   */
  isAssignmentStable(): boolean {
    const active = this.active;
    if (active.length === 0 || active.some((consumer) => consumer.state !== 'joined')) return false;
    const owners = new Map<number, number>();
    for (const consumer of active) for (const partition of consumer.partitions) owners.set(partition, (owners.get(partition) ?? 0) + 1);
    if (owners.size !== this.#partitionCount) return false;
    return [...owners.values()].every((count) => count === 1);
  }

  async waitForStableAssignment(timeoutMs = this.#options.assignmentTimeoutMs ?? DEFAULTS.assignmentTimeoutMs): Promise<void> {
    const partitions = `${this.#partitionCount} partition${this.#partitionCount === 1 ? '' : 's'}`;
    const consumers = `${this.active.length} consumer${this.active.length === 1 ? '' : 's'}`;
    await waitUntil(() => this.isAssignmentStable(), timeoutMs, `group ${this.groupId} to assign all ${partitions} of ${this.topic} to its ${consumers}`);
  }

  /** Waits until `count` distinct messages have arrived across the group. */
  async waitForReceived(count: number, timeoutMs: number = DEFAULTS.receiveTimeoutMs): Promise<void> {
    await waitUntil(() => this.tally.unique >= count, timeoutMs, `${count} distinct messages in group ${this.groupId} (have ${this.tally.unique})`);
  }

  /** Per consumer: state, partitions, messages received, idle flag. */
  summaries(): ConsumerSummary[] {
    return this.consumers.map((consumer) => ({
      id: consumer.id,
      state: consumer.state,
      partitions: consumer.partitions,
      received: consumer.log.length,
      idle: consumer.state === 'joined' && consumer.partitions.length === 0,
    }));
  }

  /** Received messages of all consumers as records (values decoded), up to `limitPerConsumer` each. */
  records(limitPerConsumer?: number): ReceivedRecord[] {
    return this.consumers.flatMap((consumer) => consumer.log.records(limitPerConsumer));
  }

  /**
   * Messages whose value is not JSON. They are recorded like any other (the
   * stream goes on) and marked here, with the consumer, partition and offset.
   */
  poisonMessages(): ReceivedRecord[] {
    const poison: ReceivedRecord[] = [];
    for (const consumer of this.consumers) {
      const log = consumer.log;
      for (let i = 0; i < log.length; i += 1) {
        const raw = log.rawValueAt(i);
        if (raw !== null && isPoison(decodeValue(raw))) poison.push(log.record(i));
      }
    }
    return poison;
  }

  ownership(): OwnershipInterval[] {
    return ownershipTimeline(this.events);
  }

  /** Stops every consumer cleanly. Safe to call twice. */
  async stop(): Promise<void> {
    await Promise.all(this.active.map((consumer) => consumer.stop().catch(() => undefined)));
  }

  async #launch(): Promise<GroupMember> {
    const consumer = createGroupMember(this.#kafka, {
      choice: this.choice,
      connection: this.#connection,
      instanceId: this.choice.staticMembership ? freeInstanceId(this.groupId, this.active) : undefined,
      id: `consumer-${this.#nextId++}`,
      groupId: this.groupId,
      topic: this.topic,
      from: this.from,
      commit: this.commit,
      keepValues: this.#options.keepValues ?? true,
      processingDelayMs: this.#options.processingDelayMs ?? 0,
      sessionTimeoutMs: this.#options.sessionTimeoutMs ?? DEFAULTS.sessionTimeoutMs,
      heartbeatIntervalMs: this.#options.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs,
      onEvent: (event) => this.events.push(event),
      tally: this.tally,
    });
    this.consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  async #loadPartitionCount(): Promise<void> {
    const admin = this.#kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [this.topic] });
      this.#partitionCount = metadata.topics[0].partitions.length;
    } catch (error) {
      throw new LabError('INVALID_TOPIC', `Topic "${this.topic}" does not exist. Create it first (createTopic).`, { cause: error });
    } finally {
      await admin.disconnect();
    }
  }
}
