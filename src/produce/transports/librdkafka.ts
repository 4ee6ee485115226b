import type { ConnectionSettings } from '../../config/connection';
import { LabError } from '../../errors';
import { librdkafkaConfig } from '../../kafka/clientSettings';
import { ckjs, type RdDeliveryReport, type RdError, type RdProducer } from '../../kafka/confluentClient';
import type { DeliverySink, OutgoingChunk, Transport, TransportSettings } from './transport';

/** Messages handed to librdkafka and not yet acknowledged, at most (its own queue holds 100,000). */
const MAX_OUTSTANDING = 50_000;

/**
 * librdkafka's settings for the lab's producer: those of kafka-producer-perf-test
 * in the benchmark (acks=all, idempotence, no compression, linger 5 ms, the
 * batch bytes of `batchSize` messages spread over the partitions), keyed
 * messages placed by Java's murmur2 like kafkajs' default partitioner.
 */
export function librdkafkaProducerConfig(
  settings: TransportSettings,
  avgMessageBytes: number,
): Record<string, unknown> {
  const retryWaitMax = Math.min(settings.maxRetryWaitMs ?? 30_000, 300_000);
  const retries = settings.retries ?? 8;
  // kafkajs gives up after its retries (about 30 s by default); librdkafka after message.timeout.ms.
  let retryTime = 0;
  for (let i = 0, wait = 100; i < retries && retryTime < 3_600_000; i += 1, wait *= 2)
    retryTime += Math.min(wait, retryWaitMax);
  return {
    acks: 'all',
    'enable.idempotence': settings.idempotent,
    'compression.codec': settings.compression,
    'linger.ms': 5,
    'batch.size': Math.max(1024, Math.ceil(settings.batchSize / settings.partitionCount) * Math.ceil(avgMessageBytes)),
    partitioner: 'murmur2_random',
    // As Java's client (TCP_NODELAY): without it small produce requests wait on Nagle's algorithm.
    'socket.nagle.disable': true,
    'retry.backoff.ms': 100,
    'retry.backoff.max.ms': Math.max(100, retryWaitMax),
    ...(settings.idempotent ? {} : { 'message.send.max.retries': retries }),
    'message.timeout.ms': Math.min(2_147_483_647, Math.max(10_000, retryTime + 30_000)),
    dr_cb: true,
  };
}

/** A librdkafka error as the lab's LabError: what failed, and what to do. */
function labErrorOf(error: RdError, topic: string, codes: Record<string, number>): LabError {
  const code = error.code;
  if (code === codes.ERR__AUTHENTICATION || code === codes.ERR_SASL_AUTHENTICATION_FAILED)
    return new LabError(
      'AUTH_FAILED',
      `Kafka refused the producer's credentials: ${error.message}. Check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD.`,
      { cause: error },
    );
  if (code === codes.ERR__UNKNOWN_TOPIC || code === codes.ERR_UNKNOWN_TOPIC_OR_PART)
    return new LabError('INVALID_TOPIC', `Topic "${topic}" does not exist. Create it first (createTopic).`, {
      cause: error,
    });
  if (code === codes.ERR_TOPIC_AUTHORIZATION_FAILED)
    return new LabError('AUTH_FAILED', `Not allowed to write to topic "${topic}": ${error.message}.`, { cause: error });
  return new LabError(
    'BROKER_UNREACHABLE',
    `librdkafka could not deliver to ${topic}: ${error.message}. Check that the broker is up (\`npx kafka-lab broker start\`).`,
    { cause: error },
  );
}

/**
 * The librdkafka transport (@confluentinc/kafka-javascript's plain Producer):
 * each message is handed to librdkafka with `produce()` as a Buffer, stamped by
 * librdkafka at that moment, batched and sent by its own threads; offsets come
 * back in delivery reports, one per message.
 */
export class LibrdkafkaTransport implements Transport {
  readonly name = 'librdkafka' as const;
  readonly #producer: RdProducer;
  readonly #settings: TransportSettings;
  readonly #codes: Record<string, number>;
  #handedOver = 0;
  #acknowledged = 0;
  #error: LabError | undefined;
  #wake: (() => void) | undefined;
  // Consecutive reports of one partition are added as one run.
  #runPartition = -1;
  #runFirst = 0;
  #runCount = 0;
  readonly #sink: DeliverySink;

  private constructor(producer: RdProducer, settings: TransportSettings, sink: DeliverySink) {
    this.#producer = producer;
    this.#settings = settings;
    this.#sink = sink;
    this.#codes = ckjs().CODES.ERRORS;
    producer.on('delivery-report', (error, report) => this.#onReport(error, report));
    producer.on('event.error', (error) => {
      const codes = this.#codes;
      if (error.code === codes.ERR__AUTHENTICATION || error.code === codes.ERR__ALL_BROKERS_DOWN || error.isFatal)
        this.#fail(labErrorOf(error, settings.topic, codes));
    });
  }

  static async open(
    connection: ConnectionSettings,
    settings: TransportSettings,
    sink: DeliverySink,
    avgMessageBytes: number,
  ): Promise<LibrdkafkaTransport> {
    const { Producer } = ckjs();
    const producer = new Producer({
      ...librdkafkaConfig(connection, 'retail-kafka-lab-producer'),
      ...librdkafkaProducerConfig(settings, avgMessageBytes),
    });
    await new Promise<void>((resolve, reject) =>
      producer.connect({ timeout: 10_000 }, (error) =>
        error ? reject(labErrorOf(error as RdError, settings.topic, ckjs().CODES.ERRORS)) : resolve(),
      ),
    );
    producer.setPollInterval(5);
    return new LibrdkafkaTransport(producer, settings, sink);
  }

  async send(chunk: OutgoingChunk): Promise<void> {
    const { topic } = this.#settings;
    const { values, keys, partitions } = chunk;
    const queueFull = this.#codes.ERR__QUEUE_FULL;
    for (let i = 0; i < values.length; i += 1) {
      if (this.#error) throw this.#error;
      while (this.#handedOver - this.#acknowledged >= MAX_OUTSTANDING) await this.#nextReports();
      const partition = partitions[i];
      for (;;) {
        try {
          this.#producer.produce(topic, partition < 0 ? null : partition, values[i], keys[i], null);
          break;
        } catch (error) {
          if ((error as RdError).code !== queueFull) throw labErrorOf(error as RdError, topic, this.#codes);
          await this.#nextReports();
        }
      }
      this.#handedOver += 1;
    }
    this.#producer.poll();
  }

  async flush(): Promise<void> {
    while (this.#acknowledged < this.#handedOver && !this.#error) await this.#nextReports();
    this.#closeRun();
    if (this.#error) throw this.#error;
  }

  async close(): Promise<void> {
    this.#producer.setPollInterval(0);
    await new Promise<void>((resolve) => this.#producer.disconnect(() => resolve()));
    this.#producer.removeAllListeners();
  }

  /** Resolves at the next delivery reports (or a failure); polls meanwhile. */
  #nextReports(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#producer.poll();
    });
  }

  #fail(error: LabError): void {
    this.#error ??= error;
    this.#wake?.();
  }

  #onReport(error: RdError | null, report: RdDeliveryReport): void {
    this.#acknowledged += 1;
    if (error) {
      this.#fail(labErrorOf(error, this.#settings.topic, this.#codes));
    } else if (report.partition === this.#runPartition && report.offset === this.#runFirst + this.#runCount) {
      this.#runCount += 1;
    } else {
      this.#closeRun();
      this.#runPartition = report.partition;
      this.#runFirst = report.offset;
      this.#runCount = 1;
    }
    const wake = this.#wake;
    if (wake) {
      this.#wake = undefined;
      // Reports arrive in a burst from one poll: wake the producer once the burst is handled.
      queueMicrotask(wake);
    }
  }

  #closeRun(): void {
    if (this.#runCount > 0) this.#sink.delivered(this.#runPartition, this.#runFirst, this.#runCount);
    this.#runCount = 0;
    this.#runPartition = -1;
  }
}
