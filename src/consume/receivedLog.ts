import { ByteArena } from './byteArena';

/** One message as a consumer received it, in the form notebooks tabulate. */
export interface ReceivedRecord {
  consumer: string;
  partition: number;
  offset: number;
  key: string | null;
  /** The message timestamp set by the producer (ms since the epoch). */
  producedAt: number;
  /** When the consumer handed it to processing (ms since the epoch). */
  receivedAt: number;
  /** The decoded JSON value, or `{ poison: true, raw }` when it was not JSON. */
  value: unknown;
}

/** A value that could not be decoded as JSON: kept, marked, and counted, never dropped. */
export interface PoisonValue {
  poison: true;
  raw: string;
  error: string;
}

const INITIAL_CAPACITY = 1024;

/**
 * Everything one consumer received, column by column in typed arrays. Keys are
 * interned (a customer or country repeats thousands of times) and values are
 * raw bytes in a ByteArena, decoded only when someone looks at them.
 */
export class ReceivedLog {
  readonly consumer: string;
  readonly keepValues: boolean;
  #length = 0;
  #partition = new Int32Array(INITIAL_CAPACITY);
  #offset = new Float64Array(INITIAL_CAPACITY);
  #producedAt = new Float64Array(INITIAL_CAPACITY);
  #receivedAt = new Float64Array(INITIAL_CAPACITY);
  #keyIndex = new Int32Array(INITIAL_CAPACITY);
  #valueChunk = new Int32Array(INITIAL_CAPACITY);
  #valueStart = new Int32Array(INITIAL_CAPACITY);
  #valueLength = new Int32Array(INITIAL_CAPACITY);
  readonly #keys: string[] = [];
  readonly #keyIds = new Map<string, number>();
  readonly #values = new ByteArena();
  #lastKey: Buffer | null = null;
  #lastKeyId = -1;

  constructor(consumer: string, options: { keepValues?: boolean } = {}) {
    this.consumer = consumer;
    this.keepValues = options.keepValues ?? true;
  }

  get length(): number {
    return this.#length;
  }

  append(
    partition: number,
    offset: number,
    key: Buffer | null,
    producedAt: number,
    receivedAt: number,
    value: Buffer | null,
  ): void {
    const i = this.#appendMessage(partition, offset, key, producedAt, receivedAt);
    if (this.keepValues && value !== null) {
      this.#valueStart[i] = this.#values.append(value);
      this.#valueChunk[i] = this.#values.lastChunk;
      this.#valueLength[i] = value.length;
    } else {
      this.#valueLength[i] = -1;
    }
  }

  /**
   * Keeps a buffer that holds many messages' values, uncopied, for appendHeld;
   * returns its handle (-1 when values are not kept).
   */
  holdValues(bytes: Buffer): number {
    return this.keepValues ? this.#values.hold(bytes) : -1;
  }

  /** Like append, with the value given as `length` bytes at `start` of a buffer passed to holdValues (length -1: none). */
  appendHeld(
    partition: number,
    offset: number,
    key: Buffer | null,
    producedAt: number,
    receivedAt: number,
    held: number,
    start: number,
    length: number,
  ): void {
    const i = this.#appendMessage(partition, offset, key, producedAt, receivedAt);
    this.#valueChunk[i] = held;
    this.#valueStart[i] = start;
    this.#valueLength[i] = held < 0 ? -1 : length;
  }

  /** Records everything but the value; returns the message's index. */
  #appendMessage(
    partition: number,
    offset: number,
    key: Buffer | null,
    producedAt: number,
    receivedAt: number,
  ): number {
    if (this.#length === this.#partition.length) this.#grow();
    const i = this.#length;
    this.#partition[i] = partition;
    this.#offset[i] = offset;
    this.#producedAt[i] = producedAt;
    this.#receivedAt[i] = receivedAt;
    if (key === null) {
      this.#keyIndex[i] = -1;
    } else if (this.#lastKey !== null && key.equals(this.#lastKey)) {
      // Neighbours often share a key (an invoice's lines, a customer's rows): no string made.
      this.#keyIndex[i] = this.#lastKeyId;
    } else {
      this.#lastKeyId = this.#internKey(key.toString('utf8'));
      this.#lastKey = key;
      this.#keyIndex[i] = this.#lastKeyId;
    }
    this.#length += 1;
    return i;
  }

  partitionAt(i: number): number {
    return this.#partition[i];
  }

  offsetAt(i: number): number {
    return this.#offset[i];
  }

  producedAtOf(i: number): number {
    return this.#producedAt[i];
  }

  receivedAtOf(i: number): number {
    return this.#receivedAt[i];
  }

  keyAt(i: number): string | null {
    const index = this.#keyIndex[i];
    return index < 0 ? null : this.#keys[index];
  }

  /** The raw value text, or null when values are not kept (or the message had none). */
  rawValueAt(i: number): string | null {
    const length = this.#valueLength[i];
    if (length < 0) return null;
    return this.#values.read(this.#valueChunk[i], this.#valueStart[i], length).toString('utf8');
  }

  valueAt(i: number): unknown {
    const raw = this.rawValueAt(i);
    if (raw === null) return null;
    return decodeValue(raw);
  }

  record(i: number): ReceivedRecord {
    return {
      consumer: this.consumer,
      partition: this.#partition[i],
      offset: this.#offset[i],
      key: this.keyAt(i),
      producedAt: this.#producedAt[i],
      receivedAt: this.#receivedAt[i],
      value: this.valueAt(i),
    };
  }

  /** The first `limit` records (all by default), decoded. */
  records(limit = this.#length): ReceivedRecord[] {
    const count = Math.min(limit, this.#length);
    const out = new Array<ReceivedRecord>(count);
    for (let i = 0; i < count; i += 1) out[i] = this.record(i);
    return out;
  }

  /** Messages received per partition. */
  countsByPartition(): Map<number, number> {
    const counts = new Map<number, number>();
    for (let i = 0; i < this.#length; i += 1) counts.set(this.#partition[i], (counts.get(this.#partition[i]) ?? 0) + 1);
    return counts;
  }

  /** Messages received between two times (ms epoch), both inclusive. */
  countReceivedBetween(from: number, to: number): number {
    let count = 0;
    for (let i = 0; i < this.#length; i += 1) if (this.#receivedAt[i] >= from && this.#receivedAt[i] <= to) count += 1;
    return count;
  }

  /** When each message received up to `until` (inclusive) was produced and received. */
  timesUntil(until = Infinity): Array<{ producedAt: number; receivedAt: number }> {
    const out: Array<{ producedAt: number; receivedAt: number }> = [];
    for (let i = 0; i < this.#length; i += 1) {
      if (this.#receivedAt[i] <= until) out.push({ producedAt: this.#producedAt[i], receivedAt: this.#receivedAt[i] });
    }
    return out;
  }

  /** The highest offset received per partition. */
  highestOffsets(): Map<number, number> {
    const highest = new Map<number, number>();
    for (let i = 0; i < this.#length; i += 1)
      highest.set(this.#partition[i], Math.max(highest.get(this.#partition[i]) ?? -1, this.#offset[i]));
    return highest;
  }

  /** The lowest offset received per partition. */
  lowestOffsets(): Map<number, number> {
    const lowest = new Map<number, number>();
    for (let i = 0; i < this.#length; i += 1)
      lowest.set(this.#partition[i], Math.min(lowest.get(this.#partition[i]) ?? Infinity, this.#offset[i]));
    return lowest;
  }

  /** Calls `visit` with the partition and offset of every message, in arrival order (the accounting's walk). */
  forEachOffset(visit: (partition: number, offset: number) => void): void {
    for (let i = 0; i < this.#length; i += 1) visit(this.#partition[i], this.#offset[i]);
  }

  /** Every decoded value, in arrival order (null where values are not kept). */
  *values(): Generator<unknown> {
    for (let i = 0; i < this.#length; i += 1) yield this.valueAt(i);
  }

  /** Messages whose producer timestamp is after `at`. */
  countProducedAfter(at: number): number {
    let count = 0;
    for (let i = 0; i < this.#length; i += 1) if (this.#producedAt[i] > at) count += 1;
    return count;
  }

  /** The earliest receive time of a message produced after `at` (Infinity when none). */
  firstReceivedOfProducedAfter(at: number): number {
    let first = Infinity;
    for (let i = 0; i < this.#length; i += 1)
      if (this.#producedAt[i] > at) first = Math.min(first, this.#receivedAt[i]);
    return first;
  }

  /** The last message's receive time, or undefined when nothing was received. */
  lastReceivedAt(): number | undefined {
    return this.#length ? this.#receivedAt[this.#length - 1] : undefined;
  }

  /** Bytes held by the columns and values: what "compact" costs. */
  get retainedBytes(): number {
    return this.#partition.length * (4 + 8 + 8 + 8 + 4 + 4 + 4 + 4) + this.#values.allocatedBytes;
  }

  #internKey(key: string): number {
    let id = this.#keyIds.get(key);
    if (id === undefined) {
      id = this.#keys.length;
      this.#keys.push(key);
      this.#keyIds.set(key, id);
    }
    return id;
  }

  #grow(): void {
    const capacity = this.#partition.length * 2;
    const grow = <T extends Int32Array | Float64Array>(array: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(array);
      return next;
    };
    this.#partition = grow(this.#partition, (n) => new Int32Array(n));
    this.#offset = grow(this.#offset, (n) => new Float64Array(n));
    this.#producedAt = grow(this.#producedAt, (n) => new Float64Array(n));
    this.#receivedAt = grow(this.#receivedAt, (n) => new Float64Array(n));
    this.#keyIndex = grow(this.#keyIndex, (n) => new Int32Array(n));
    this.#valueChunk = grow(this.#valueChunk, (n) => new Int32Array(n));
    this.#valueStart = grow(this.#valueStart, (n) => new Int32Array(n));
    this.#valueLength = grow(this.#valueLength, (n) => new Int32Array(n));
  }
}

export function decodeValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    const poison: PoisonValue = { poison: true, raw: raw.slice(0, 200), error: (error as Error).message };
    return poison;
  }
}

export function isPoison(value: unknown): value is PoisonValue {
  return typeof value === 'object' && value !== null && (value as PoisonValue).poison === true;
}

/** A fetched message as both clients hand it over: offsets and timestamps as strings. */
interface BatchMessage {
  offset: string;
  key: Buffer | null;
  timestamp: string;
  value: Buffer | null;
}

/**
 * Records a whole batch handed over at one instant (that is every message's receive
 * time) in a member's log and the group's tally; returns the last offset, or undefined
 * for an empty batch. The no-delay path of both the kafkajs and the librdkafka member.
 */
export function recordBatch(
  log: ReceivedLog,
  tally: { add(partition: number, offset: number): void },
  partition: number,
  messages: readonly BatchMessage[],
): string | undefined {
  const receivedAt = Date.now();
  for (let i = 0; i < messages.length; i += 1) {
    const message = messages[i];
    const offset = Number(message.offset);
    log.append(partition, offset, message.key, Number(message.timestamp), receivedAt, message.value);
    tally.add(partition, offset);
  }
  return messages.length > 0 ? messages[messages.length - 1].offset : undefined;
}
