import type { MessageChunk } from '../serialize';

import type { ProduceTransportName } from '../../options';

/** The Kafka client a producer sends through (its values and validation live in ../../options.ts). */
export type ProduceTransport = ProduceTransportName;

/** A chunk ready to send: every message's partition is known, or -1 when its key decides (murmur2, as Java). */
export interface OutgoingChunk extends MessageChunk {
  partitions: Int32Array;
}

/** What a transport reports back: acknowledged messages with their offsets. */
export interface DeliverySink {
  /** `count` consecutive messages acknowledged in `partition`, the first at `firstOffset`. */
  delivered(partition: number, firstOffset: number, count: number): void;
}

/** Settings every transport is given, as the producer validated them. */
export interface TransportSettings {
  topic: string;
  partitionCount: number;
  /** Messages per produce request (kafkajs) or its byte equivalent per partition batch (librdkafka). */
  batchSize: number;
  idempotent: boolean;
  compression: 'none' | 'gzip';
  retries?: number;
  maxRetryWaitMs?: number;
}

/**
 * One way of getting messages to Kafka. `send` hands a chunk over (resolving when
 * the transport can take more: backpressure); `flush` waits until every message
 * handed over is acknowledged, or throws the first failure as a LabError.
 */
export interface Transport {
  readonly name: ProduceTransport;
  send(chunk: OutgoingChunk): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}
