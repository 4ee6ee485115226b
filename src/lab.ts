import type { Admin, Kafka } from 'kafkajs';
import { ensureLocalBroker } from './broker/localBroker';
import { resolveConnection, type ConnectionOptions, type ConnectionSettings } from './config/connection';
import { ConsumerGroupRun, type ConsumerGroupOptions } from './consume/consumerGroup';
import { ShareGroupRun, type ShareGroupOptions } from './consume/shareGroup';
import { createKafkaClient } from './kafka/client';
import { connectAdmin } from './kafka/reachability';
import { createTopic, deleteTopic, describeTopic, type TopicDescription, type TopicSpec } from './kafka/topics';
import { accountFor, type Accounting } from './observe/accounting';
import { LagSampler, sampleLag, type LagSample } from './observe/lag';
import { validateTopicName } from './options';
import { produceRows, type ProduceInput, type ProduceOptions, type ProduceResult } from './produce/producer';

export interface ConnectOptions {
  /** Explicit settings; default: environment, .env, client.properties, else the local broker. */
  connection?: ConnectionOptions | ConnectionSettings;
  /** Start the local broker when the settings point at it and it is not up (default true). */
  startLocalBroker?: boolean;
  /** Default 10 s. */
  connectTimeoutMs?: number;
}

/**
 * One connection to a Kafka cluster and everything a notebook cell does with it:
 * topics, producing, consumer groups, lag. `await KafkaLab.connect()` is the
 * first line of every notebook; `await lab.close()` the last.
 */
export class KafkaLab {
  readonly connection: ConnectionSettings;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly #groups = new Set<ConsumerGroupRun>();
  readonly #samplers = new Set<LagSampler>();
  readonly #shareGroups = new Set<ShareGroupRun>();
  /** Topic names already validated: a run names its topic in several calls, checked once. */
  readonly #checkedTopics = new Set<string>();

  private constructor(connection: ConnectionSettings, kafka: Kafka, admin: Admin) {
    this.connection = connection;
    this.kafka = kafka;
    this.admin = admin;
  }

  static async connect(options: ConnectOptions = {}): Promise<KafkaLab> {
    let connection = isSettings(options.connection) ? options.connection : resolveConnection(options.connection);
    if (connection.isLocal && (options.startLocalBroker ?? true)) connection = await ensureLocalBroker();
    const admin = await connectAdmin(connection, { timeoutMs: options.connectTimeoutMs });
    return new KafkaLab(connection, createKafkaClient(connection), admin);
  }

  /** The lab's one topic-name check: the first call that names a topic validates it. */
  #checkTopic(topic: unknown): void {
    if (typeof topic === 'string' && this.#checkedTopics.has(topic)) return;
    validateTopicName(topic);
    this.#checkedTopics.add(topic);
  }

  async createTopic(spec: TopicSpec): Promise<TopicDescription> {
    this.#checkTopic(spec.topic);
    return createTopic(this.admin, spec);
  }

  async describeTopic(topic: string): Promise<TopicDescription> {
    this.#checkTopic(topic);
    return describeTopic(this.admin, topic);
  }

  async deleteTopic(topic: string): Promise<void> {
    this.#checkTopic(topic);
    return deleteTopic(this.admin, topic);
  }

  /**
   * Sends rows as JSON messages: row objects, or a polars frame of cleaned rows
   * (serialised in bulk). The result says which client sent them (`transport`).
   */
  async produce(rows: ProduceInput, options: ProduceOptions): Promise<ProduceResult> {
    this.#checkTopic(options.topic);
    return produceRows(this.kafka, this.connection, rows, options);
  }

  async startConsumerGroup(options: ConsumerGroupOptions): Promise<ConsumerGroupRun> {
    this.#checkTopic(options.topic);
    const group = await ConsumerGroupRun.start(this.kafka, this.connection, options);
    this.#groups.add(group);
    return group;
  }

  /**
   * A share group (KIP-932): members that share every partition's records, each
   * record acknowledged one by one with a delivery count. Members are Java
   * processes (Kafka's KafkaShareConsumer): no JavaScript client has share groups yet.
   */
  async startShareGroup(
    options: Omit<ShareGroupOptions, 'connection'> & { connection?: ConnectionSettings },
  ): Promise<ShareGroupRun> {
    const group = await ShareGroupRun.start({ ...options, connection: options.connection ?? this.connection });
    this.#shareGroups.add(group);
    return group;
  }

  /** Produced versus received for a group, per partition and per consumer. */
  accountFor(produced: ProduceResult, group: ConsumerGroupRun): Accounting {
    return accountFor(produced.log, group.consumers);
  }

  sampleLag(group: ConsumerGroupRun): Promise<LagSample[]> {
    return sampleLag(this.admin, group.groupId, group.topic);
  }

  /** Starts sampling the group's lag every `intervalMs`; stopped by `close()` at the latest. */
  startLagSampler(group: ConsumerGroupRun, intervalMs = 500): LagSampler {
    const sampler = new LagSampler(this.admin, group.groupId, group.topic, intervalMs).start();
    this.#samplers.add(sampler);
    return sampler;
  }

  /** Stops every group and sampler this lab started and disconnects, leaving no timers behind. */
  async close(): Promise<void> {
    await Promise.all([...this.#samplers].map((sampler) => sampler.stop()));
    await Promise.all([...this.#groups].map((group) => group.stop()));
    await Promise.all([...this.#shareGroups].map((group) => group.stop()));
    this.#shareGroups.clear();
    this.#samplers.clear();
    this.#groups.clear();
    await this.admin.disconnect();
  }
}

function isSettings(value: ConnectOptions['connection']): value is ConnectionSettings {
  return value !== undefined && typeof (value as ConnectionSettings).describe === 'function';
}
