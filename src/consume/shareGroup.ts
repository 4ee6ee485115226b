import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { ConnectionSettings } from '../config/connection';
import { LabError } from '../errors';
import {
  DEFAULTS,
  invalidOption,
  validateConsumerCount,
  validateLockTimeout,
  validateMaxDeliveries,
  validateProcessingDelay,
  validateShareAck,
  validateStartFrom,
  validateTopicName,
  type ShareAckMode,
  type StartFrom,
} from '../options';
import { waitUntil } from '../util/waitUntil';
import type { GroupEvent } from '../observe/groupTimeline';
import type { GroupMember } from './groupMember';
import { assertJavaMembersCanRun, JavaProcess, labJavaClass, runLabJava, writeClientConfig } from './javaProcess';
import type { ConsumerState } from './labConsumer';
import { ReceivedLog } from './receivedLog';

/** What a member did with one delivery. */
export type ShareAckType = 'accept' | 'release' | 'reject';
export type { ShareAckMode } from '../options';

function validateShareGroupOptions(options: ShareGroupOptions): void {
  validateTopicName(options.topic);
  validateConsumerCount(options.consumers ?? DEFAULTS.share.consumers);
  validateStartFrom(options.from ?? DEFAULTS.share.from);
  const ack = options.ack ?? DEFAULTS.share.ack;
  validateShareAck(ack);
  if (options.lockTimeoutMs !== undefined) validateLockTimeout(options.lockTimeoutMs);
  if (options.maxDeliveries !== undefined) validateMaxDeliveries(options.maxDeliveries);
  if (options.processingDelayMs !== undefined) validateProcessingDelay(options.processingDelayMs);
  if (options.releaseKeys && ack !== 'explicit')
    invalidOption(
      'releaseKeys',
      options.releaseKeys,
      "to be used with ack: 'explicit'",
      "With ack: 'auto' every record is accepted.",
    );
}

// ---- The group ----

/** What src/java/ShareGroupSetup.java prints. */
interface SetupAnswer {
  e: 'ready' | 'members' | 'error';
  code?: string;
  message?: string;
  shareVersion?: number;
}

export interface ShareGroupOptions {
  topic: string;
  /** Default 3; share groups may have more members than partitions and all of them get records. */
  consumers?: number;
  /** Default: a fresh name. */
  groupId?: string;
  /** Default 'auto' (accept every record). 'explicit': reject poison (not a JSON object), release `releaseKeys`, accept the rest. */
  ack?: ShareAckMode;
  /** The group's record lock duration; default 5 s. */
  lockTimeoutMs?: number;
  /** The group's delivery count limit; default 5. */
  maxDeliveries?: number;
  /** Where a new share group starts (the group's share.auto.offset.reset); default 'earliest'. */
  from?: StartFrom;
  /** Explicit mode: records with these keys are released each time (until archived at maxDeliveries). */
  releaseKeys?: string[];
  /** Per record, to make processing take time (so a killed member holds records). Default 0. */
  processingDelayMs?: number;
  maxPollRecords?: number;
  /** Where the members connect; default: the lab's connection. */
  connection: ConnectionSettings;
  startTimeoutMs?: number;
}

/** One record as a share-group member received it: with its delivery count and what the member did. */
export interface ShareDelivery {
  consumer: string;
  partition: number;
  offset: number;
  key: string | null;
  producedAt: number;
  receivedAt: number;
  deliveryCount: number;
  ack: ShareAckType;
  poison: boolean;
  /** True once the member's acknowledgement of this delivery was committed; a member killed before that leaves it to come back. */
  committed: boolean;
  /**
   * True when `committed` is inferred, not printed: the member was killed after the broker took
   * its commit but before it could say so. An acknowledgement the broker never took releases the
   * record at the lock timeout, to another member; a record not back long after that was taken.
   */
  committedAtKill: boolean;
}

/** How long past the lock timeout a killed member's unconfirmed record may take to come back. */
export const REDELIVERY_GRACE_MS = 10_000;

/**
 * Marks a killed member's unconfirmed deliveries that never came back, long after their lock
 * expired, as committed (`committedAtKill`): the kill fell between the broker taking the member's
 * commit and the member printing "committed". Every other delivery is returned as it was.
 */
export function markCommittedAtKill(
  deliveries: ShareDelivery[],
  killedAt: ReadonlyMap<string, number | undefined>,
  lockTimeoutMs: number,
  now: number,
): ShareDelivery[] {
  const latestCount = new Map<string, number>();
  for (const d of deliveries) {
    const id = `${d.partition}:${d.offset}`;
    latestCount.set(id, Math.max(latestCount.get(id) ?? 0, d.deliveryCount));
  }
  for (const d of deliveries) {
    const killed = killedAt.get(d.consumer);
    if (
      !d.committed &&
      killed !== undefined &&
      now - killed > lockTimeoutMs + REDELIVERY_GRACE_MS &&
      (latestCount.get(`${d.partition}:${d.offset}`) ?? 0) <= d.deliveryCount
    ) {
      d.committed = true;
      d.committedAtKill = true;
    }
  }
  return deliveries;
}

export type ShareMemberState = ConsumerState | 'killed';

/**
 * A delivery settles its record when the member's acknowledgement of it was committed
 * and is final: accepted, rejected, or released at the delivery limit (Kafka archives it).
 */
export function isSettled(
  committed: boolean,
  ack: ShareAckType,
  deliveryCount: number,
  maxDeliveries: number,
): boolean {
  return committed && (ack !== 'release' || deliveryCount >= maxDeliveries);
}

/**
 * One member of a share group: a Java process running Kafka's KafkaShareConsumer
 * (src/java/ShareMember.java). It fits the GroupMember interface, so accounting and
 * tables work unchanged; `partitions` are the partitions it received records from
 * (a share group has no exclusive assignment).
 */
export class ShareMember implements GroupMember {
  readonly id: string;
  readonly log: ReceivedLog;
  readonly deliveryCounts: number[] = [];
  readonly acks: ShareAckType[] = [];
  readonly poison: boolean[] = [];
  /** Per delivery: its acknowledgement committed (the member printed "committed" after it, and its partition did not fail). */
  readonly committed: boolean[] = [];
  readonly instanceId = undefined;
  readonly memberId = undefined;
  readonly errors: string[] = [];
  #state: ShareMemberState = 'starting';
  #started = false;
  readonly #partitions = new Set<number>();
  #process: JavaProcess | undefined;
  /** Deliveries printed since the member's last commit. */
  #uncommitted: number[] = [];
  readonly #args: string[];
  readonly #cleanup: string | undefined;
  readonly #onEvent: (event: GroupEvent) => void;

  constructor(id: string, args: string[], cleanup: string | undefined, onEvent: (event: GroupEvent) => void) {
    this.id = id;
    this.log = new ReceivedLog(id);
    this.#args = args;
    this.#cleanup = cleanup;
    this.#onEvent = onEvent;
  }

  /** 'joined' once the member has subscribed; 'crashed' when killed or when its process failed. */
  get state(): ConsumerState {
    return this.#state === 'killed' ? 'crashed' : this.#state;
  }

  /** True when the member was killed with SIGKILL. */
  get killed(): boolean {
    return this.#state === 'killed';
  }

  get partitions(): number[] {
    return [...this.#partitions].sort((a, b) => a - b);
  }

  get active(): boolean {
    return this.#state === 'starting' || this.#state === 'joined';
  }

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  /** Deliveries printed since the member's last commit: not settled yet (lost if it is killed now). */
  get uncommittedCount(): number {
    return this.#uncommitted.length;
  }

  /** The member's client.id: how the group's description names it. */
  get clientId(): string {
    return this.#args[this.#args.indexOf('--client-id') + 1];
  }

  async start(): Promise<void> {
    const { classpath, mainArgs } = await labJavaClass('ShareMember');
    this.#process = await JavaProcess.launch({
      classpath,
      main: [...mainArgs, ...this.#args],
      cleanup: this.#cleanup,
      onEvent: (event) => this.#handle(event),
      onExit: (code, signal) => {
        if (this.#state === 'killed' || this.#state === 'stopped') return;
        this.#state = 'crashed';
        this.errors.push(
          `exited (${signal ?? `code ${code}`}): ${this.#process?.stderrTail().split('\n').slice(-3).join(' | ')}`,
        );
      },
    });
    this.#onEvent({ at: Date.now(), consumer: this.id, type: 'join', detail: `pid ${this.#process.pid}` });
  }

  /** Resolves once the member has subscribed (not yet joined: ShareGroupRun waits for that), or throws if its process ended first. */
  async waitStarted(timeoutMs: number): Promise<void> {
    await waitUntil(() => this.#started || !this.active, timeoutMs, `share member ${this.id} to start`);
    if (!this.#started)
      throw new LabError(
        'JAVA_MISSING',
        `Share member ${this.id} did not start: ${this.errors.join('; ') || this.#process?.stderrTail()}`,
      );
  }

  /** SIGTERM: finishes nothing more, releases what it holds unprocessed, leaves the group. */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.#state = 'stopped';
    await this.#process?.stop();
    this.#onEvent({ at: Date.now(), consumer: this.id, type: 'leave' });
  }

  /** When it was killed with SIGKILL, if it was. */
  killedAt: number | undefined;

  /** SIGKILL: records it holds stay locked until the group's lock timeout, then go to other members. */
  async kill(): Promise<void> {
    if (!this.active) return;
    this.#state = 'killed';
    this.killedAt = Date.now();
    await this.#process?.kill();
    this.#onEvent({ at: Date.now(), consumer: this.id, type: 'crash', detail: 'SIGKILL' });
  }

  deliveries(): ShareDelivery[] {
    return Array.from({ length: this.log.length }, (_, i) => ({
      consumer: this.id,
      partition: this.log.partitionAt(i),
      offset: this.log.offsetAt(i),
      key: this.log.keyAt(i),
      producedAt: this.log.producedAtOf(i),
      receivedAt: this.log.receivedAtOf(i),
      deliveryCount: this.deliveryCounts[i],
      ack: this.acks[i],
      poison: this.poison[i],
      committed: this.committed[i],
      committedAtKill: false,
    }));
  }

  #handle(event: Record<string, unknown>): void {
    switch (event.e) {
      case 'started':
        this.#started = true;
        if (this.#state === 'starting') this.#state = 'joined';
        return;
      case 'record': {
        const partition = event.p as number;
        this.#partitions.add(partition);
        const key = event.k === null ? null : Buffer.from(String(event.k));
        const value = event.v === null ? null : Buffer.from(String(event.v));
        this.log.append(partition, event.o as number, key, event.ts as number, event.at as number, value);
        this.deliveryCounts.push(event.d as number);
        this.acks.push(event.ack as ShareAckType);
        this.poison.push(event.poison === true);
        this.committed.push(false);
        this.#uncommitted.push(this.log.length - 1);
        return;
      }
      case 'committed': {
        const failed = new Set((event.failed as number[] | undefined) ?? []);
        for (const index of this.#uncommitted) this.committed[index] = !failed.has(this.log.partitionAt(index));
        this.#uncommitted = [];
        return;
      }
      case 'error':
        this.errors.push(String(event.message));
        return;
      default:
    }
  }
}

/**
 * A share group (KIP-932, "queues for Kafka"): N members that share the records
 * of every partition, each record locked to one member at a time, acknowledged,
 * released or rejected one by one, with a delivery count. Members are Java
 * processes; they can be added, stopped or killed while the stream runs.
 */
export class ShareGroupRun {
  readonly groupId: string;
  readonly topic: string;
  readonly ack: ShareAckMode;
  readonly lockTimeoutMs: number;
  readonly maxDeliveries: number;
  readonly members: ShareMember[] = [];
  readonly events: GroupEvent[] = [];
  readonly #options: ShareGroupOptions;
  #nextId = 1;

  private constructor(options: ShareGroupOptions) {
    this.#options = options;
    this.topic = options.topic;
    this.groupId = options.groupId ?? `lab-share-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    this.ack = options.ack ?? DEFAULTS.share.ack;
    this.lockTimeoutMs = options.lockTimeoutMs ?? DEFAULTS.share.lockTimeoutMs;
    this.maxDeliveries = options.maxDeliveries ?? DEFAULTS.share.maxDeliveries;
  }

  static async start(options: ShareGroupOptions): Promise<ShareGroupRun> {
    validateShareGroupOptions(options);
    assertJavaMembersCanRun();
    const run = new ShareGroupRun(options);
    await run.#configureGroup();
    try {
      const count = options.consumers ?? DEFAULTS.share.consumers;
      const members = await Promise.all(Array.from({ length: count }, () => run.#launch()));
      await Promise.all(
        members.map((member) => member.waitStarted(options.startTimeoutMs ?? DEFAULTS.share.startTimeoutMs)),
      );
      await run.#waitForMembership();
    } catch (error) {
      await run.stop();
      throw error;
    }
    return run;
  }

  /** Members still running. */
  get active(): ShareMember[] {
    return this.members.filter((member) => member.active);
  }

  /** Every delivery to every member, in member order then arrival order. */
  deliveries(now = Date.now()): ShareDelivery[] {
    const killedAt = new Map(this.members.map((member) => [member.id, member.killedAt]));
    return markCommittedAtKill(
      this.members.flatMap((member) => member.deliveries()),
      killedAt,
      this.lockTimeoutMs,
      now,
    );
  }

  /** Records delivered, repeats included. */
  get received(): number {
    return this.members.reduce((sum, member) => sum + member.log.length, 0);
  }

  /**
   * Distinct records whose fate is settled: accepted, rejected, or released for the
   * last time (at the delivery limit Kafka archives it), by an acknowledgement the
   * member committed. A record a member printed and was then killed before committing
   * is not settled: it comes back, to another member, with a higher delivery count.
   * What "done" means for a queue.
   */
  settledCount(): number {
    return this.settledRecords().size;
  }

  /** The settled records, as "partition:offset". */
  settledRecords(): Set<string> {
    const settled = new Set<string>();
    for (const d of this.deliveries())
      if (isSettled(d.committed, d.ack, d.deliveryCount, this.maxDeliveries)) settled.add(`${d.partition}:${d.offset}`);
    return settled;
  }

  /** Waits until `count` distinct records are settled (accepted, rejected or archived). */
  async waitForSettled(count: number, timeoutMs = 120_000): Promise<void> {
    await waitUntil(
      () => this.settledCount() >= count,
      timeoutMs,
      `${count} settled records in share group ${this.groupId} (have ${this.settledCount()})`,
      200,
    );
  }

  async addConsumer(): Promise<ShareMember> {
    const member = await this.#launch();
    await member.waitStarted(this.#options.startTimeoutMs ?? DEFAULTS.share.startTimeoutMs);
    await this.#waitForMembership();
    return member;
  }

  async stopConsumer(id?: string): Promise<ShareMember> {
    const member = this.#find(id);
    await member.stop();
    return member;
  }

  /** SIGKILL one member (the first running one by default), mid-stream. */
  async killConsumer(id?: string): Promise<ShareMember> {
    const member = this.#find(id ?? this.active[0]?.id);
    await member.kill();
    return member;
  }

  async stop(): Promise<void> {
    await Promise.all(this.active.map((member) => member.stop().catch(() => undefined)));
  }

  #find(id: string | undefined): ShareMember {
    const member =
      id === undefined ? this.active.at(-1) : this.members.find((candidate) => candidate.id === id && candidate.active);
    if (!member) {
      throw new LabError(
        'INVALID_OPTION',
        `No running member ${id === undefined ? '' : `"${id}" `}in share group ${this.groupId}. Running: ${this.active.map((m) => m.id).join(', ') || 'none'}.`,
      );
    }
    return member;
  }

  #connectionArgs(config: string | undefined): string[] {
    return [
      '--bootstrap-server',
      this.#options.connection.bootstrapServers.join(','),
      ...(config ? ['--config', config] : []),
    ];
  }

  /** Runs src/java/ShareGroupSetup.java (one JVM, off the event loop) and returns its JSON answer. */
  async #setup(args: string[], timeoutMs: number): Promise<{ answer?: SetupAnswer; failure: string }> {
    const config = writeClientConfig(this.#options.connection);
    try {
      const result = await runLabJava(
        'ShareGroupSetup',
        [...this.#connectionArgs(config), '--group-id', this.groupId, ...args],
        timeoutMs,
      );
      const line = result.stdout.split('\n').find((candidate) => candidate.startsWith('{'));
      return {
        answer: line ? (JSON.parse(line) as SetupAnswer) : undefined,
        failure: result.error?.message || result.stderr.slice(-800) || `exit ${result.status}`,
      };
    } finally {
      if (config) fs.rmSync(config, { force: true });
    }
  }

  /** Checks share groups are on, then sets the group's lock duration, delivery limit and start position. */
  async #configureGroup(): Promise<void> {
    const settings = {
      'share.record.lock.duration.ms': this.lockTimeoutMs,
      'share.delivery.count.limit': this.maxDeliveries,
      'share.auto.offset.reset': this.#options.from ?? DEFAULTS.share.from,
    };
    const { answer, failure } = await this.#setup(
      Object.entries(settings).flatMap(([key, value]) => ['--set', `${key}=${value}`]),
      90_000,
    );
    if (answer?.e === 'ready') return;
    if (answer?.code === 'SHARE_GROUPS_DISABLED') {
      throw new LabError(
        'SHARE_GROUPS_DISABLED',
        `The cluster at ${this.#options.connection.describe()} has share groups turned off (feature share.version is ${answer.shareVersion}). ` +
          'Share groups need Kafka 4.2 or newer with share.version 1 or more: `npx kafka-lab kafka-tool kafka-features upgrade --feature share.version=2`, ' +
          'or a broker formatted by this lab (it leaves the release default, on).',
      );
    }
    throw new LabError(
      'BROKER_UNREACHABLE',
      `Could not prepare share group ${this.groupId} at ${this.#options.connection.describe()}: ${answer?.message ?? failure}`,
    );
  }

  /**
   * Waits until the group's description lists every running member: a member's
   * subscribe() returns before it has joined, and a run that produced or counted idle
   * members before then could see a member idle that had simply not joined yet.
   */
  async #waitForMembership(): Promise<void> {
    const timeoutMs = this.#options.startTimeoutMs ?? DEFAULTS.share.startTimeoutMs;
    const { answer, failure } = await this.#setup(
      ['--wait-members', this.active.map((member) => member.clientId).join(','), '--timeout-ms', String(timeoutMs)],
      timeoutMs + 30_000,
    );
    if (answer?.e === 'members') return;
    throw new LabError(
      'BROKER_UNREACHABLE',
      `Share group ${this.groupId} did not list its ${this.active.length} members: ${answer?.message ?? failure}`,
    );
  }

  async #launch(): Promise<ShareMember> {
    const options = this.#options;
    const config = writeClientConfig(options.connection, {
      'max.poll.records': options.maxPollRecords ?? DEFAULTS.share.maxPollRecords,
    });
    const id = `consumer-${this.#nextId++}`;
    const member = new ShareMember(
      id,
      [
        ...this.#connectionArgs(config),
        '--client-id',
        `${this.groupId}-${id}`,
        '--topic',
        this.topic,
        '--group-id',
        this.groupId,
        '--ack',
        this.ack,
        '--release-keys',
        (options.releaseKeys ?? []).join(','),
        '--delay-ms',
        String(options.processingDelayMs ?? DEFAULTS.share.processingDelayMs),
      ],
      config,
      (event) => this.events.push(event),
    );
    this.members.push(member);
    await member.start();
    return member;
  }
}
