import type pl from 'nodejs-polars';
import type { Kafka, PartitionMetadata } from 'kafkajs';
import type { ConnectionSettings } from '../config/connection';
import { LabError } from '../errors';
import { confluentClientAvailable } from '../kafka/confluentClient';
import { delay } from '../util/waitUntil';
import {
  DEFAULTS,
  invalidOption,
  validateKeyStrategy,
  validateRate,
  validateTransport,
  validateWholeNumber,
  type KeyStrategy,
} from '../options';
import { ProducedLog } from './producedLog';
import { encodeFrame, encodeObjects, isRetailFrame, type MessageChunk } from './serialize';
import { KafkajsTransport } from './transports/kafkajs';
import { LibrdkafkaTransport } from './transports/librdkafka';
import type { OutgoingChunk, ProduceTransport, Transport, TransportSettings } from './transports/transport';

export { jsonValue } from './serialize';
export type { ProduceTransport } from './transports/transport';

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
  /**
   * The client that sends: 'librdkafka' (@confluentinc/kafka-javascript, the
   * default when it is installed) or 'kafkajs' (the fallback). Default: the
   * KAFKA_LAB_TRANSPORT environment variable, else librdkafka when it loads.
   */
  transport?: ProduceTransport;
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
  /** The client that sent the messages. */
  transport: ProduceTransport;
  /** Rows not sent because their message would exceed `maxMessageBytes`; never dropped silently. */
  rejected: Array<{ seq: number; key: string | null; bytes: number; reason: string }>;
}

export const DEFAULT_BATCH_SIZE = DEFAULTS.batchSize;

/** The environment variable that picks the producer's transport when the options do not. */
export const TRANSPORT_VARIABLE = 'KAFKA_LAB_TRANSPORT';

/** The transport a produce call uses: the option, else KAFKA_LAB_TRANSPORT, else librdkafka when it loads. */
export function chooseTransport(requested?: ProduceTransport): ProduceTransport {
  if (requested !== undefined) {
    validateTransport('transport', requested);
  } else {
    const fromEnv = process.env[TRANSPORT_VARIABLE];
    if (fromEnv !== undefined && fromEnv !== '') {
      validateTransport(TRANSPORT_VARIABLE, fromEnv);
      requested = fromEnv;
    }
  }
  if (requested === 'librdkafka') confluentClientAvailable({ throwIfMissing: true });
  return requested ?? (confluentClientAvailable() ? 'librdkafka' : 'kafkajs');
}

/** What `produce` takes: row objects (array, iterable, async iterable) or a polars frame of cleaned rows. */
export type ProduceInput = Iterable<object> | AsyncIterable<object> | pl.DataFrame | { frame: pl.DataFrame };

function frameOf(rows: ProduceInput): pl.DataFrame | undefined {
  const candidate = (rows as { frame?: pl.DataFrame }).frame ?? rows;
  const frame = candidate as pl.DataFrame;
  return typeof frame.writeJSON === 'function' && typeof frame.height === 'number' && isRetailFrame(frame)
    ? frame
    : undefined;
}

const FRAME_CHUNK_ROWS = 10_000;

/** Rows in chunks of encoded messages: a frame of cleaned rows in bulk, objects a chunk at a time. */
async function* encodedChunks(
  rows: ProduceInput,
  chunkRows: number,
  strategy: KeyStrategy,
  rate: number | undefined,
): AsyncGenerator<MessageChunk> {
  const frame = frameOf(rows);
  if (frame) {
    // Polars serialises larger slices more cheaply per row; a rate still gets its small chunks.
    const frameRows = rate ? chunkRows : Math.max(chunkRows, FRAME_CHUNK_ROWS);
    for (let offset = 0; offset < frame.height; offset += frameRows) {
      yield encodeFrame(frame.slice(offset, frameRows), offset, strategy);
    }
    return;
  }
  if ((rows as { frame?: unknown }).frame !== undefined || typeof (rows as pl.DataFrame).writeJSON === 'function') {
    invalidOption(
      'rows',
      'a polars frame of other columns',
      'row objects, or a frame of cleaned rows (RetailRow columns)',
    );
  }
  let seq = 0;
  let pending: object[] = [];
  for await (const row of rows as AsyncIterable<object>) {
    pending.push(row);
    if (pending.length >= chunkRows) {
      yield encodeObjects(pending, seq, strategy);
      seq += pending.length;
      pending = [];
    }
  }
  if (pending.length > 0) yield encodeObjects(pending, seq, strategy);
}

/**
 * Streams rows to a topic as JSON values (`{"seq": n, ...row}`), keyed by the
 * chosen field, through librdkafka (when installed) or kafkajs. Keyed messages
 * land where Java's murmur2 partitioner puts them, keyless ones go round-robin;
 * the lab learns the exact offset of every message it wrote (ProducedLog).
 */
export async function produceRows(
  kafka: Kafka,
  connection: ConnectionSettings,
  rows: ProduceInput,
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
    validateWholeNumber(
      'retries',
      retries,
      idempotent ? 1 : 0,
      Infinity,
      idempotent ? 'retries (an idempotent producer must retry)' : 'retries',
    );
  }
  const maxRetryWaitMs = options.maxRetryWaitMs;
  if (maxRetryWaitMs !== undefined && !(Number.isFinite(maxRetryWaitMs) && maxRetryWaitMs >= 100)) {
    invalidOption('maxRetryWaitMs', maxRetryWaitMs, 'a number of milliseconds of at least 100');
  }
  const compression = options.compression ?? 'none';
  if (compression !== 'none' && compression !== 'gzip') invalidOption('compression', compression, '"none" or "gzip"');
  const transportName = chooseTransport(options.transport);
  const frame = frameOf(rows);
  // Arrays know their length; a stream may say how long it is (`streamRetailRows` does).
  const total = frame ? frame.height : Array.isArray(rows) ? rows.length : (rows as { total?: number }).total;

  const partitionMetadata = await topicPartitions(kafka, connection, options.topic);
  const partitionCount = partitionMetadata.length;

  const log = new ProducedLog();
  const perPartition = new Array<number>(partitionCount).fill(0);
  // With a rate, chunks of 5 ms worth: messages are handed over (and stamped) as they are due.
  const chunkRows = rate ? Math.max(1, Math.ceil(rate / 200)) : batchSize;
  const progressEvery = rate ? Math.max(1, Math.min(batchSize, Math.ceil(rate / 20))) : batchSize;
  let produced = 0;
  let nextProgress = progressEvery;
  let lastReported = 0;
  const rejected: ProduceResult['rejected'] = [];
  const maxMessageBytes = options.maxMessageBytes ?? 1_000_000;
  let bytes = 0;
  let handedOver = 0;
  let keylessPartition = 0;
  const startedAt = Date.now();
  let pacedFrom = startedAt;
  const reportProgress = () => {
    lastReported = produced;
    if (!options.onProgress) return;
    const elapsedMs = Date.now() - startedAt;
    options.onProgress({ produced, total, elapsedMs, msgsPerSec: elapsedMs > 0 ? (produced * 1000) / elapsedMs : 0 });
  };
  const sink = {
    delivered(partition: number, firstOffset: number, count: number) {
      log.add(partition, firstOffset, count);
      perPartition[partition] += count;
      produced += count;
      if (produced >= nextProgress) {
        nextProgress = produced + progressEvery;
        reportProgress();
      }
    },
  };
  const settings: TransportSettings = {
    topic: options.topic,
    partitionCount,
    batchSize,
    idempotent,
    compression,
    retries,
    maxRetryWaitMs,
  };

  const chunks = encodedChunks(rows, chunkRows, strategy, rate);
  let transport: Transport | undefined;
  try {
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      if (options.signal?.aborted) break;
      const chunk = outgoing(next.value, maxMessageBytes, rejected);
      if (chunk.values.length === 0) continue;
      const { partitions, keys, values } = chunk;
      for (let i = 0; i < values.length; i += 1) {
        // Keyless rows go round-robin, as kafkajs does, so that every partition gets an even share.
        if (keys[i] === null) {
          partitions[i] = keylessPartition;
          keylessPartition = keylessPartition + 1 === partitionCount ? 0 : keylessPartition + 1;
        } else {
          partitions[i] = -1;
          bytes += Buffer.byteLength(keys[i] as string);
        }
        bytes += values[i].length;
      }
      if (!transport) {
        transport = await openTransport(transportName, kafka, connection, settings, sink, chunk, partitionMetadata);
        // The rate counts from the first message, not from before the connection: no burst to catch up.
        pacedFrom = Date.now();
      }
      await transport.send(chunk);
      handedOver += values.length;
      if (rate) {
        const wait = pacedFrom + (handedOver / rate) * 1000 - Date.now();
        if (wait > 0) await delay(wait);
      }
    }
    if (transport) await transport.flush();
  } finally {
    await chunks.return(undefined);
    if (transport) await transport.close();
  }
  if (produced !== lastReported) reportProgress();

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
    transport: transportName,
    rejected,
  };
}

async function openTransport(
  name: ProduceTransport,
  kafka: Kafka,
  connection: ConnectionSettings,
  settings: TransportSettings,
  sink: { delivered(partition: number, firstOffset: number, count: number): void },
  first: OutgoingChunk,
  partitionMetadata: PartitionMetadata[],
): Promise<Transport> {
  if (name === 'kafkajs') return KafkajsTransport.open(kafka, settings, sink, partitionMetadata);
  let sample = 0;
  for (const value of first.values) sample += value.length;
  return LibrdkafkaTransport.open(connection, settings, sink, sample / first.values.length);
}

/** The topic's partitions (and proof that it exists), asked once before producing. */
async function topicPartitions(
  kafka: Kafka,
  connection: ConnectionSettings,
  topic: string,
): Promise<PartitionMetadata[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    const servers = connection.bootstrapServers.join(',');
    if (/SASL|authenticat/i.test(`${(error as Error).name} ${(error as Error).message}`)) {
      throw new LabError(
        'AUTH_FAILED',
        `Kafka at ${servers} refused the producer's credentials. Check the SASL settings.`,
        {
          cause: error,
        },
      );
    }
    throw new LabError(
      'BROKER_UNREACHABLE',
      `Cannot reach Kafka at ${servers} to produce to "${topic}" (${(error as Error).message}). Start the local broker with \`npx kafka-lab broker start\`, or set KAFKA_BOOTSTRAP_SERVERS.`,
      { cause: error },
    );
  }
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    return metadata.topics[0].partitions;
  } catch (error) {
    throw new LabError('INVALID_TOPIC', `Topic "${topic}" does not exist. Create it first (createTopic).`, {
      cause: error,
    });
  } finally {
    await admin.disconnect();
  }
}

/** The chunk without its messages over the size limit (listed in `rejected`, never dropped silently). */
function outgoing(chunk: MessageChunk, maxMessageBytes: number, rejected: ProduceResult['rejected']): OutgoingChunk {
  const { values, keys } = chunk;
  let oversize = false;
  for (let i = 0; i < values.length && !oversize; i += 1) {
    // A key's UTF-16 length times 3 bounds its UTF-8 bytes; the exact count is only needed near the limit.
    if (values[i].length + (keys[i]?.length ?? 0) * 3 > maxMessageBytes) oversize = true;
  }
  if (!oversize) return { ...chunk, partitions: new Int32Array(values.length) };
  const keptValues: Buffer[] = [];
  const keptKeys: Array<string | null> = [];
  for (let i = 0; i < values.length; i += 1) {
    const key = keys[i];
    const size = values[i].length + (key === null ? 0 : Buffer.byteLength(key));
    if (size > maxMessageBytes) {
      rejected.push({
        seq: chunk.firstSeq + i,
        key,
        bytes: size,
        reason: `${size.toLocaleString('en')} bytes as a message, above the ${maxMessageBytes.toLocaleString('en')}-byte limit; shorten the row or raise the topic's max.message.bytes and maxMessageBytes`,
      });
    } else {
      keptValues.push(values[i]);
      keptKeys.push(key);
    }
  }
  return {
    firstSeq: chunk.firstSeq,
    values: keptValues,
    keys: keptKeys,
    partitions: new Int32Array(keptValues.length),
  };
}
