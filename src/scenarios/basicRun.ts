import type { ConsumerSummary } from '../consume/consumerGroup';
import { KafkaLab, type ConnectOptions } from '../lab';
import type { Accounting } from '../observe/accounting';
import {
  DEFAULTS,
  validateConsumerCount,
  validateKeyStrategy,
  validatePartitionCount,
  validateRowCount,
  type CommitMode,
  type KeyStrategy,
  type StartFrom,
} from '../options';
import type { ProduceProgress } from '../produce/producer';
import { LabError } from '../errors';
import { freshName } from '../util/syntheticRows';

export interface ExperimentOptions {
  consumers?: number;
  partitions?: number;
  /** Rows of the cleaned data set to send; default 5,000. */
  rows?: number;
  key?: KeyStrategy;
  from?: StartFrom;
  commit?: CommitMode;
  /** Default: a fresh `lab-run-…` topic. */
  topic?: string;
  /** A data file in any layout the lab reads (like `dataset clean --input`); default: the data set the lab uses. */
  input?: string;
  /** Give up waiting for the messages after this long (default 120 s). */
  timeoutMs?: number;
  onProgress?: (progress: ProduceProgress) => void;
  /** Called as soon as something the reader should know is found (e.g. fewer rows than asked for). */
  onNote?: (message: string) => void;
  connect?: ConnectOptions;
}

export interface ExperimentSummary {
  topic: string;
  groupId: string;
  connection: string;
  /** The data file the rows came from: the user's download in dataset/, or the generated default. */
  dataset: {
    file: string;
    source: 'input' | 'dataset-folder' | 'generated';
    /** Rows sent. */
    rows: number;
    /** Rows asked for; null when none were (the default then applies, and a smaller data set is sent whole without a note). */
    requestedRows: number | null;
    /** Cleaned rows the data set has. */
    availableRows: number;
  };
  /** What the run did differently from what was asked, in words (empty: nothing). */
  notes: string[];
  partitions: number;
  key: KeyStrategy;
  from: StartFrom;
  commit: CommitMode;
  produced: number;
  received: number;
  missing: number;
  duplicates: number;
  produceMsgsPerSec: number;
  /** From the first produced message to the last one received. */
  endToEndMs: number;
  consumers: Array<ConsumerSummary>;
  idleConsumers: string[];
  accounting: Accounting;
  timedOut: boolean;
}

/**
 * The lab's basic experiment: a fresh topic with P partitions, N consumers in a
 * fresh group, R rows of the retail data produced, and an account of who got what.
 */
export async function runExperiment(options: ExperimentOptions = {}): Promise<ExperimentSummary> {
  const consumers = options.consumers ?? DEFAULTS.consumers;
  const partitions = options.partitions ?? DEFAULTS.partitions;
  const rowCount = options.rows ?? DEFAULTS.rows;
  const key = options.key ?? DEFAULTS.runKey;
  const from = options.from ?? DEFAULTS.from;
  const commit = options.commit ?? DEFAULTS.commit;
  validateConsumerCount(consumers);
  validatePartitionCount(partitions);
  validateKeyStrategy(key);
  validateRowCount(rowCount);
  const topic = options.topic ?? freshName('lab-run');
  // A missing input file is refused at once; then connect: an unreachable cluster
  // should fail in seconds, before any data is read.
  if (options.input !== undefined) (await import('../dataset/rawTable')).assertReadable(options.input);
  const lab = await KafkaLab.connect(options.connect);
  try {
    // Loaded on demand: the data set engines (polars, Danfo) take a second to import.
    const { streamRetailRows, resolveDataset, rowShortfallNote } = await import('../dataset');
    const dataset = options.input !== undefined ? { file: options.input, source: 'input' as const } : resolveDataset();
    const rows = streamRetailRows({ rows: rowCount, file: dataset.file });
    const notes: string[] = [];
    // Only a number the caller asked for can go unfilled; the default is a convenience.
    const shortfall = rowShortfallNote(options.rows, rows);
    if (shortfall) {
      notes.push(shortfall);
      options.onNote?.(shortfall);
    }
    await lab.createTopic({ topic, partitions, recreate: true });
    // The group joins before the first message, so "latest" and "earliest" both see the whole run.
    const group = await lab.startConsumerGroup({ topic, consumers, from, commit });
    const produced = await lab.produce(rows, { topic, key, onProgress: options.onProgress });
    let timedOut = false;
    try {
      await group.waitForReceived(produced.produced, options.timeoutMs ?? DEFAULTS.receiveTimeoutMs);
    } catch (error) {
      if (!(error instanceof LabError && error.code === 'TIMEOUT')) throw error;
      timedOut = true;
    }
    const summaries = group.summaries();
    await group.stop();
    const accounting = lab.accountFor(produced, group);
    const lastReceived = Math.max(produced.startedAt, ...group.consumers.map((c) => c.log.lastReceivedAt() ?? 0));
    return {
      topic,
      groupId: group.groupId,
      connection: lab.connection.describe(),
      dataset: { file: dataset.file, source: dataset.source, rows: rows.total, requestedRows: options.rows ?? null, availableRows: rows.available },
      notes,
      partitions,
      key,
      from,
      commit,
      produced: produced.produced,
      received: accounting.received,
      missing: accounting.missing,
      duplicates: accounting.duplicates,
      produceMsgsPerSec: Math.round(produced.msgsPerSec),
      endToEndMs: lastReceived - produced.startedAt,
      consumers: summaries,
      idleConsumers: summaries.filter((s) => s.idle).map((s) => s.id),
      accounting,
      timedOut,
    };
  } finally {
    await lab.close();
  }
}
