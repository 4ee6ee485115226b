import { CompressionTypes, Partitioners, type Kafka, type Message, type PartitionMetadata } from 'kafkajs';
import { LabError } from '../errors';
import { percentile } from '../observe/rebalances';
import { delay } from '../util/waitUntil';
import {
  DEFAULTS,
  MAX_SPEEDUP,
  MIN_SPEEDUP,
  validateKeyStrategy,
  validateTopicName,
  validateSpeedup,
  validateTimeOfDay,
  validateTradingDay,
  type KeyStrategy,
} from '../options';
import { keyOf } from './keyStrategy';
import { ProducedLog } from './producedLog';
import { jsonValue } from './producer';

/**
 * Replay by event time: every row is sent at the moment its invoice time says,
 * scaled by a speed-up (600x: a 12-hour trading day in 72 s). Invoice times have
 * minute resolution and all lines of an invoice share one, so rows with the same
 * invoice minute leave together: the real stream's bursts are kept.
 *
 * The event time travels in the value (`eventTime`, ms since the epoch, the
 * invoice's wall clock read as UTC) and in the `event-time` header (ISO text);
 * the Kafka timestamp is the send time, so lag in seconds is measured on the
 * lab's clock, not the shop's.
 */

/** The header carrying a replayed row's event time. */
export const EVENT_TIME_HEADER = 'event-time';

export { MAX_SPEEDUP, MIN_SPEEDUP };

/** Any row with an invoice date (cleaned retail rows are). */
export interface ReplayRow {
  invoiceDate: string;
}

export interface ReplayEntry<Row extends ReplayRow = ReplayRow> {
  row: Row;
  /** The invoice time, ms since the epoch (read as UTC). */
  eventTime: number;
  /** When it is due, in ms after the replay starts (already divided by the speed-up). */
  dueMs: number;
}

export interface ReplaySchedule<Row extends ReplayRow = ReplayRow> {
  /** First and last replayed dates (YYYY-MM-DD). */
  from: string;
  to: string;
  speedup: number;
  entries: Array<ReplayEntry<Row>>;
  /** Event time of the first row; the replay's clock starts there. */
  eventStart: number;
  eventEnd: number;
  /** From the first to the last row, in event time. */
  eventSpanSec: number;
  /** The same span on the wall clock. */
  wallSpanMs: number;
}

/** Event time of an invoice date `YYYY-MM-DDTHH:MM:SS` (local shop time, read as UTC). */
export function eventTimeOf(invoiceDate: string): number {
  const t = Date.parse(`${invoiceDate.length === 16 ? `${invoiceDate}:00` : invoiceDate}Z`);
  if (!Number.isFinite(t))
    throw new LabError('DATASET_INVALID', `Cannot read the invoice date ${JSON.stringify(invoiceDate)} as a time.`);
  return t;
}

/** The trading days present in the rows, sorted. */
export function datesInRows(rows: readonly ReplayRow[]): string[] {
  return [...new Set(rows.map((row) => row.invoiceDate.slice(0, 10)))].sort();
}

export interface ScheduleOptions {
  /** One trading day (YYYY-MM-DD); or `from` and `to` for a range. */
  date?: string;
  from?: string;
  to?: string;
  /** Default 600. */
  speedup?: number;
  /** Only rows whose time of day is at or after this (HH:MM), e.g. to replay a short window in tests. */
  startTime?: string;
  /** Only rows before this time of day (HH:MM). */
  endTime?: string;
}

export const DEFAULT_SPEEDUP = DEFAULTS.replay.speedup;

/**
 * The rows of a date (or date range) in event-time order, each with the moment
 * it is due after the replay starts. Rows of the same minute keep their file order.
 */
export function buildReplaySchedule<Row extends ReplayRow>(
  rows: readonly Row[],
  options: ScheduleOptions,
): ReplaySchedule<Row> {
  const speedup = options.speedup ?? DEFAULT_SPEEDUP;
  validateSpeedup(speedup);
  const dates = datesInRows(rows);
  const from = options.date ?? options.from;
  const to = options.date ?? options.to ?? from;
  if (from === undefined || to === undefined)
    throw new LabError('INVALID_OPTION', 'Say which day to replay: date (YYYY-MM-DD), or from and to for a range.');
  validateTradingDay(options.date ? 'date' : 'from', from, dates);
  validateTradingDay('to', to, dates);
  if (to < from) throw new LabError('INVALID_OPTION', `Invalid range: to (${to}) is before from (${from}).`);
  if (options.startTime !== undefined) validateTimeOfDay('startTime', options.startTime);
  if (options.endTime !== undefined) validateTimeOfDay('endTime', options.endTime);
  const picked = rows
    .map((row, index) => ({ row, index, day: row.invoiceDate.slice(0, 10), clock: row.invoiceDate.slice(11, 16) }))
    .filter((r) => r.day >= from && r.day <= to)
    .filter(
      (r) =>
        (options.startTime === undefined || r.clock >= options.startTime) &&
        (options.endTime === undefined || r.clock < options.endTime),
    )
    .map((r) => ({ row: r.row, index: r.index, eventTime: eventTimeOf(r.row.invoiceDate) }))
    .sort((a, b) => a.eventTime - b.eventTime || a.index - b.index);
  if (picked.length === 0) {
    throw new LabError(
      'INVALID_OPTION',
      `No rows between ${options.startTime ?? '00:00'} and ${options.endTime ?? '24:00'} on ${from}${to !== from ? ` to ${to}` : ''}: widen startTime/endTime.`,
    );
  }
  const eventStart = picked[0].eventTime;
  const eventEnd = picked[picked.length - 1].eventTime;
  const entries = picked.map((p) => ({
    row: p.row,
    eventTime: p.eventTime,
    dueMs: (p.eventTime - eventStart) / speedup,
  }));
  return {
    from,
    to,
    speedup,
    entries,
    eventStart,
    eventEnd,
    eventSpanSec: (eventEnd - eventStart) / 1000,
    wallSpanMs: (eventEnd - eventStart) / speedup,
  };
}

/** The wall-clock moment (ms after the replay starts) at which event time reaches `HH:MM` of the first day. */
export function dueMsOfTime(schedule: ReplaySchedule, timeOfDay: string): number {
  validateTimeOfDay('at', timeOfDay);
  const at = Date.parse(`${schedule.from}T${timeOfDay}:00Z`);
  return (at - schedule.eventStart) / schedule.speedup;
}

/**
 * When each produced message was sent, per partition and offset: the clock the
 * lag-in-seconds sampler reads the age of the oldest unprocessed message from.
 * Offsets of a partition are contiguous within a replay, so each partition is a
 * first offset and an array of send times.
 */
/** Index of the first element of an ascending list greater than `t`. */
function firstAfter(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Elements of an ascending list in (from, to]. */
function countBetween(times: readonly number[], from: number, to: number): number {
  return firstAfter(times, to) - firstAfter(times, from);
}

export class SendTimes {
  readonly #partitions = new Map<number, { first: number; sentAt: number[] }>();
  readonly #planned = new Map<number, number[]>();
  /** (sent time, messages) per send, in order: the arrival rate. */
  readonly sends: Array<{ at: number; count: number }> = [];

  add(partition: number, baseOffset: number, count: number, sentAt: number): void {
    let slot = this.#partitions.get(partition);
    if (!slot) {
      slot = { first: baseOffset, sentAt: [] };
      this.#partitions.set(partition, slot);
    }
    // Offsets the lab did not write (another producer) would leave a gap: filled with the send time.
    while (slot.first + slot.sentAt.length < baseOffset + count) slot.sentAt.push(sentAt);
  }

  recordSend(at: number, count: number): void {
    this.sends.push({ at, count });
  }

  partitions(): number[] {
    return [...this.#partitions.keys()].sort((a, b) => a - b);
  }

  /** The next offset to be written in the partition (as far as the lab knows). */
  endOffset(partition: number): number {
    const slot = this.#partitions.get(partition);
    return slot ? slot.first + slot.sentAt.length : 0;
  }

  firstOffset(partition: number): number {
    return this.#partitions.get(partition)?.first ?? 0;
  }

  /** When the message at `offset` was sent; undefined when the lab did not send it. */
  sentAtOf(partition: number, offset: number): number | undefined {
    const slot = this.#partitions.get(partition);
    if (!slot) return undefined;
    return slot.sentAt[offset - slot.first];
  }

  /** Messages of one partition sent in (from, to]. */
  sentToPartitionBetween(partition: number, from: number, to: number): number {
    return countBetween(this.#partitions.get(partition)?.sentAt ?? [], from, to);
  }

  /**
   * The replay's plan, known before the first send: per partition, when each of
   * its messages is due, in ms after the replay's zero (in order). The replay
   * knows its own future, so what will arrive on a partition over the next
   * seconds is read here rather than extrapolated from past arrivals.
   */
  plan(partition: number, dueMs: number): void {
    const due = this.#planned.get(partition);
    if (due) due.push(dueMs);
    else this.#planned.set(partition, [dueMs]);
  }

  /** Messages planned for one partition with a due time in (from, to], ms after the replay's zero. */
  plannedDueBetween(partition: number, from: number, to: number): number[] {
    const due = this.#planned.get(partition) ?? [];
    const start = firstAfter(due, from);
    return due.slice(start, start + countBetween(due, from, to));
  }

  /** Messages sent in (from, to]. */
  sentBetween(from: number, to: number): number {
    let count = 0;
    for (const send of this.sends) if (send.at > from && send.at <= to) count += send.count;
    return count;
  }
}

export interface ReplayProduceOptions {
  topic: string;
  /** Default 'customer'. */
  key?: KeyStrategy;
  signal?: AbortSignal;
  /** Called after each burst is acknowledged. */
  onSent?: (progress: { sent: number; total: number; eventTime: number; elapsedMs: number }) => void;
  /** Filled as messages are acknowledged (pass one in to sample lag while the replay runs). */
  sendTimes?: SendTimes;
  /**
   * Called once, with the replay's zero on the wall clock: when the producer is
   * connected and every message is built, just before the first send is due.
   */
  onStart?: (startedAt: number) => void;
}

export interface PaceErrorMs {
  p50: number;
  p95: number;
  max: number;
}

export interface ReplayProduceResult {
  topic: string;
  produced: number;
  startedAt: number;
  finishedAt: number;
  /** Sends (bursts: rows of one invoice minute). */
  sends: number;
  /** How far each message left from its schedule (absolute ms; timers never fire early, so in practice lateness), over messages. */
  paceErrorMs: PaceErrorMs;
  /** Produce request round trips (ms), over sends. */
  ackMs: PaceErrorMs;
  log: ProducedLog;
  sendTimes: SendTimes;
  perPartition: Record<string, number>;
}

/**
 * Sends a schedule's rows at their due times. Each burst is one produce request
 * (acks=all, idempotent) whose messages carry the send time as their Kafka
 * timestamp. Sends go one at a time in order; a send that is late makes the
 * next ones late too, and that lateness is what `paceErrorMs` reports.
 */
export async function replayRows(
  kafka: Kafka,
  schedule: ReplaySchedule,
  options: ReplayProduceOptions,
): Promise<ReplayProduceResult> {
  validateTopicName(options.topic);
  const strategy = options.key ?? DEFAULTS.replay.key;
  validateKeyStrategy(strategy);
  const keyFor = keyOf(strategy);
  const admin = kafka.admin();
  await admin.connect();
  let partitionMetadata: PartitionMetadata[];
  try {
    partitionMetadata = (await admin.fetchTopicMetadata({ topics: [options.topic] })).topics[0].partitions;
  } catch (error) {
    throw new LabError('INVALID_TOPIC', `Topic "${options.topic}" does not exist. Create it first (createTopic).`, {
      cause: error,
    });
  } finally {
    await admin.disconnect();
  }
  const partitioner = Partitioners.DefaultPartitioner();
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();

  const sendTimes = options.sendTimes ?? new SendTimes();
  // Messages are built before the clock starts, so the timed loop only stamps and sends.
  const bursts: Array<{ dueMs: number; eventTime: number; messages: Message[] }> = [];
  let keyless = 0;
  schedule.entries.forEach((entry, seq) => {
    const key = keyFor(entry.row as never);
    const value = jsonValue(seq, { ...(entry.row as object), eventTime: entry.eventTime });
    const partition =
      key === null
        ? keyless++ % partitionMetadata.length
        : partitioner({ topic: options.topic, partitionMetadata, message: { key, value } });
    sendTimes.plan(partition, entry.dueMs);
    const message: Message = {
      key,
      value,
      partition,
      headers: { [EVENT_TIME_HEADER]: new Date(entry.eventTime).toISOString() },
    };
    const last = bursts[bursts.length - 1];
    if (last && last.dueMs === entry.dueMs) last.messages.push(message);
    else bursts.push({ dueMs: entry.dueMs, eventTime: entry.eventTime, messages: [message] });
  });

  const log = new ProducedLog();
  const perPartition = new Map<number, number>();
  const lateness: number[] = [];
  const acks: number[] = [];
  let sent = 0;
  const startedAt = Date.now();
  options.onStart?.(startedAt);
  try {
    for (const burst of bursts) {
      if (options.signal?.aborted) break;
      const wait = startedAt + burst.dueMs - Date.now();
      if (wait > 0) await delay(wait);
      const sentAt = Date.now();
      const late = Math.abs(sentAt - (startedAt + burst.dueMs));
      for (const message of burst.messages) {
        message.timestamp = String(sentAt);
        lateness.push(late);
      }
      const metadata = await producer.send({
        topic: options.topic,
        messages: burst.messages,
        acks: -1,
        compression: CompressionTypes.None,
      });
      acks.push(Date.now() - sentAt);
      const counts = new Map<number, number>();
      for (const message of burst.messages)
        counts.set(message.partition as number, (counts.get(message.partition as number) ?? 0) + 1);
      for (const record of metadata) {
        const count = counts.get(record.partition) ?? 0;
        log.add(record.partition, Number(record.baseOffset), count);
        sendTimes.add(record.partition, Number(record.baseOffset), count, sentAt);
        perPartition.set(record.partition, (perPartition.get(record.partition) ?? 0) + count);
      }
      if (log.count !== sent + burst.messages.length) {
        throw new LabError(
          'BROKER_UNREACHABLE',
          `Kafka acknowledged ${log.count - sent} of ${burst.messages.length} messages of a burst to ${options.topic}.`,
        );
      }
      sendTimes.recordSend(sentAt, burst.messages.length);
      sent += burst.messages.length;
      options.onSent?.({
        sent,
        total: schedule.entries.length,
        eventTime: burst.eventTime,
        elapsedMs: Date.now() - startedAt,
      });
    }
  } finally {
    await producer.disconnect();
  }
  return {
    topic: options.topic,
    produced: sent,
    startedAt,
    finishedAt: Date.now(),
    sends: acks.length,
    paceErrorMs: summarizeMs(lateness),
    ackMs: summarizeMs(acks),
    log,
    sendTimes,
    perPartition: Object.fromEntries(
      [...perPartition.entries()].sort((a, b) => a[0] - b[0]).map(([p, c]) => [String(p), c]),
    ),
  };
}

/** p50, p95 and max of a list of milliseconds, rounded to 0.1 ms. */
export function summarizeMs(values: readonly number[]): PaceErrorMs {
  const sorted = [...values].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    p50: r(percentile(sorted, 0.5)),
    p95: r(percentile(sorted, 0.95)),
    max: r(sorted.length ? sorted[sorted.length - 1] : 0),
  };
}
