import { resolveConnection } from '../config/connection';
import type { GroupEvent } from '../observe/groupTimeline';
import type { GroupMember, GroupMemberOptions } from './groupMember';
import { JavaProcess, labJavaClass, writeClientConfig } from './javaProcess';
import type { ConsumerState } from './labConsumer';
import { MemberOwnership } from './memberOwnership';
import { ReceivedLog } from './receivedLog';
import { appendRecordFrame } from './recordFrame';

/** Kafka's classic assignors for the lab's classic protocols (ConsumerMember's --assignment-strategy). */
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
  success?: boolean;
  error?: string;
}

/**
 * One member of a consumer group run by Kafka's own Java consumer: a child process
 * running src/java/ConsumerMember.java (a KafkaConsumer) against the Kafka jars. It
 * prints every assignment change as JSON lines in the shapes of Kafka's
 * VerifiableConsumer and each poll's records as one binary frame (recordFrame.ts),
 * commits synchronously after each poll (or auto-commits), commits what it
 * processed in a partition before giving it up (VerifiableConsumer does not: 6 to
 * 13 duplicates per cooperative-sticky run), and on SIGTERM closes and leaves the
 * group. Its classic protocol is eager (round-robin or range) or
 * cooperative-sticky; `consumer` is KIP-848, the reference implementation, with the
 * group's session timeout set to `sessionTimeoutMs`.
 *
 * Per-record processing delays are not possible (the member processes in Java).
 */
export class JavaMember implements GroupMember {
  readonly id: string;
  readonly log: ReceivedLog;
  readonly instanceId: string | undefined;
  /** Commits that failed, as the member reported them. */
  readonly commitErrors: string[] = [];
  readonly #ownership: MemberOwnership;
  readonly #options: GroupMemberOptions;
  #process: JavaProcess | undefined;

  constructor(options: GroupMemberOptions) {
    this.id = options.id;
    this.instanceId = options.instanceId;
    this.#options = options;
    this.log = new ReceivedLog(options.id, { keepValues: options.keepValues });
    this.#ownership = new MemberOwnership(options.choice.protocol !== 'eager', (event, at) => this.#emit(event, at));
  }

  get state(): ConsumerState {
    return this.#ownership.state;
  }

  get memberId(): string | undefined {
    return this.instanceId;
  }

  get partitions(): number[] {
    return this.#ownership.partitions;
  }

  get active(): boolean {
    return this.#ownership.active;
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
      // The member commits synchronously after every poll: at the default 500 records a poll, those
      // round trips held one member to 120,000 msg/s; at 2,000, 230,000-270,000 (5,000 gained nothing more).
      'max.poll.records': 2_000,
    });
    const connection = options.connection ?? resolveConnection();
    const member = await labJavaClass('ConsumerMember');
    const args = [
      ...member.mainArgs,
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
      // Classic: the member's session.timeout.ms; KIP-848: the group's consumer.session.timeout.ms.
      '--session-timeout',
      String(options.sessionTimeoutMs),
      ...(classic
        ? [
            '--assignment-strategy',
            protocol === 'eager' ? CLASSIC_ASSIGNORS.eager[assignor] : CLASSIC_ASSIGNORS['cooperative-sticky'],
          ]
        : []),
      ...(options.commit === 'auto' ? ['--enable-autocommit', 'true'] : []),
      ...(options.instanceId ? ['--group-instance-id', options.instanceId] : []),
      ...(config ? ['--consumer.config', config] : []),
    ];
    this.#process = await JavaProcess.launch({
      classpath: member.classpath,
      main: args,
      cleanup: config,
      onEvent: (event, frame) => this.#handle(event as unknown as VerifiableEvent, frame),
      onExit: () => {
        // Killed, or stopped by stop() (which records the leave): not a crash of its own.
        if (!this.active || this.#ownership.leaving) return;
        // Ended on its own (a failure): the group sees a member vanish.
        this.#ownership.end('crashed');
        this.#emit(
          { type: 'crash', detail: `exited: ${this.#process?.stderrTail().split('\n').slice(-2).join(' | ')}` },
          Date.now(),
        );
      },
    });
  }

  /** SIGTERM: Kafka's consumer commits, closes and leaves the group (a static member only steps out). */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.#ownership.beginLeaving();
    await this.#process?.stop();
    this.#ownership.end('stopped');
    this.#emit({ type: 'leave' }, Date.now());
  }

  /** SIGKILL: no goodbye; the group notices when the session times out. */
  async kill(): Promise<void> {
    if (!this.active) return;
    this.#ownership.end('crashed');
    await this.#process?.kill();
    this.#emit({ type: 'crash', detail: 'SIGKILL' }, Date.now());
  }

  #emit(event: Omit<GroupEvent, 'consumer' | 'at'>, at: number): void {
    this.#options.onEvent({ at, consumer: this.id, memberId: this.memberId, ...event });
  }

  #handle(event: VerifiableEvent, frame: Buffer | undefined): void {
    const at = Date.now();
    switch (event.name) {
      case 'records':
        if (frame) appendRecordFrame(this.log, this.#options.tally, frame, at);
        return;
      case 'partitions_assigned':
        this.#ownership.assigned(this.#ours(event), at);
        return;
      case 'partitions_revoked':
      case 'partitions_lost':
        this.#ownership.revoked(this.#ours(event), at);
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
}
