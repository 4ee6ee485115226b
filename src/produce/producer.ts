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
import { LabError } from '../errors';
import { delay } from '../util/waitUntil';
import { DEFAULTS, invalidOption, validateKeyStrategy, validateRate, validateWholeNumber, type KeyStrategy } from '../options';
import { keyOf } from './keyStrategy';
import { ProducedLog } from './producedLog';

export interface ProduceProgress {
  produced: number;
  /** Known when the rows came as an array. */
  total?: number;
  elapsedMs: number;
  msgsPerSec: number;
}

export interface ProduceOptions {
  topic: string;
  /** Default 'none': no key, messages spread round-robin in sticky batches. */
  key?: KeyStrategy;
  /** Messages per produce request; default 2,000. */
  batchSize?: number;
  /** Upper bound on messages per second; default unlimited. */
  ratePerSec?: number;
  /** Called after every batch. */
  onProgress?: (progress: ProduceProgress) => void;
  /** Default true: acks=all with sequence numbers, so a retry never writes a message twice. */
  idempotent?: boolean;
  compression?: 'none' | 'gzip';
  /**
   * Messages larger than this (key plus JSON value, in bytes) are not sent but
   * listed in `rejected`: Kafka refuses them (its default limit is about 1 MB) and
   * would fail the whole batch around them. Default 1,000,000.
   */
  maxMessageBytes?: number;
  /** Stops producing early (the rows already sent stay sent). */
  signal?: AbortSignal;
  /**
   * How many times a failed send is retried, with backoff from 100 ms doubling up
   * to `maxRetryWaitMs` per wait (default 8 retries: about 30 s in all). Raise it
   * to ride through a broker that is down for longer, e.g. a restart.
   */
  retries?: number;
  /**
   * Longest wait between two retries (default 30 s). A short one (1 s) resumes
   * within a second of a broker or a new leader being back, instead of sleeping
   * through the late, long backoffs.
   */
  maxRetryWaitMs?: number;
}

export interface ProduceResult {
  topic: string;
  produced: number;
  bytes: number;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  msgsPerSec: number;
  mbPerSec: number;
  /** Messages per partition. */
  perPartition: Record<string, number>;
  /** Every (partition, offset) written, for the accounting. */
  log: ProducedLog;
  /** Rows not sent because their message would exceed `maxMessageBytes`; never dropped silently. */
  rejected: Array<{ seq: number; key: string | null; bytes: number; reason: string }>;
}

/** A produce request's messages per partition stay well under Kafka's 1 MB batch limit. */
const MAX_BATCH_BYTES = 512 * 1024;

export const DEFAULT_BATCH_SIZE = DEFAULTS.batchSize;

/**
 * Streams rows to a topic as JSON values (`{"seq": n, ...row}`), keyed by the
 * chosen field. The partition of each message is computed here with kafkajs'
 * Java-compatible murmur2 partitioner, so the lab knows the exact offset of every
 * message it wrote.
 */
export async function produceRows(
  kafka: Kafka,
  rows: Iterable<object> | AsyncIterable<object>,
  options: ProduceOptions,
): Promise<ProduceResult> {
  // The topic name is validated by the caller (KafkaLab checks each name once).
  const strategy = options.key ?? DEFAULTS.produceKey;
  validateKeyStrategy(strategy);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  validateWholeNumber('batchSize', batchSize, 1);
  const rate = options.ratePerSec;
  validateRate('ratePerSec', rate);
  const idempotent = options.idempotent ?? true;
  const retries = options.retries;
  if (retries !== undefined) {
    validateWholeNumber('retries', retries, idempotent ? 1 : 0, Infinity, idempotent ? 'retries (an idempotent producer must retry)' : 'retries');
  }
  const maxRetryWaitMs = options.maxRetryWaitMs;
  if (maxRetryWaitMs !== undefined && !(Number.isFinite(maxRetryWaitMs) && maxRetryWaitMs >= 100)) {
    invalidOption('maxRetryWaitMs', maxRetryWaitMs, 'a number of milliseconds of at least 100');
  }
  // Arrays know their length; a stream may say how long it is (`streamRetailRows` does).
  const total = Array.isArray(rows) ? rows.length : (rows as { total?: number }).total;
  const keyFor = keyOf(strategy);

  const admin = kafka.admin();
  await admin.connect();
  let partitionMetadata: PartitionMetadata[];
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [options.topic] });
    partitionMetadata = metadata.topics[0].partitions;
  } catch (error) {
    throw new LabError('INVALID_TOPIC', `Topic "${options.topic}" does not exist. Create it first (createTopic).`, { cause: error });
  } finally {
    await admin.disconnect();
  }
  const partitionCount = partitionMetadata.length;
  const partitioner = Partitioners.DefaultPartitioner();

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

  const log = new ProducedLog();
  const perPartition = new Array<number>(partitionCount).fill(0);
  const effectiveBatch = rate ? Math.max(1, Math.min(batchSize, Math.ceil(rate / 20))) : batchSize;
  let produced = 0;
  let batchBytes = 0;
  const rejected: ProduceResult['rejected'] = [];
  const maxMessageBytes = options.maxMessageBytes ?? 1_000_000;
  let bytes = 0;
  let seq = 0;
  let keylessPartition = 0;
  const startedAt = Date.now();

  // One batch's messages with how many went to each partition, to learn their offsets.
  const sendBatch = async (batch: Message[], countsOfBatch: number[]): Promise<void> => {
    const timestamp = String(Date.now());
    for (const message of batch) message.timestamp = timestamp;
    const metadata = await sendEveryPartition(producer, {
      topic: options.topic,
      messages: batch,
      acks: -1,
      compression: options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
    });
    for (const record of metadata) {
      const count = countsOfBatch[record.partition] ?? 0;
      log.add(record.partition, Number(record.baseOffset), count);
      perPartition[record.partition] += count;
    }
    produced += batch.length;
    if (rate) {
      const due = startedAt + (produced / rate) * 1000;
      const wait = due - Date.now();
      if (wait > 0) await delay(wait);
    }
    if (options.onProgress) {
      const elapsedMs = Date.now() - startedAt;
      options.onProgress({ produced, total, elapsedMs, msgsPerSec: elapsedMs > 0 ? (produced * 1000) / elapsedMs : 0 });
    }
  };

  // The next batch is built while the previous one is on the wire; sends still go
  // one at a time, in order, so sequence numbers and per-key order are as before.
  let inFlight: Promise<void> | undefined;
  const launch = (batch: Message[], countsOfBatch: number[]): void => {
    inFlight = sendBatch(batch, countsOfBatch);
    // Awaited before the next send or at the end; this only keeps an early failure from being reported as unhandled.
    inFlight.catch(() => undefined);
  };
  try {
    let batch: Message[] = [];
    let countsOfBatch = new Array<number>(partitionCount).fill(0);
    for await (const row of rows as AsyncIterable<Record<string, unknown>>) {
      if (options.signal?.aborted) break;
      const key = keyFor(row);
      const rowSeq = seq++;
      const value = jsonValue(rowSeq, row);
      // value.length counts UTF-16 units; a UTF-8 byte count is only needed near the limit.
      if (value.length * 3 > maxMessageBytes) {
        const size = Buffer.byteLength(value) + (key === null ? 0 : Buffer.byteLength(key));
        if (size > maxMessageBytes) {
          rejected.push({
            seq: rowSeq,
            key,
            bytes: size,
            reason: `${size.toLocaleString('en')} bytes as a message, above the ${maxMessageBytes.toLocaleString('en')}-byte limit; shorten the row or raise the topic's max.message.bytes and maxMessageBytes`,
          });
          continue;
        }
      }
      // Keyless rows go round-robin, as kafkajs does, so that every partition gets an even share.
      let partition: number;
      if (key === null) {
        partition = keylessPartition;
        keylessPartition = (keylessPartition + 1) % partitionCount;
      } else {
        partition = partitioner({ topic: options.topic, partitionMetadata, message: { key, value } });
      }
      bytes += value.length + (key?.length ?? 0);
      batchBytes += value.length + (key?.length ?? 0);
      batch.push({ key, value, partition, timestamp: '' });
      countsOfBatch[partition] += 1;
      if (batch.length >= effectiveBatch || batchBytes >= MAX_BATCH_BYTES) {
        batchBytes = 0;
        if (inFlight) await inFlight;
        launch(batch, countsOfBatch);
        batch = [];
        countsOfBatch = new Array<number>(partitionCount).fill(0);
      }
    }
    if (inFlight) await inFlight;
    if (batch.length > 0) {
      launch(batch, countsOfBatch);
      await inFlight;
    }
  } finally {
    // Never disconnect under a send that is still on the wire.
    if (inFlight) await (inFlight as Promise<void>).catch(() => undefined);
    await producer.disconnect();
  }

  const finishedAt = Date.now();
  const durationMs = Math.max(1, finishedAt - startedAt);
  return {
    topic: options.topic,
    produced,
    bytes,
    startedAt,
    finishedAt,
    durationMs,
    msgsPerSec: (produced * 1000) / durationMs,
    mbPerSec: bytes / 1_048_576 / (durationMs / 1000),
    perPartition: Object.fromEntries(perPartition.map((count, partition) => [String(partition), count])),
    log,
    rejected,
  };
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * `JSON.stringify({ seq, ...row })`, without building the merged object for
 * every row: the row's own JSON with `"seq":n` put in front. Rows for which the
 * two could differ (a "seq" or integer-like key of their own, a toJSON, not a
 * plain object, no keys) take the spread.
 */
export function jsonValue(seq: number, row: Record<string, unknown>): string {
  const json = JSON.stringify(row);
  if (
    typeof json === 'string' &&
    json.length > 2 &&
    json.charCodeAt(0) === 123 /* { */ &&
    !(json.charCodeAt(2) >= 48 && json.charCodeAt(2) <= 57) /* first key not a digit */ &&
    !hasOwn.call(row, 'seq') &&
    typeof (row as { toJSON?: unknown }).toJSON !== 'function'
  ) {
    return `{"seq":${seq},${json.slice(1)}`;
  }
  return JSON.stringify({ seq, ...row });
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
async function sendEveryPartition(producer: Producer, record: ProducerRecord, attempts = 10): Promise<RecordMetadata[]> {
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
      throw new LabError('BROKER_UNREACHABLE', `Kafka did not acknowledge partitions ${partitions} of ${record.topic} after ${attempts} sends; ${pending.length} messages were not confirmed.`);
    }
  }
}
