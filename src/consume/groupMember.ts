import type { Kafka } from 'kafkajs';
import type { ConnectionSettings } from '../config/connection';
import { LabError } from '../errors';
import {
  DEFAULTS,
  validateAssignor,
  validateClient,
  validateProtocol,
  type EagerAssignor,
  type GroupClient,
  type GroupProtocol,
} from '../options';
import { confluentClientAvailable, ConfluentConsumer } from './confluentConsumer';
import { JavaMember } from './javaMember';
import { assertJavaMembersCanRun } from './javaProcess';
import { LabConsumer, type ConsumerState, type LabConsumerOptions } from './labConsumer';
import type { ReceivedLog } from './receivedLog';

/**
 * What a consumer group needs from one of its members, whichever Kafka client
 * runs it: its log, its group state and the partitions it owns now.
 */
export interface GroupMember {
  readonly id: string;
  readonly log: ReceivedLog;
  readonly state: ConsumerState;
  /** Partitions this member owns now (the full owned set, also after an incremental change). */
  readonly partitions: number[];
  readonly active: boolean;
  readonly memberId: string | undefined;
  /** `group.instance.id` when the member is static. */
  readonly instanceId?: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

// The client, protocol and assignor values and their validation live in ../options.ts.
export { GROUP_PROTOCOLS, type EagerAssignor, type GroupClient, type GroupProtocol } from '../options';

export interface MemberChoice {
  client: GroupClient;
  protocol: GroupProtocol;
  staticMembership: boolean;
  assignor: EagerAssignor;
}

/**
 * Checks a group's client/protocol/static choice and fills in the client when
 * it is not given: kafkajs for the eager protocol without static membership,
 * the librdkafka client for everything kafkajs cannot do.
 */
export function chooseMemberClient(options: {
  client?: GroupClient;
  protocol?: GroupProtocol;
  staticMembership?: boolean;
  assignor?: EagerAssignor;
}): MemberChoice {
  const protocol = options.protocol ?? DEFAULTS.protocol;
  validateProtocol(protocol);
  if (options.client !== undefined) validateClient(options.client);
  const staticMembership = options.staticMembership ?? false;
  const client = options.client ?? (protocol === 'eager' && !staticMembership ? 'kafkajs' : 'confluent');
  const assignor = options.assignor ?? DEFAULTS.assignor;
  validateAssignor(assignor);
  if (client === 'kafkajs') {
    if (protocol !== 'eager') {
      throw new LabError(
        'INVALID_OPTION',
        `kafkajs supports only the eager protocol (round-robin); protocol "${protocol}" needs the librdkafka client: use client: 'confluent' or leave client out.`,
      );
    }
    if (staticMembership) {
      throw new LabError(
        'INVALID_OPTION',
        "kafkajs has no static membership (group.instance.id, kafkajs#884): use client: 'confluent' or leave client out.",
      );
    }
    if (options.assignor === 'range') {
      throw new LabError(
        'INVALID_OPTION',
        "kafkajs offers only the round-robin assignor here: use client: 'confluent' for assignor 'range'.",
      );
    }
  }
  if (options.assignor !== undefined && protocol !== 'eager') {
    throw new LabError(
      'INVALID_OPTION',
      `The assignor option applies to the eager protocol only; protocol "${protocol}" chooses its own.`,
    );
  }
  if (client === 'confluent') confluentClientAvailable({ throwIfMissing: true });
  if (client === 'java') assertJavaMembersCanRun();
  return { client, protocol, staticMembership, assignor };
}

/** Everything a member needs, whichever client runs it. */
export interface GroupMemberOptions extends LabConsumerOptions {
  choice: MemberChoice;
  /** Where the librdkafka and Java clients connect: the group's connection; kafkajs members use the group's Kafka object. */
  connection: ConnectionSettings;
  instanceId?: string;
}

export function createGroupMember(kafka: Kafka, options: GroupMemberOptions): GroupMember {
  if (options.choice.client === 'kafkajs') return new LabConsumer(kafka, options);
  if (options.choice.client === 'java') return new JavaMember(options);
  return new ConfluentConsumer(options);
}

/**
 * The `group.instance.id` for a new static member: the lowest slot no running
 * member holds, so a replacement of a stopped member takes over its identity.
 */
export function freeInstanceId(groupId: string, running: readonly GroupMember[]): string {
  const taken = new Set(running.map((member) => member.instanceId));
  for (let slot = 1; ; slot += 1) {
    const id = `${groupId}-instance-${slot}`;
    if (!taken.has(id)) return id;
  }
}
