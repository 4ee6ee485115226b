import {
  CompressionTypes,
  Partitioners,
  type Kafka,
  type Message,
  type PartitionMetadata,
  type Producer,
  type ProducerRecord,
  type RecordMetadata,
} from 'kafkajs';
import { LabError } from '../../errors';
import type { DeliverySink, OutgoingChunk, Transport, TransportSettings } from './transport';

/** A produce request's messages per partition stay well under Kafka's 1 MB batch limit. */
const MAX_BATCH_BYTES = 512 * 1024;

/**
 * The kafkajs transport: one produce request at a time (an idempotent producer
 * keeps its sequence numbers in order that way), the next one gathered while
 * the previous is on the wire. Each message carries the time it was handed
 * over as its timestamp, not the time its request left.
 */
export class KafkajsTransport implements Transport {
  readonly name = 'kafkajs' as const;
  readonly #producer: Producer;
  readonly #settings: TransportSettings;
  readonly #sink: DeliverySink;
  readonly #partitionMetadata: PartitionMetadata[];
  readonly #partitioner = Partitioners.DefaultPartitioner();
  #pending: Message[] = [];
  #pendingBytes = 0;
  #inFlight: Promise<void> | undefined;
  #error: unknown;

  private constructor(
    producer: Producer,
    settings: TransportSettings,
    sink: DeliverySink,
    partitionMetadata: PartitionMetadata[],
  ) {
    this.#producer = producer;
    this.#settings = settings;
    this.#sink = sink;
    this.#partitionMetadata = partitionMetadata;
  }

  static async open(
    kafka: Kafka,
    settings: TransportSettings,
    sink: DeliverySink,
    partitionMetadata: PartitionMetadata[],
  ): Promise<KafkajsTransport> {
    const { idempotent, retries, maxRetryWaitMs } = settings;
    const producer = kafka.producer({
      idempotent,
      maxInFlightRequests: idempotent ? 1 : undefined,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: {
        ...(retries !== undefined ? { retries } : {}),
        ...(maxRetryWaitMs !== undefined ? { maxRetryTime: maxRetryWaitMs } : {}),
      },
    });
    await producer.connect();
    return new KafkajsTransport(producer, settings, sink, partitionMetadata);
  }

  async send(chunk: OutgoingChunk): Promise<void> {
    this.#throwIfFailed();
    const { topic } = this.#settings;
    const timestamp = String(Date.now());
    const { values, keys, partitions } = chunk;
    for (let i = 0; i < values.length; i += 1) {
      const key = keys[i];
      const value = values[i];
      let partition = partitions[i];
      if (partition < 0) {
        partition = this.#partitioner({ topic, partitionMetadata: this.#partitionMetadata, message: { key, value } });
      }
      this.#pending.push({ key, value, partition, timestamp });
      this.#pendingBytes += value.length + (key?.length ?? 0);
    }
    // Backpressure: at most one request on the wire and about one gathered behind it.
    while (this.#inFlight && this.#pending.length >= this.#settings.batchSize) await this.#inFlight;
    this.#throwIfFailed();
    if (!this.#inFlight) this.#launch();
  }

  async flush(): Promise<void> {
    while (this.#inFlight || this.#pending.length > 0) {
      if (!this.#inFlight) this.#launch();
      await this.#inFlight;
    }
    this.#throwIfFailed();
  }

  async close(): Promise<void> {
    // Never disconnect under a send that is still on the wire.
    if (this.#inFlight) await this.#inFlight;
    await this.#producer.disconnect();
  }

  #throwIfFailed(): void {
    if (this.#error !== undefined) throw this.#error;
  }

  /** Sends the gathered messages (up to a batch); when it is answered, the next gathered ones follow. */
  #launch(): void {
    if (this.#pending.length === 0 || this.#error !== undefined) return;
    const { batchSize } = this.#settings;
    let take = Math.min(this.#pending.length, batchSize);
    if (this.#pendingBytes > MAX_BATCH_BYTES) {
      let bytes = 0;
      take = 0;
      while (take < this.#pending.length && take < batchSize && bytes < MAX_BATCH_BYTES) {
        const message = this.#pending[take];
        bytes += (message.value as Buffer).length + ((message.key as string | null)?.length ?? 0);
        take += 1;
      }
    }
    const batch = this.#pending.slice(0, take);
    this.#pending = this.#pending.slice(take);
    this.#pendingBytes = 0;
    for (const message of this.#pending)
      this.#pendingBytes += (message.value as Buffer).length + ((message.key as string | null)?.length ?? 0);
    this.#inFlight = this.#sendBatch(batch).then(
      () => {
        this.#inFlight = undefined;
        // What gathered meanwhile goes at once: waiting for a full batch would only add latency.
        this.#launch();
      },
      (error: unknown) => {
        this.#inFlight = undefined;
        this.#error = error;
      },
    );
  }

  async #sendBatch(batch: Message[]): Promise<void> {
    const counts = new Map<number, number>();
    for (const message of batch)
      counts.set(message.partition as number, (counts.get(message.partition as number) ?? 0) + 1);
    const metadata = await sendEveryPartition(this.#producer, {
      topic: this.#settings.topic,
      messages: batch,
      acks: -1,
      compression: this.#settings.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
    });
    for (const record of metadata) {
      this.#sink.delivered(record.partition, Number(record.baseOffset), counts.get(record.partition) ?? 0);
    }
  }
}

/**
 * `producer.send`, until every partition of the batch is acknowledged.
 * kafkajs 2.2.4 keeps one answer per broker across the retries of a send
 * (`responsePerBroker` in producer/sendMessages.js): when a broker dies with a
 * request in flight and its partitions move to a broker that has already
 * answered for its own, the retry skips them and the send resolves without them,
 * so their messages were neither confirmed nor counted. They are sent again
 * here. kafkajs rolled their sequence numbers back when the request failed, so
 * the idempotent producer sends the same sequence range: a copy the dead leader
 * had already replicated is recognised by the new leader as a duplicate and
 * answered with its original offsets, not written twice.
 */
async function sendEveryPartition(
  producer: Producer,
  record: ProducerRecord,
  attempts = 10,
): Promise<RecordMetadata[]> {
  const answers: RecordMetadata[] = [];
  let pending = record.messages;
  for (let attempt = 1; ; attempt += 1) {
    const metadata = await producer.send({ ...record, messages: pending });
    answers.push(...metadata);
    const answered = new Set(metadata.map((entry) => entry.partition));
    pending = pending.filter((message) => !answered.has(message.partition as number));
    if (pending.length === 0) return answers;
    if (attempt >= attempts) {
      const partitions = [...new Set(pending.map((message) => message.partition))].join(', ');
      throw new LabError(
        'BROKER_UNREACHABLE',
        `Kafka did not acknowledge partitions ${partitions} of ${record.topic} after ${attempts} sends; ${pending.length} messages were not confirmed.`,
      );
    }
  }
}
