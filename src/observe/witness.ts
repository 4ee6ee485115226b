import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { AssignerProtocol, type Admin } from 'kafkajs';
import { kafkaToolCommand } from '../broker/kafkaTools';
import type { ConnectionSettings } from '../config/connection';
import { writeClientConfig } from '../consume/javaProcess';
import type { GroupEvent } from '../observe/groupTimeline';
import { ownershipTimeline } from '../observe/groupTimeline';
import { sampleLag, type LagSample } from './lag';

/**
 * An independent witness: what Kafka itself says about the group, once a
 * second, beside the lab's own sampler. It asks the broker the questions
 * `kafka-consumer-groups --describe` asks (committed offsets, end offsets, the
 * members and their assignments) through the admin API of the same process:
 * one JVM start of the tool costs seconds (measured by `timeDescribeTool`), far
 * too slow to sample every second.
 */

export interface WitnessSnapshot {
  /** Midpoint of the requests (ms since the epoch). */
  at: number;
  /** How long the requests took. */
  durationMs: number;
  /** Committed-offset lag summed over partitions. */
  lagMessages: number;
  partitions: LagSample[];
  /** Group state as the coordinator reports it (Stable, PreparingRebalance, ...). */
  state: string;
  /** partition -> member id owning it, from the members' assignments. */
  owners: Record<string, string>;
  /** The lab's own lag (messages) read just before and just after the requests, when a companion is given. */
  labBefore?: number;
  labAfter?: number;
}

export class GroupWitness {
  readonly snapshots: WitnessSnapshot[] = [];
  failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(
    private readonly admin: Admin,
    private readonly groupId: string,
    private readonly topic: string,
    readonly intervalMs = 1000,
    /** Reads the lab's lag now, so each snapshot is bracketed by the lab's own view. */
    private readonly companion?: () => number,
  ) {}

  start(): this {
    if (this.#timer) return this;
    const tick = () => {
      if (this.#inFlight) return;
      this.#inFlight = this.snapshot()
        .then((snapshot) => {
          this.snapshots.push(snapshot);
        })
        .catch(() => {
          this.failures += 1;
        })
        .finally(() => {
          this.#inFlight = undefined;
        });
    };
    tick();
    this.#timer = setInterval(tick, this.intervalMs);
    return this;
  }

  async stop(): Promise<WitnessSnapshot[]> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
    return this.snapshots;
  }

  async snapshot(): Promise<WitnessSnapshot> {
    const labBefore = this.companion?.();
    const began = Date.now();
    const [partitions, described] = await Promise.all([
      sampleLag(this.admin, this.groupId, this.topic),
      this.admin.describeGroups([this.groupId]),
    ]);
    const finished = Date.now();
    const labAfter = this.companion?.();
    const group = described.groups[0];
    const owners: Record<string, string> = {};
    for (const member of group?.members ?? []) {
      if (!member.memberAssignment || member.memberAssignment.length === 0) continue;
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      for (const partition of decoded?.assignment[this.topic] ?? []) owners[String(partition)] = member.memberId;
    }
    return {
      at: Math.round((began + finished) / 2),
      durationMs: finished - began,
      lagMessages: partitions.reduce((sum, p) => sum + p.lag, 0),
      partitions,
      state: group?.state ?? 'Unknown',
      owners,
      labBefore,
      labAfter,
    };
  }
}

export interface OwnershipWitnessing {
  /** Ownership intervals (consumer, partition, from, to) the lab recorded from its members' events. */
  labChanges: number;
  /** Those that at least one snapshot showed. */
  seen: number;
  /** Those no snapshot showed: shorter than the sampling gap, or fallen between two snapshots. */
  missed: number;
  missedIntervals: Array<{ consumer: string; partition: number; from: number; to: number; ms: number }>;
}

/**
 * Counts the ownership changes the lab recorded that the one-second snapshots
 * never saw. Each ownership interval the lab's events give (a member owning a
 * partition from one assignment to the next rebalance) counts as one change; it
 * is seen when some snapshot inside it shows that member owning that partition.
 */
export function missedOwnershipChanges(
  events: readonly GroupEvent[],
  snapshots: readonly WitnessSnapshot[],
  end = Date.now(),
): OwnershipWitnessing {
  const memberOf = new Map<string, string>();
  for (const event of events) if (event.memberId) memberOf.set(event.memberId, event.consumer);
  const intervals = ownershipTimeline(events);
  const missedIntervals: OwnershipWitnessing['missedIntervals'] = [];
  let seen = 0;
  for (const interval of intervals) {
    const to = interval.to ?? end;
    const shown = snapshots.some(
      (s) =>
        s.at >= interval.from &&
        s.at <= to &&
        memberOf.get(s.owners[String(interval.partition)] ?? '') === interval.consumer,
    );
    if (shown) seen += 1;
    else
      missedIntervals.push({
        consumer: interval.consumer,
        partition: interval.partition,
        from: interval.from,
        to,
        ms: to - interval.from,
      });
  }
  return { labChanges: intervals.length, seen, missed: missedIntervals.length, missedIntervals };
}

export interface WitnessAgreement {
  /** Snapshots compared. */
  compared: number;
  /**
   * Per snapshot, how far the witness's lag lies outside the band the lab's own
   * readings just before and just after its requests span (0 inside it), in
   * messages: the stream moves while the requests are out, so the band is the
   * fair "same instant".
   */
  differences: number[];
  maxAbsDifference: number;
  meanDifference: number;
  /** Snapshots whose lag was within `tolerance` messages of the band. */
  withinTolerance: number;
  tolerance: number;
}

/**
 * The witness's lag against the lab's at matching instants. The witness counts
 * from committed offsets, the lab from processed ones, so the witness may run
 * ahead by what was processed but not yet committed: `tolerance` (the caller
 * knows its members' commit cadence) allows for that.
 */
export function compareWitness(snapshots: readonly WitnessSnapshot[], tolerance: number): WitnessAgreement {
  const differences: number[] = [];
  for (const snapshot of snapshots) {
    if (snapshot.labBefore === undefined || snapshot.labAfter === undefined) continue;
    const lo = Math.min(snapshot.labBefore, snapshot.labAfter);
    const hi = Math.max(snapshot.labBefore, snapshot.labAfter);
    differences.push(
      snapshot.lagMessages < lo ? snapshot.lagMessages - lo : snapshot.lagMessages > hi ? snapshot.lagMessages - hi : 0,
    );
  }
  return {
    compared: differences.length,
    differences,
    maxAbsDifference: differences.reduce((m, d) => Math.max(m, Math.abs(d)), 0),
    meanDifference: differences.length ? differences.reduce((a, b) => a + b, 0) / differences.length : 0,
    withinTolerance: differences.filter((d) => Math.abs(d) <= tolerance).length,
    tolerance,
  };
}

/**
 * Runs Kafka's own `kafka-consumer-groups --describe --group G` once and says
 * how long it took (JVM start included) and whether it worked: the reason the
 * witness samples through the admin API instead. The lab's security settings
 * go to the tool as a `--command-config` file readable only by this user and
 * removed afterwards, so no secret is on the command line or in the output; a
 * tool that has not answered within `timeoutMs` is killed (exit code null, `timedOut`).
 */
export function timeDescribeTool(
  groupId: string,
  connection: ConnectionSettings,
  options: { timeoutMs?: number } = {},
): Promise<{ ms: number; exitCode: number | null; timedOut: boolean; output: string }> {
  const timeoutMs = options.timeoutMs ?? DESCRIBE_TOOL_TIMEOUT_MS;
  const config = writeClientConfig(connection);
  const { command, args } = kafkaToolCommand('kafka-consumer-groups', [
    '--bootstrap-server',
    connection.bootstrapServers.join(','),
    ...(config ? ['--command-config', config] : []),
    '--describe',
    '--group',
    groupId,
  ]);
  const began = Date.now();
  const removeConfig = () => {
    if (config) fs.rmSync(config, { force: true });
  };
  return new Promise<{ ms: number; exitCode: number | null; timedOut: boolean; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ms: Date.now() - began, exitCode: timedOut ? null : (code ?? 1), timedOut, output });
    });
  }).finally(removeConfig);
}

/** One JVM start of the tool takes seconds on a busy machine; past this it is not coming back. */
export const DESCRIBE_TOOL_TIMEOUT_MS = 60_000;
