import { LabError } from '../errors';
/**
 * Exactly-once, counted to the penny: the order lines go through a
 * consume-transform-produce processor (its own OS process) that the lab kills
 * with SIGKILL and restarts until the input is done; then the books compare the
 * batch revenue (cleaned rows) with the stream revenue (the output topic, read
 * with read_committed), country by country, in tenths of a penny.
 */
import type { ConnectionSettings } from '../config/connection';
import { loadRetailRows } from '../dataset/resolveDataset';
import { KafkaLab } from '../lab';
import { inputMessages, numberLines, produceInput, type OrderLine } from '../ledger/inputTopic';
import { keepBooks, type Books } from '../ledger/ledgerBook';
import {
  storiesOf,
  summarise,
  visibilityOf,
  type IncarnationEnd,
  type IncarnationSummary,
  type Visibility,
} from '../ledger/incarnations';
import { MONEY_UNIT } from '../ledger/money';
import { ProcessorProcess } from '../ledger/processorProcess';
import type { ProcessorOptions } from '../ledger/processorWorker';
import { readTopicToEnd } from '../ledger/readTopic';
import { readWithConsoleConsumer, type IndependentReading } from '../ledger/consoleReader';
import {
  DEFAULTS,
  GUARANTEES,
  validateGuarantee,
  validateKillCount,
  validateKillEvery,
  validateKillMode,
  validatePartitionCount,
  validatePoisonCount,
  validateRowCount,
  validateWholeNumber,
  type Guarantee,
} from '../options';
import { waitUntil } from '../util/waitUntil';

/** The ledger's defaults live in src/options.ts with every other default. */
export const LEDGER_DEFAULTS = DEFAULTS.ledger;
export const LEDGER_GUARANTEES = GUARANTEES;

export interface LedgerOptions {
  guarantee: Guarantee | string;
  /** Kill the processor this many times, at evenly spaced points of the input (by messages committed). */
  kills?: number;
  /** Or: kill it every S seconds of processing (counted from its first message, so every incarnation makes progress). */
  killEverySeconds?: number;
  rows?: number;
  /** Any data set file the lab reads (all layouts); default: the lab's data set. */
  input?: string;
  partitions?: number;
  poison?: number;
  chunkSize?: number;
  zombie?: boolean;
  /** Also read the output with Kafka's console consumer (read_committed) and compare its sum (adds ~10 s). */
  verify?: boolean;
  sessionTimeoutMs?: number;
  /** Rows of the generated default data set, when there is no download (tests keep it small). */
  generatedRows?: number;
  /** Use this lab session (a notebook's), else connect (and close) one. */
  lab?: KafkaLab;
  connection?: ConnectionSettings;
  onNote?: (line: string) => void;
}

export type ValidLedgerOptions = Required<
  Pick<LedgerOptions, 'kills' | 'partitions' | 'poison' | 'chunkSize' | 'zombie' | 'sessionTimeoutMs'>
> &
  LedgerOptions & { guarantee: Guarantee };

/** Every option checked once, by the validators of src/options.ts (the option's name, what was wrong, what is valid). */
export function validateLedgerOptions(options: LedgerOptions): ValidLedgerOptions {
  const d = DEFAULTS.ledger;
  validateGuarantee(options.guarantee);
  const kills = options.kills ?? d.kills;
  validateKillCount(kills);
  if (options.killEverySeconds !== undefined) validateKillEvery(options.killEverySeconds);
  validateKillMode(kills, options.killEverySeconds);
  if (options.rows !== undefined) validateRowCount(options.rows);
  const partitions = options.partitions ?? d.partitions;
  validatePartitionCount(partitions);
  const poison = options.poison ?? d.poison;
  validatePoisonCount(poison);
  const chunkSize = options.chunkSize ?? d.chunkSize;
  validateWholeNumber('chunk size', chunkSize, 1, 10_000, 'messages');
  const sessionTimeoutMs = options.sessionTimeoutMs ?? d.sessionTimeoutMs;
  validateWholeNumber('session timeout', sessionTimeoutMs, 1_000, 60_000, 'ms');
  return {
    ...options,
    guarantee: options.guarantee,
    kills,
    rows: options.rows ?? d.rows,
    partitions,
    poison,
    chunkSize,
    zombie: options.zombie ?? d.zombie,
    sessionTimeoutMs,
  };
}

// ---- Result ----

export interface TimelineEvent {
  /** ms since the processors started. */
  at: number;
  kind: 'start' | 'ready' | 'kill' | 'abort' | 'fenced' | 'stopped';
  incarnation: number;
  detail: string;
}

export interface ZombieDemo {
  incarnation: number;
  /** Its successor with the same transactional.id. */
  fencedBy: number;
  fencedError: string | undefined;
  /** Events it wrote (in the transaction it held open): visible to read_uncommitted only. */
  writtenVisibleUncommitted: number;
  /** Must be 0. */
  visibleToReadCommitted: number;
}

export interface LedgerResult extends Omit<Books, 'processed'> {
  guarantee: Guarantee;
  client: string;
  unit: string;
  input: number;
  processed: number;
  processorKills: number;
  abortedTransactions: number;
  fenced: number;
  /** Messages the restarted processors read again (already handled by an earlier incarnation). */
  reRead: number;
  inputTopic: string;
  outputTopic: string;
  dlqTopic: string;
  groupId: string;
  transactionalId: string | null;
  rows: number;
  partitions: number;
  poison: number;
  /** `atCommitted`: the planned kill points (input messages committed); `killedAtCommitted`: where each kill landed. */
  kills: {
    mode: 'none' | 'points' | 'every';
    requested: number;
    everySeconds: number | null;
    atCommitted: number[];
    killedAtCommitted: number[];
  };
  visibility: Visibility;
  zombie: ZombieDemo | null;
  /** With `verify`: Kafka's console consumer's own count and sum of the output (read_committed). */
  independentReader: IndependentReading | null;
  incarnations: IncarnationSummary[];
  timeline: TimelineEvent[];
  durationMs: number;
}

const KAFKAJS_VERSION: string = require('kafkajs/package.json').version;

/** Runs the whole experiment and returns its figures (plain, JSON-serialisable). */
export async function runLedger(options: LedgerOptions): Promise<LedgerResult> {
  const o = validateLedgerOptions(options);
  const note = o.onNote ?? (() => undefined);
  const began = Date.now();
  const lines = numberLines(await loadRetailRows({ rows: o.rows, file: o.input, generatedRows: o.generatedRows }));
  const lab = o.lab ?? (await KafkaLab.connect(o.connection ? { connection: o.connection } : {}));
  const processes: ProcessorProcess[] = [];
  try {
    if (o.verify && lab.connection.securityProtocol !== 'PLAINTEXT') {
      // The console consumer is started without security settings (consoleReader.ts): refuse before any work.
      throw new LabError(
        'INVALID_OPTION',
        `--verify reads the output with Kafka's console consumer, which the lab runs against PLAINTEXT clusters only; ` +
          `this connection uses ${lab.connection.securityProtocol}. Leave out --verify: the lab's own read_committed ` +
          'reader still keeps the books.',
      );
    }
    const suffix = `${Date.now().toString(36)}-${Math.random().toString(16).slice(2, 6)}`;
    const base = `ledger-${o.guarantee === 'exactly-once' ? 'eos' : 'alo'}-${suffix}`;
    const inputTopic = `${base}.orders`;
    const outputTopic = `${base}.revenue`;
    const dlqTopic = `${inputTopic}.dlq`;
    const groupId = `${base}.processor`;
    const transactionalId = `${base}.processor-tx`;
    await lab.createTopic({ topic: inputTopic, partitions: o.partitions });
    await lab.createTopic({ topic: outputTopic, partitions: o.partitions });
    await lab.createTopic({ topic: dlqTopic, partitions: 1 });
    await produceInput(lab.kafka, inputTopic, inputMessages(lines, o.poison, LEDGER_DEFAULTS.maxValueBytes));
    const inputEnds = new Map(
      (await lab.admin.fetchTopicOffsets(inputTopic)).map((p) => [p.partition, Number(p.high)]),
    );
    const total = [...inputEnds.values()].reduce((a, b) => a + b, 0);
    note(
      `${inputTopic}: ${total} messages (${lines.length} order lines, ${o.poison} poison) in ${o.partitions} partitions`,
    );

    const killPoints = Array.from({ length: o.kills }, (_, k) => Math.floor(((k + 1) * total) / (o.kills + 1)));
    const t0 = Date.now();
    const timeline: TimelineEvent[] = [];
    const mark = (kind: TimelineEvent['kind'], incarnation: number, detail: string) =>
      timeline.push({ at: Date.now() - t0, kind, incarnation, detail });
    const ends = new Map<ProcessorProcess, IncarnationEnd>();
    const committedNext = (p: number) => Math.max(0, ...processes.map((proc) => proc.committed.get(p) ?? 0));
    const progress = () => [...inputEnds.keys()].reduce((sum, p) => sum + committedNext(p), 0);
    const done = () => [...inputEnds].every(([p, end]) => committedNext(p) >= end);

    const start = (extra: Partial<ProcessorOptions>): ProcessorProcess => {
      const incarnation = processes.length + 1;
      const proc = new ProcessorProcess(
        {
          id: `p${incarnation}`,
          incarnation,
          guarantee: o.guarantee,
          inputTopic,
          outputTopic,
          dlqTopic,
          groupId,
          transactionalId,
          sessionTimeoutMs: o.sessionTimeoutMs,
          heartbeatIntervalMs: Math.max(100, Math.floor(o.sessionTimeoutMs / 10)),
          chunkSize: o.chunkSize,
          maxValueBytes: LEDGER_DEFAULTS.maxValueBytes,
          ...extra,
        },
        lab.connection,
      );
      processes.push(proc);
      mark(
        'start',
        incarnation,
        extra.holdFirstTransaction ? 'started (will hold its first transaction open)' : 'started',
      );
      void waitUntil(() => proc.ready || proc.exited, o.sessionTimeoutMs * 20, 'ready').then(
        () =>
          proc.ready &&
          mark(
            'ready',
            incarnation,
            o.guarantee === 'exactly-once' ? `initTransactions with ${transactionalId} done` : 'producer connected',
          ),
        () => undefined,
      );
      return proc;
    };
    const failIfExited = (proc: ProcessorProcess) => {
      if (proc.exited && !ends.has(proc))
        throw new Error(`Processor ${proc.id} exited unexpectedly: ${proc.describeFailure()}`);
    };

    let nextKill = 0;
    const pauseAfterFor = () =>
      nextKill < killPoints.length ? Math.max(1, killPoints[nextKill] - progress()) : undefined;

    // The zombie: a processor holding a transaction open when a second one with the same transactional.id starts.
    let zombie: ZombieDemo | null = null;
    let current: ProcessorProcess;
    if (o.guarantee === 'exactly-once' && o.zombie) {
      const z = start({ holdFirstTransaction: true });
      await waitUntil(() => z.holding || z.exited, 120_000, `${z.id} to hold its first transaction open`);
      failIfExited(z);
      current = start({ pauseAfter: pauseAfterFor() });
      await waitUntil(() => current.ready || current.exited, 120_000, `${current.id} to initialise its transactions`);
      failIfExited(current);
      mark(
        'abort',
        z.options.incarnation,
        `the transaction ${z.id} held open was aborted when ${current.id} initialised the same transactional.id`,
      );
      z.release();
      await waitUntil(() => z.exited, 60_000, `${z.id} to be fenced`);
      ends.set(z, z.fenced ? 'fenced' : 'stopped');
      if (z.fenced) mark('fenced', z.options.incarnation, `${z.id}: ${z.fenced}`);
      note(`zombie ${z.id} ${z.fenced ? `fenced: ${z.fenced}` : 'was NOT fenced'}`);
      zombie = {
        incarnation: z.options.incarnation,
        fencedBy: current.options.incarnation,
        fencedError: z.fenced,
        writtenVisibleUncommitted: 0,
        visibleToReadCommitted: 0,
      };
    } else {
      current = start({ pauseAfter: pauseAfterFor() });
    }

    let processorKills = 0;
    const killedAtCommitted: number[] = [];
    const deadline = began + LEDGER_DEFAULTS.timeoutMs;
    for (;;) {
      const proc = current;
      const everyMs = o.killEverySeconds !== undefined ? o.killEverySeconds * 1000 : undefined;
      await waitUntil(
        // By the clock: S seconds after its first message, and not before it committed something, so every incarnation makes progress.
        () =>
          proc.paused ||
          proc.exited ||
          done() ||
          (everyMs !== undefined &&
            proc.firstHandledAt !== undefined &&
            proc.transactionsCommitted > 0 &&
            Date.now() - proc.firstHandledAt >= everyMs),
        Math.max(1_000, deadline - Date.now()),
        `processor ${proc.id} to reach a kill point or the end of the input`,
        10,
      );
      failIfExited(proc);
      if (done() && !proc.paused) {
        await proc.stop();
        ends.set(proc, 'stopped');
        mark('stopped', proc.options.incarnation, `${proc.id} stopped: every input offset committed`);
        break;
      }
      await proc.kill();
      ends.set(proc, 'killed');
      processorKills += 1;
      killedAtCommitted.push(progress());
      const why = proc.paused
        ? `after ${progress()} of ${total} input messages were committed, ${o.guarantee === 'exactly-once' ? 'mid-transaction (output written, not committed)' : 'between writing its output and committing its offsets'}`
        : `${o.killEverySeconds} s after its first message`;
      mark('kill', proc.options.incarnation, `SIGKILL ${proc.id} ${why}`);
      note(`killed ${proc.id} (SIGKILL) ${why}`);
      if (proc.paused) nextKill += 1;
      current = start({ pauseAfter: pauseAfterFor() });
      if (o.guarantee === 'exactly-once') {
        const killed = proc;
        const next = current;
        void waitUntil(() => next.ready || next.exited, 120_000, 'ready').then(
          () =>
            next.ready &&
            mark(
              'abort',
              killed.options.incarnation,
              `${next.id}'s initTransactions aborted the transaction ${killed.id} left open`,
            ),
          () => undefined,
        );
      }
    }

    note('reading the output read_committed and read_uncommitted, and the dead letters');
    const readStarted = Date.now();
    const [committed, uncommitted, dlq, dlqUncommitted] = await Promise.all([
      readTopicToEnd(lab.kafka, lab.admin, outputTopic, 'read_committed'),
      readTopicToEnd(lab.kafka, lab.admin, outputTopic, 'read_uncommitted'),
      readTopicToEnd(lab.kafka, lab.admin, dlqTopic, 'read_committed'),
      readTopicToEnd(lab.kafka, lab.admin, dlqTopic, 'read_uncommitted'),
    ]);
    note(
      `read ${committed.length} events read_committed, ${uncommitted.length} read_uncommitted, ${dlq.length} dead letters in ${((Date.now() - readStarted) / 1000).toFixed(1)} s`,
    );

    const stories = storiesOf(processes, ends);
    const books = keepBooks({ lines, committed, dlq, inputEnds, stories });
    const visibility = visibilityOf(committed, uncommitted, dlq.length, dlqUncommitted.length);
    if (zombie) {
      const z = visibility.byIncarnation.find((v) => v.incarnation === zombie!.incarnation);
      zombie.writtenVisibleUncommitted = z?.readUncommitted ?? 0;
      zombie.visibleToReadCommitted = z?.readCommitted ?? 0;
    }
    const incarnations = summarise(processes, ends, zombie?.incarnation);
    const independentReader = o.verify
      ? await readWithConsoleConsumer(lab.connection, outputTopic, {
          events: books.output,
          revenue: books.revenueStream,
        })
      : null;
    if (independentReader)
      note(
        `kafka-console-consumer (read_committed): ${independentReader.events} events summing to ${independentReader.revenue} ${independentReader.agrees ? '(agrees)' : '(DISAGREES)'}`,
      );
    timeline.sort((a, b) => a.at - b.at);
    return {
      guarantee: o.guarantee,
      client: `kafkajs ${KAFKAJS_VERSION}`,
      unit: MONEY_UNIT,
      input: total,
      ...books,
      processorKills,
      abortedTransactions: visibility.abortedTransactions,
      fenced: processes.filter((p) => p.fenced).length,
      reRead: incarnations.reduce((sum, i) => sum + i.reRead, 0),
      inputTopic,
      outputTopic,
      dlqTopic,
      groupId,
      transactionalId: o.guarantee === 'exactly-once' ? transactionalId : null,
      rows: lines.length,
      partitions: o.partitions,
      poison: o.poison,
      kills: {
        mode: o.killEverySeconds !== undefined ? 'every' : o.kills > 0 ? 'points' : 'none',
        requested: o.kills,
        everySeconds: o.killEverySeconds ?? null,
        atCommitted: killPoints,
        killedAtCommitted,
      },
      visibility,
      zombie,
      independentReader,
      incarnations,
      timeline,
      durationMs: Date.now() - began,
    };
  } finally {
    await Promise.all(processes.map((p) => p.stop(5_000)));
    if (!o.lab) await lab.close();
  }
}

export type { Guarantee, IncarnationSummary, OrderLine, Visibility };
