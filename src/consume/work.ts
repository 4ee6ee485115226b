import { invalidOption } from '../options';

/**
 * What a consumer does with each message, when the lab wants it to be slow:
 * how long one message takes (fixed or drawn from a distribution), and how often
 * the member commits and heartbeats while it works through a fetched batch.
 *
 * A consumer is one worker: its messages are processed one at a time, across all
 * its partitions, so N consumers at M ms a message process at most N × 1000 / M
 * messages a second. (Without this, kafkajs would work on up to three partitions
 * of one member side by side and the capacity would depend on the assignment.)
 */
export type ProcessingTime =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'exponential'; meanMs: number };

export interface WorkModel {
  time: ProcessingTime;
  /**
   * 'batch': the naive poll loop: process the whole fetched batch, then commit and
   * heartbeat once (the member is silent for the whole batch: the poll-deadline failure).
   * A number k: commit what was processed and heartbeat after every k messages
   * (the fix: the deadline is met as long as k messages take less than it).
   */
  commitEvery: 'batch' | number;
}

/** A draw of the processing time of one message, in ms (seeded by the caller's rng). */
export function drawProcessingMs(time: ProcessingTime, rng: () => number = Math.random): number {
  switch (time.kind) {
    case 'fixed':
      return time.ms;
    case 'uniform':
      return time.minMs + (time.maxMs - time.minMs) * rng();
    case 'exponential':
      return -Math.log(Math.max(rng(), 1e-12)) * time.meanMs;
  }
}

/** The mean processing time of one message, in ms. */
export function meanProcessingMs(time: ProcessingTime): number {
  switch (time.kind) {
    case 'fixed':
      return time.ms;
    case 'uniform':
      return (time.minMs + time.maxMs) / 2;
    case 'exponential':
      return time.meanMs;
  }
}

export function validateWorkModel(work: WorkModel): void {
  const t = work.time;
  const ok =
    (t.kind === 'fixed' && Number.isFinite(t.ms) && t.ms >= 0) ||
    (t.kind === 'uniform' &&
      Number.isFinite(t.minMs) &&
      Number.isFinite(t.maxMs) &&
      t.minMs >= 0 &&
      t.maxMs >= t.minMs) ||
    (t.kind === 'exponential' && Number.isFinite(t.meanMs) && t.meanMs > 0);
  if (!ok)
    invalidOption(
      'processing time',
      t,
      "{ kind: 'fixed', ms ≥ 0 }, { kind: 'uniform', 0 ≤ minMs ≤ maxMs } or { kind: 'exponential', meanMs > 0 }",
    );
  if (work.commitEvery !== 'batch' && !(Number.isInteger(work.commitEvery) && work.commitEvery >= 1)) {
    invalidOption('commitEvery', work.commitEvery, "'batch' or a whole number of messages, at least 1");
  }
}

/**
 * One message at a time per consumer: a chain of promises every partition's
 * batch handler goes through.
 */
export class SerialWorker {
  #tail: Promise<void> = Promise.resolve();

  run(task: () => Promise<void>): Promise<void> {
    const next = this.#tail.then(task);
    this.#tail = next.catch(() => undefined);
    return next;
  }
}
