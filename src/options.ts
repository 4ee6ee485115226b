import type { ProcessingTime } from './consume/work';
import { LabError, type LabErrorCode } from './errors';

/*
 * Every default and every option validation of the lab, in one place (the
 * habit of platformatic/kafka's options.ts). The CLI, the scenarios, KafkaLab,
 * consumer groups and the producer all read their defaults here and refuse a
 * bad value through the same validator, so they refuse the same things with
 * the same message: what was wrong, what is valid, and how to fix it.
 */

/** Which field of a retail row becomes the message key (and so picks the partition). */
export type KeyStrategy = 'none' | 'invoice' | 'customer' | 'country' | 'stockCode';
export const KEY_STRATEGIES: readonly KeyStrategy[] = ['none', 'invoice', 'customer', 'country', 'stockCode'];

/** Where a group with no committed offsets starts reading. */
export type StartFrom = 'earliest' | 'latest';
export const START_POSITIONS: readonly StartFrom[] = ['earliest', 'latest'];

/** When offsets are committed: periodically by the client, or after each batch is processed. */
export type CommitMode = 'auto' | 'after-processing';
export const COMMIT_MODES: readonly CommitMode[] = ['auto', 'after-processing'];

/**
 * The consumer group protocol: 'eager' (classic, every member gives up every
 * partition at each rebalance), 'cooperative-sticky' (classic, incremental),
 * 'consumer' (KIP-848: the broker assigns, members reconcile incrementally).
 */
export type GroupProtocol = 'eager' | 'cooperative-sticky' | 'consumer';
export const GROUP_PROTOCOLS: readonly GroupProtocol[] = ['eager', 'cooperative-sticky', 'consumer'];

/**
 * The Kafka client a group member runs on: kafkajs or librdkafka (@confluentinc/kafka-javascript)
 * in this process, or Kafka's own Java consumer (one child process per member).
 */
export type GroupClient = 'kafkajs' | 'confluent' | 'java';
export const GROUP_CLIENTS: readonly GroupClient[] = ['kafkajs', 'confluent', 'java'];

/** The client the producer sends through: librdkafka (@confluentinc/kafka-javascript) or kafkajs. */
export type ProduceTransportName = 'librdkafka' | 'kafkajs';
export const PRODUCE_TRANSPORTS: readonly ProduceTransportName[] = ['librdkafka', 'kafkajs'];

/** How a share-group member acknowledges: every record accepted, or per record (poison rejected, listed keys released). */
export type ShareAckMode = 'auto' | 'explicit';
export const SHARE_ACK_MODES: readonly ShareAckMode[] = ['auto', 'explicit'];

/** The queue scenario reads as a share group (KIP-932) or as a consumer group. */
export type GroupType = 'share' | 'consumer';
export const GROUP_TYPES: readonly GroupType[] = ['share', 'consumer'];

/** The partition assignor of the eager protocol. */
export type EagerAssignor = 'roundrobin' | 'range';
export const EAGER_ASSIGNORS: readonly EagerAssignor[] = ['roundrobin', 'range'];

export const MAX_CONSUMERS = 100;
export const MAX_PARTITIONS = 1000;

/**
 * Client ports of the local brokers `kafka-lab broker start [--sasl | --tls]` runs, and the
 * variables that move them; each broker's controller uses the next port. All clear of the
 * chaos clusters' fixed ports (9292-9297, 9392).
 */
export const BROKER_PORTS = {
  plain: { variable: 'KAFKA_LAB_PORT', port: 9092 },
  sasl: { variable: 'KAFKA_LAB_SASL_PORT', port: 9192 },
  tls: { variable: 'KAFKA_LAB_TLS_PORT', port: 9492 },
} as const;

/** The lab's defaults. Change one here and the CLI, the helper and the scenarios follow. */
export const DEFAULTS = {
  /** Consumers in a group. */
  consumers: 3,
  /** Partitions of a topic the lab creates. */
  partitions: 6,
  /** Rows of the cleaned data set a basic run sends. */
  rows: 5_000,
  /** The key a basic run (`kafka-lab run`) produces with: customers spread over partitions. */
  runKey: 'customer' as KeyStrategy,
  /** The key `produce` uses when none is given. */
  produceKey: 'none' as KeyStrategy,
  from: 'earliest' as StartFrom,
  commit: 'after-processing' as CommitMode,
  protocol: 'eager' as GroupProtocol,
  assignor: 'roundrobin' as EagerAssignor,
  /** How long to wait for every produced message to be received. */
  receiveTimeoutMs: 120_000,
  /** How long to wait for every member of a group to have its assignment. */
  assignmentTimeoutMs: 60_000,
  /** How long a silent member keeps its partitions (classic protocol). */
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 500,
  /** Messages per produce request. */
  batchSize: 2_000,
  /** Lag sampling interval. */
  lagIntervalMs: 500,
  /** The group-protocol scenario (`kafka-lab rebalance`, notebook 06). */
  rebalance: { consumers: 4, partitions: 12, ratePerSec: 400, stepSeconds: 2 },
  /** The ledger (`kafka-lab ledger`, notebook 07): a processor killed mid-stream, batch vs stream revenue. */
  ledger: {
    /** Cleaned rows sent through the processor (the first N, in file order); undefined: all of the data set. */
    rows: undefined as number | undefined,
    partitions: 3,
    /** Poison messages spread through the input: non-JSON, a row the cleaning rules reject, one over the size limit, in turn. */
    poison: 3,
    kills: 0,
    /** Messages per transaction (exactly-once) or per send + commit (at-least-once). */
    chunkSize: 100,
    /** Short, so that a killed processor's partitions come back to its successor within seconds. */
    sessionTimeoutMs: 3_000,
    /** A retail row is about 250 bytes; a value over this is dead-lettered as too large. */
    maxValueBytes: 16 * 1024,
    /** Exactly-once runs start with the zombie-fencing demonstration. */
    zombie: true,
    /** The whole run gives up after this long. */
    timeoutMs: 15 * 60_000,
  },
  /** The day replay (`kafka-lab replay`, notebook 08). */
  replay: {
    date: '2010-12-09',
    /** Event time runs this many times faster than the wall clock: 600 plays a 12-hour day in 72 s. */
    speedup: 600,
    consumers: 2,
    partitions: 6,
    key: 'customer' as KeyStrategy,
    /** How often the lab's own sampler reads lag (in-process, no broker request). */
    sampleIntervalMs: 250,
    /** How often the witness asks the broker. */
    witnessIntervalMs: 1000,
    sessionTimeoutMs: 10_000,
    /**
     * A slow member commits (and heartbeats) about every 500 ms of work. Committing
     * every message would make a member that owns one partition wait for a commit
     * round trip per message, so it would process more slowly after a scale-out
     * (one partition each) than before (several): the rate observed before would
     * not hold after, and the prediction would miss.
     */
    commitWorkMs: 500,
  },
  /** The poll-deadline storm and its fix (notebook 08). */
  pollDeadline: {
    messages: 800,
    partitions: 2,
    consumers: 2,
    processingMs: 10,
    /** The group's deadline: kafkajs members are thrown out after this long without a heartbeat. */
    sessionTimeoutMs: 2_000,
    /** How long the naive group is watched (it never finishes on its own). */
    watchMs: 20_000,
  },
  /** Share groups (startShareGroup). */
  share: {
    consumers: 3,
    ack: 'auto' as ShareAckMode,
    /** The group's share.record.lock.duration.ms: how long a delivered record stays locked to its member (Kafka: 30 s). */
    lockTimeoutMs: 5_000,
    /** The group's share.delivery.count.limit: deliveries before a record is archived (Kafka: 5). */
    maxDeliveries: 5,
    from: 'earliest' as StartFrom,
    processingDelayMs: 0,
    /** Records handed to a member per poll (Kafka: 500); fewer spreads a small stream over more members. */
    maxPollRecords: 100,
    /** Twelve JVMs starting at once on a busy 2-core machine took over a minute here. */
    startTimeoutMs: 180_000,
  },
  /** The queues-versus-logs scenario (`kafka-lab queue`, notebook 09). */
  queue: {
    groupType: 'share' as GroupType,
    consumers: 12,
    partitions: 3,
    rows: 5_000,
    key: 'customer' as KeyStrategy,
    kill: 0,
    /** Slow enough that every member is in the group while the stream runs. */
    ratePerSec: 1_000,
    lockTimeoutMs: 5_000,
    maxDeliveries: 5,
    /** Share members' work per record, so that a member holds records when it is killed. */
    processingDelayMs: 2,
    /** Consumer groups (classic protocol): how long a killed member keeps its partitions. */
    sessionTimeoutMs: 6_000,
    /** The kill happens after this share of the rows has been received. */
    killAfterFraction: 0.3,
    /** How long the kill waits for as many busy members as it should kill. */
    busyWaitMs: 15_000,
    timeoutMs: 180_000,
  },
} as const;

/** The ledger's delivery guarantees (issue 15). */
export type Guarantee = 'at-least-once' | 'exactly-once';
export const GUARANTEES: readonly Guarantee[] = ['at-least-once', 'exactly-once'];
export const MAX_KILLS = 100;
export const MAX_POISON = 1000;

export const MIN_SPEEDUP = 1;
export const MAX_SPEEDUP = 100_000;
/** The longest processing time per message a slow consumer may be given. */
export const MAX_SLOW_MS = 60_000;

/** What the local broker allows per share group (brokerConfig.ts lowers the lock minimum to 1 s; Kafka's delivery limits are 2 to 10). */
export const SHARE_LIMITS = { lockTimeoutMs: [1_000, 60_000], maxDeliveries: [2, 10] } as const;

/**
 * Throws the lab's one INVALID_OPTION phrasing: `Invalid <name>: <value>.
 * Expected <valid>.` and, when given, how to fix it.
 */
export function invalidOption(
  name: string,
  value: unknown,
  valid: string,
  fix?: string,
  code: LabErrorCode = 'INVALID_OPTION',
): never {
  throw new LabError(code, `Invalid ${name}: ${shown(value)}. Expected ${valid}.${fix ? ` ${fix}` : ''}`);
}

function shown(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

function oneOf(values: readonly string[]): string {
  return values.length === 2 ? `"${values[0]}" or "${values[1]}"` : `one of ${values.map((v) => `"${v}"`).join(', ')}`;
}

/** A whole number from `min` to `max` (inclusive), or the INVALID_OPTION error naming `name`. */
export function validateWholeNumber(
  name: string,
  value: unknown,
  min: number,
  max = Infinity,
  unit = '',
): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
    invalidOption(name, value, `a whole number${unit ? ` of ${unit}` : ''} ${range}`);
  }
}

export function validateConsumerCount(consumers: unknown): asserts consumers is number {
  validateWholeNumber('consumer count', consumers, 1, MAX_CONSUMERS, 'consumers');
}

export function validatePartitionCount(partitions: unknown): asserts partitions is number {
  validateWholeNumber('partition count', partitions, 1, MAX_PARTITIONS, 'partitions');
}

/** The group-protocol scenario needs two consumers or more: one leaves, another restarts. */
export function validateRebalanceConsumers(consumers: unknown): asserts consumers is number {
  validateConsumerCount(consumers);
  if (consumers < 2)
    invalidOption('consumer count', consumers, 'at least 2 for this scenario (one consumer leaves, another restarts)');
}

export function validateRowCount(rows: unknown, min = 1): asserts rows is number {
  validateWholeNumber('rows', rows, min, Infinity, 'rows');
}

export function validateKeyStrategy(key: unknown): asserts key is KeyStrategy {
  if (!KEY_STRATEGIES.includes(key as KeyStrategy)) invalidOption('key strategy', key, oneOf(KEY_STRATEGIES));
}

export function validateStartFrom(from: unknown): asserts from is StartFrom {
  if (!START_POSITIONS.includes(from as StartFrom)) invalidOption('start position', from, oneOf(START_POSITIONS));
}

export function validateCommitMode(commit: unknown): asserts commit is CommitMode {
  if (!COMMIT_MODES.includes(commit as CommitMode)) invalidOption('commit mode', commit, oneOf(COMMIT_MODES));
}

export function validateProtocol(protocol: unknown): asserts protocol is GroupProtocol {
  if (!GROUP_PROTOCOLS.includes(protocol as GroupProtocol)) invalidOption('protocol', protocol, oneOf(GROUP_PROTOCOLS));
}

export function validateClient(client: unknown): asserts client is GroupClient {
  if (!GROUP_CLIENTS.includes(client as GroupClient)) invalidOption('client', client, oneOf(GROUP_CLIENTS));
}

/** `name` is the option (`transport`) or the environment variable (KAFKA_LAB_TRANSPORT) it came from. */
export function validateTransport(name: string, transport: unknown): asserts transport is ProduceTransportName {
  if (!PRODUCE_TRANSPORTS.includes(transport as ProduceTransportName))
    invalidOption(name, transport, oneOf(PRODUCE_TRANSPORTS));
}

export function validateAssignor(assignor: unknown): asserts assignor is EagerAssignor {
  if (!EAGER_ASSIGNORS.includes(assignor as EagerAssignor))
    invalidOption('assignor', assignor, `${oneOf(EAGER_ASSIGNORS)} (eager protocol)`);
}

export function validateShareAck(ack: unknown): asserts ack is ShareAckMode {
  if (!SHARE_ACK_MODES.includes(ack as ShareAckMode)) invalidOption('ack', ack, oneOf(SHARE_ACK_MODES));
}

export function validateLockTimeout(ms: unknown): asserts ms is number {
  validateWholeNumber(
    'lockTimeoutMs',
    ms,
    SHARE_LIMITS.lockTimeoutMs[0],
    SHARE_LIMITS.lockTimeoutMs[1],
    'milliseconds',
  );
}

export function validateMaxDeliveries(count: unknown): asserts count is number {
  validateWholeNumber('maxDeliveries', count, SHARE_LIMITS.maxDeliveries[0], SHARE_LIMITS.maxDeliveries[1]);
}

export function validateProcessingDelay(ms: unknown): asserts ms is number {
  validateWholeNumber('processingDelayMs', ms, 0, 10_000, 'milliseconds');
}

export function validateGroupType(type: unknown): asserts type is GroupType {
  if (!GROUP_TYPES.includes(type as GroupType)) invalidOption('group type', type, oneOf(GROUP_TYPES));
}

/** Members to kill mid-stream: at least one must survive to finish the stream. */
/**
 * Members to kill mid-stream: at least one must survive, and only busy members are killed,
 * so no more than can be busy (a consumer group with more members than partitions leaves
 * the rest idle: `busyAtMost` is then the partition count).
 */
export function validateMemberKills(kill: unknown, consumers: number, busyAtMost = consumers): asserts kill is number {
  validateWholeNumber('kill', kill, 0, consumers - 1, 'members (at least one must survive)');
  if (kill > busyAtMost)
    invalidOption(
      'kill',
      kill,
      `at most ${busyAtMost}, the members that can be busy (${consumers} consumers on ${busyAtMost} partitions: the others idle)`,
      'Only a member that is receiving records is killed.',
    );
}

/** A positive, finite rate, or undefined for no limit. */
export function validateRate(name: string, rate: unknown): void {
  if (rate !== undefined && (typeof rate !== 'number' || !(rate > 0) || !Number.isFinite(rate))) {
    invalidOption(name, rate, 'a positive number', 'Leave it out for no limit.');
  }
}

/** A replay speed-up: event time runs this many times faster than the wall clock. */
export function validateSpeedup(speedup: unknown): asserts speedup is number {
  if (typeof speedup !== 'number' || !Number.isFinite(speedup) || speedup < MIN_SPEEDUP || speedup > MAX_SPEEDUP) {
    invalidOption(
      'speedup',
      speedup,
      `a number from ${MIN_SPEEDUP} (real time) to ${MAX_SPEEDUP.toLocaleString('en')}`,
      '600 plays a 12-hour trading day in 72 s.',
    );
  }
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A time of day written HH:MM (shop time of a replayed day). */
export function validateTimeOfDay(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !TIME_OF_DAY.test(value))
    invalidOption(name, value, 'a time of day written HH:MM, e.g. 12:00');
}

/** Processing time per message of a slow consumer, ms. */
export function validateSlowMs(slowMs: unknown): asserts slowMs is number {
  if (typeof slowMs !== 'number' || !Number.isFinite(slowMs) || slowMs < 0 || slowMs > MAX_SLOW_MS) {
    invalidOption('slowMs', slowMs, `milliseconds of processing per message, from 0 (no delay) to ${MAX_SLOW_MS}`);
  }
}

const SLOW_DIST = /^(fixed|exp|uniform):(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/;

/**
 * `--slow-dist`: a processing time per message drawn from a distribution, as
 * `fixed:50`, `exp:50` (exponential, mean 50 ms) or `uniform:20-80`.
 */
export function parseSlowDistribution(text: unknown): ProcessingTime {
  const match = typeof text === 'string' ? SLOW_DIST.exec(text.trim()) : null;
  const expected = `fixed:MS, exp:MEAN_MS (exponential) or uniform:MIN-MAX, in milliseconds from 0 to ${MAX_SLOW_MS} (e.g. exp:50, uniform:20-80)`;
  if (!match) return invalidOption('slow-dist', text, expected);
  const [, kind, a, b] = match;
  const first = Number(a);
  const second = b === undefined ? undefined : Number(b);
  const inRange = (ms: number) => ms >= 0 && ms <= MAX_SLOW_MS;
  if (kind === 'uniform' && second !== undefined && inRange(first) && inRange(second) && first <= second)
    return { kind: 'uniform', minMs: first, maxMs: second };
  if (kind === 'fixed' && second === undefined && inRange(first)) return { kind: 'fixed', ms: first };
  if (kind === 'exp' && second === undefined && first > 0 && inRange(first))
    return { kind: 'exponential', meanMs: first };
  return invalidOption('slow-dist', text, expected);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A trading day of the data set. The error lists the valid days (all of them
 * up to a month's worth, else the range and the nearest four).
 */
export function validateTradingDay(name: string, date: unknown, dates: readonly string[]): asserts date is string {
  if (typeof date === 'string' && DATE.test(date) && dates.includes(date)) return;
  if (dates.length === 0) throw new LabError('DATASET_INVALID', 'The data set has no rows to replay.');
  const wellFormed = typeof date === 'string' && DATE.test(date);
  const listed =
    dates.length <= 31
      ? `: ${dates.join(', ')}`
      : `; the nearest are ${nearestDates(wellFormed ? date : '', dates).join(', ')}`;
  invalidOption(
    name,
    date,
    `${wellFormed ? 'a trading day of the data set' : 'a date written YYYY-MM-DD, a trading day of the data set'} (${dates.length} days from ${dates[0]} to ${dates[dates.length - 1]})${listed}`,
    'Saturdays and 2010-12-24 to 2011-01-03 have no trade.',
  );
}

function nearestDates(date: string, dates: readonly string[]): string[] {
  const t = DATE.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  if (!Number.isFinite(t)) return [dates[0], dates[1], dates[dates.length - 1]].filter(Boolean);
  const distance = (d: string) => Math.abs(Date.parse(`${d}T00:00:00Z`) - t);
  return [...dates]
    .sort((a, b) => distance(a) - distance(b) || a.localeCompare(b))
    .slice(0, 4)
    .sort();
}

/** Topic names Kafka accepts: 1 to 249 of letters, digits, '.', '_' and '-', and not "." or "..". */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export function validateTopicName(topic: unknown): asserts topic is string {
  if (typeof topic !== 'string' || !TOPIC_NAME.test(topic) || topic === '.' || topic === '..') {
    invalidOption(
      'topic name',
      topic,
      `1 to 249 characters of letters, digits, '.', '_' and '-', and not "." or ".."`,
      undefined,
      'INVALID_TOPIC',
    );
  }
}

/**
 * A commander parser for a command-line flag: it hands the validator the value
 * as the helper would get it (a number when the text is one), so the CLI
 * refuses exactly what the helper refuses, with the same message.
 */
export function cliNumber(validate: (value: unknown) => void): (text: string) => number {
  return (text: string) => {
    const value = /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
    validate(value);
    return value as number;
  };
}

/** The same for a flag whose value is one of a list (key, from, commit, protocol). */
export function cliChoice<T extends string>(validate: (value: unknown) => asserts value is T): (text: string) => T {
  return (text: string) => {
    validate(text);
    return text;
  };
}

export function validateGuarantee(guarantee: unknown): asserts guarantee is Guarantee {
  if (!GUARANTEES.includes(guarantee as Guarantee)) invalidOption('guarantee', guarantee, oneOf(GUARANTEES));
}

/** `--kills N`: how many times the ledger's processor is killed, at evenly spaced points of the input. */
export function validateKillCount(kills: unknown): asserts kills is number {
  validateWholeNumber('kills', kills, 0, MAX_KILLS, 'kills');
}

/** `--kill-every S`: seconds of processing between two kills. */
export function validateKillEvery(seconds: unknown): asserts seconds is number {
  if (typeof seconds !== 'number' || !(seconds > 0) || !Number.isFinite(seconds)) {
    invalidOption(
      'kill-every',
      seconds,
      'a number of seconds greater than 0',
      'For example --kill-every 2 or --kill-every 0.5.',
    );
  }
}

/** Kills at points of the input, or by the clock: not both. */
export function validateKillMode(kills: number, killEvery: number | undefined): void {
  if (kills > 0 && killEvery !== undefined)
    invalidOption('kills', kills, 'either --kills or --kill-every, not both', 'Leave one of them out.');
}

export function validatePoisonCount(poison: unknown): asserts poison is number {
  validateWholeNumber('poison', poison, 0, MAX_POISON, 'poison messages');
}
