import { kafkaLibDir } from '../broker/kafkaRuntime';
import path from 'node:path';
import { resolveConnection } from '../config/connection';
import type { GroupEvent } from '../observe/groupTimeline';
import type { GroupMember, GroupMemberOptions } from './groupMember';
import { JavaProcess, writeClientConfig } from './javaProcess';
import type { ConsumerState } from './labConsumer';
import { ReceivedLog } from './receivedLog';

/** Kafka's classic assignors for the lab's classic protocols (VerifiableConsumer's --assignment-strategy). */
const CLASSIC_ASSIGNORS = {
  eager: {
    roundrobin: 'org.apache.kafka.clients.consumer.RoundRobinAssignor',
    range: 'org.apache.kafka.clients.consumer.RangeAssignor',
  },
  'cooperative-sticky': 'org.apache.kafka.clients.consumer.CooperativeStickyAssignor',
} as const;

interface VerifiableEvent {
  name: string;
  timestamp: number;
  partitions?: Array<{ topic: string; partition: number }>;
  partition?: number;
  offset?: number;
  key?: string | null;
  value?: string | null;
  success?: boolean;
  error?: string;
}

/**
 * One member of a consumer group run by Kafka's own Java consumer: a child process
 * of Kafka's `VerifiableConsumer` (kafka-tools jar), the member Kafka's system tests
 * use. It prints every record (`--verbose`) and every assignment change as JSON lines,
 * commits synchronously after each poll (or auto-commits), and on SIGTERM closes and
 * leaves the group. Its classic protocol is eager (round-robin or range) or
 * cooperative-sticky; `consumer` is KIP-848, the reference implementation.
 *
 * What it does not print: the record's own timestamp, so `producedAt` is the time it
 * handled the record; per-record processing delays are not possible either.
 */
export class JavaMember implements GroupMember {
  readonly id: string;
  readonly log: ReceivedLog;
  readonly instanceId: string | undefined;
  /** Commits that failed, as the member reported them. */
  readonly commitErrors: string[] = [];
  #state: ConsumerState = 'starting';
  readonly #owned = new Set<number>();
  #joinedOnce = false;
  #stopping = false;
  readonly #incremental: boolean;
  readonly #options: GroupMemberOptions;
  #process: JavaProcess | undefined;

  constructor(options: GroupMemberOptions) {
    this.id = options.id;
    this.instanceId = options.instanceId;
    this.#options = options;
    this.log = new ReceivedLog(options.id, { keepValues: options.keepValues });
    this.#incremental = options.choice.protocol !== 'eager';
  }

  get state(): ConsumerState {
    return this.#state;
  }

  get memberId(): string | undefined {
    return this.instanceId;
  }

  get partitions(): number[] {
    return this.#state === 'joined' ? [...this.#owned].sort((a, b) => a - b) : [];
  }

  get active(): boolean {
    return this.#state !== 'stopped' && this.#state !== 'crashed';
  }

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  async start(): Promise<void> {
    const options = this.#options;
    const { protocol, assignor } = options.choice;
    const classic = protocol !== 'consumer';
    const config = writeClientConfig(options.connection ?? resolveConnection(), {
      // Short fetch waits keep end-to-end latency low when the stream is slow (as for the other clients).
      'fetch.max.wait.ms': 100,
      ...(classic ? { 'heartbeat.interval.ms': options.heartbeatIntervalMs } : {}),
    });
    const connection = options.connection ?? resolveConnection();
    const args = [
      'org.apache.kafka.tools.VerifiableConsumer',
      '--bootstrap-server',
      connection.bootstrapServers.join(','),
      '--topic',
      options.topic,
      '--group-id',
      options.groupId,
      '--group-protocol',
      classic ? 'classic' : 'consumer',
      '--reset-policy',
      options.from,
      '--verbose',
      ...(classic ? ['--session-timeout', String(options.sessionTimeoutMs)] : []),
      ...(classic
        ? [
            '--assignment-strategy',
            protocol === 'eager' ? CLASSIC_ASSIGNORS.eager[assignor] : CLASSIC_ASSIGNORS['cooperative-sticky'],
          ]
        : []),
      ...(options.commit === 'auto' ? ['--enable-autocommit'] : []),
      ...(options.instanceId ? ['--group-instance-id', options.instanceId] : []),
      ...(config ? ['--consumer.config', config] : []),
    ];
    this.#process = new JavaProcess({
      classpath: [`${kafkaLibDir()}${path.sep}*`],
      main: args,
      cleanup: config,
      onEvent: (event) => this.#handle(event as unknown as VerifiableEvent),
      onExit: () => {
        if (this.#state === 'stopped' || this.#state === 'crashed') return;
        // Ended on its own (a failure): the group sees a member vanish.
        this.#state = 'crashed';
        this.#owned.clear();
        this.#emit(
          { type: 'crash', detail: `exited: ${this.#process?.stderrTail().split('\n').slice(-2).join(' | ')}` },
          Date.now(),
        );
      },
    });
  }

  /** SIGTERM: Kafka's consumer closes, commits and leaves the group (a static member only steps out). */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.#stopping = true;
    await this.#process?.stop();
    this.#state = 'stopped';
    this.#owned.clear();
    this.#emit({ type: 'leave' }, Date.now());
  }

  /** SIGKILL: no goodbye; the group notices when the session times out. */
  async kill(): Promise<void> {
    if (!this.active) return;
    this.#state = 'crashed';
    await this.#process?.kill();
    this.#owned.clear();
    this.#emit({ type: 'crash', detail: 'SIGKILL' }, Date.now());
  }

  #emit(event: Omit<GroupEvent, 'consumer' | 'at'>, at: number): void {
    this.#options.onEvent({ at, consumer: this.id, memberId: this.memberId, ...event });
  }

  #handle(event: VerifiableEvent): void {
    const at = Date.now();
    switch (event.name) {
      case 'record_data': {
        const partition = event.partition!;
        const offset = event.offset!;
        this.log.append(
          partition,
          offset,
          event.key == null ? null : Buffer.from(event.key),
          event.timestamp,
          at,
          event.value == null ? null : Buffer.from(event.value),
        );
        this.#options.tally.add(partition, offset);
        return;
      }
      case 'partitions_assigned':
        this.#assigned(this.#ours(event), at);
        return;
      case 'partitions_revoked':
      case 'partitions_lost':
        this.#revoked(this.#ours(event), at);
        return;
      case 'offsets_committed':
        if (event.success === false) this.commitErrors.push(event.error ?? 'commit failed');
        return;
      default:
    }
  }

  #ours(event: VerifiableEvent): number[] {
    return (event.partitions ?? [])
      .filter((tp) => tp.topic === this.#options.topic)
      .map((tp) => tp.partition)
      .sort((a, b) => a - b);
  }

  /** The same event shapes as the librdkafka member, so timelines and rebalance measurements read them alike. */
  #revoked(partitions: number[], at: number): void {
    if (this.#stopping) {
      for (const partition of partitions) this.#owned.delete(partition);
      return;
    }
    if (this.#incremental) {
      for (const partition of partitions) this.#owned.delete(partition);
      this.#incrementalChange(`revoked [${partitions.join(', ')}]`, at);
      return;
    }
    this.#owned.clear();
    this.#state = 'rebalancing';
    this.#emit({ type: 'rebalance-start', detail: `revoked [${partitions.join(', ')}]` }, at);
  }

  #assigned(partitions: number[], at: number): void {
    if (this.#stopping) return;
    if (!this.#incremental) this.#owned.clear();
    for (const partition of partitions) this.#owned.add(partition);
    if (!this.#joinedOnce) {
      this.#joinedOnce = true;
      this.#state = 'joined';
      this.#emit({ type: 'join' }, at);
      this.#emit(
        { type: 'assignment', partitions: this.partitions, detail: `assigned [${partitions.join(', ')}]` },
        at,
      );
      return;
    }
    if (!this.#incremental) {
      if (this.#state === 'rebalancing') this.#emit({ type: 'rebalance-end' }, at);
      this.#state = 'joined';
      this.#emit(
        { type: 'assignment', partitions: this.partitions, detail: `assigned [${partitions.join(', ')}]` },
        at,
      );
      return;
    }
    this.#incrementalChange(`gained [${partitions.join(', ')}]`, at);
  }

  #incrementalChange(detail: string, at: number): void {
    this.#state = 'joined';
    this.#emit({ type: 'rebalance-start', detail }, at);
    this.#emit({ type: 'assignment', partitions: this.partitions, detail }, at);
    this.#emit({ type: 'rebalance-end', detail }, at);
  }
}
