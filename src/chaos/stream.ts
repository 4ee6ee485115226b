import type { KafkaLab } from '../lab';
import type { ProduceResult } from '../produce/producer';
import { syntheticRetailRows } from '../util/syntheticRows';

/** A paced stream of retail-shaped rows that runs until the scenario stops it. */
export interface ChaosStream {
  /** Messages acknowledged so far. */
  readonly produced: number;
  /** When the last acknowledgement came (ms since the epoch). */
  readonly lastAckAt: number;
  /** Stops the stream and returns what was produced. */
  stop(): Promise<ProduceResult>;
  /** Stops the stream without waiting (for clean-up after a failure). */
  abort(): void;
}

export interface ChaosStreamOptions {
  ratePerSec: number;
  /** Send retries; default kafkajs' own budget. */
  retries?: number;
  /** Longest wait between two send retries. */
  maxRetryWaitMs?: number;
}

/**
 * Starts producing, keyed by invoice, at a steady rate. Fault scenarios run
 * the stream through the fault and read its progress to time their steps.
 */
export function startChaosStream(lab: KafkaLab, topic: string, options: ChaosStreamOptions): ChaosStream {
  const controller = new AbortController();
  let produced = 0;
  let lastAckAt = Date.now();
  const producing = lab.produce(syntheticRetailRows(options.ratePerSec * 120), {
    topic,
    key: 'invoice',
    ratePerSec: options.ratePerSec,
    retries: options.retries,
    maxRetryWaitMs: options.maxRetryWaitMs,
    signal: controller.signal,
    onProgress: (progress) => {
      produced = progress.produced;
      lastAckAt = Date.now();
    },
  });
  // A failure surfaces through stop(); until then it must not be an unhandled rejection.
  producing.catch(() => undefined);
  return {
    get produced() {
      return produced;
    },
    get lastAckAt() {
      return lastAckAt;
    },
    stop() {
      controller.abort();
      return producing;
    },
    abort() {
      controller.abort();
    },
  };
}
