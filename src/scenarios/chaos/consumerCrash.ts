import type { ConnectionSettings } from '../../config/connection';
import { KafkaLab } from '../../lab';
import type { ProducedLog } from '../../produce/producedLog';
import { waitUntil } from '../../util/waitUntil';
import { deliverySummary, plural, type ChaosCommonOptions, type ChaosReport } from '../../chaos/report';
import { freshName } from '../../util/syntheticRows';
import { startChaosStream, type ChaosStream } from '../../chaos/stream';
import { WorkerProcess } from '../../chaos/workerProcess';

export interface ConsumerCrashOptions extends ChaosCommonOptions {
  /** Default: the configured cluster (the shared local broker unless told otherwise). */
  connection?: ConnectionSettings;
  /** Worker processes in the group; default 3. */
  workers?: number;
  /** Default 6 s: how long the group waits for the killed worker before moving its partitions. */
  sessionTimeoutMs?: number;
  /** Each worker commits after this many messages of a partition (and at the end of each batch); default 20. */
  commitEvery?: number;
}

export interface OffsetRef {
  partition: number;
  offset: number;
}

export interface ConsumerCrashReport extends ChaosReport {
  scenario: 'consumer-crash';
  killedWorker: string;
  killedPartitions: number[];
  /** What the killed worker had processed, and what of it was covered by a confirmed commit. */
  killedProcessed: number;
  /** Committed offsets of the killed worker's partitions, read while they had no owner (kill to takeover). */
  committedAtTakeover: Record<string, number>;
  /** Where the new owners started reading each of those partitions: equal to the committed offsets. */
  takeoverStartOffsets: Record<string, number>;
  /** From the kill until a new owner processed its first message of the killed worker's partitions. */
  takeoverMs: number;
  sessionTimeoutMs: number;
  /** The messages delivered twice, and the ones the killed worker processed after its last commit. */
  duplicateMessages: OffsetRef[];
  expectedDuplicateMessages: OffsetRef[];
  workers: Array<{ id: string; processed: number; killed: boolean }>;
}

/**
 * Consumers as separate processes, committing after processing. One is killed
 * with SIGKILL while it holds processed-but-uncommitted messages; after the
 * session timeout the group gives its partitions to the others, who start at
 * the last committed offsets. Nothing is missing, and the duplicates are exactly
 * what the killed worker processed after its last commit.
 */
export async function runConsumerCrash(options: ConsumerCrashOptions = {}): Promise<ConsumerCrashReport> {
  const began = Date.now();
  const workerCount = options.workers ?? 3;
  const sessionTimeoutMs = options.sessionTimeoutMs ?? 6_000;
  const ratePerSec = options.ratePerSec ?? 300;
  const note = options.onNote ?? (() => undefined);
  const lab = await KafkaLab.connect(options.connection ? { connection: options.connection } : {});
  let stream: ChaosStream | undefined;
  const workers: WorkerProcess[] = [];
  try {
    const topic = freshName('chaos-crash');
    const groupId = freshName('chaos-crash-group');
    const partitions = 6;
    await lab.createTopic({ topic, partitions });
    for (let i = 1; i <= workerCount; i += 1) {
      workers.push(
        new WorkerProcess(
          {
            id: `worker-${i}`,
            topic,
            groupId,
            sessionTimeoutMs,
            heartbeatIntervalMs: 500,
            processingDelayMs: 4,
            commitEvery: options.commitEvery ?? 20,
          },
          lab.connection,
        ),
      );
    }
    // The stream starts once the group is settled, so that the only ownership change is the crash.
    await waitUntil(() => coversAll(workers, partitions), 60_000, `${workerCount} worker processes to share the ${partitions} partitions of ${topic}`);
    note(`${workerCount} worker processes joined group ${groupId}: ${workers.map((w) => `${w.id} [${w.partitions.join(',')}]`).join(', ')}`);

    stream = startChaosStream(lab, topic, { ratePerSec });

    // Kill the victim while it holds messages it processed but has not committed yet.
    const victim = workers[1];
    await waitUntil(() => workers.every((w) => w.processed.length >= ratePerSec / workerCount), 30_000, 'every worker to process about a second of messages');
    // Crashes between two commits are what re-deliver; hold the victim's commits so the kill
    // lands there for certain, not by the luck of timing.
    await victim.holdCommits();
    await waitUntil(() => victim.uncommitted().length >= 5, 30_000, `${victim.id} to hold processed, uncommitted messages`, 2);
    const killedPartitions = [...victim.partitions];
    const victimMember = victim.memberId;
    const killedAt = Date.now();
    await victim.kill();
    note(`killed ${victim.id} (SIGKILL) with partitions [${killedPartitions.join(', ')}], ${victim.uncommitted().length} messages processed since its last confirmed commit`);

    // Committed offsets of its partitions, read while they have no owner: from the kill until the
    // group has moved them. Nobody commits for them then; afterwards the new owners would.
    let committedAtTakeover = await committedOffsets(lab, groupId, topic, killedPartitions);
    await waitUntil(
      async () => {
        const group = (await lab.admin.describeGroups([groupId])).groups[0];
        const victimGone = !group.members.some((member) => member.memberId === victimMember);
        if (victimGone && group.state === 'Stable') return true;
        const offsets = await committedOffsets(lab, groupId, topic, killedPartitions);
        const groupAfter = (await lab.admin.describeGroups([groupId])).groups[0];
        const stillUnowned = groupAfter.state !== 'Stable' || groupAfter.members.some((member) => member.memberId === victimMember);
        if (stillUnowned) committedAtTakeover = offsets;
        return false;
      },
      sessionTimeoutMs + 30_000,
      `group ${groupId} to move the partitions of ${victim.id}`,
      100,
    );
    const survivors = workers.filter((w) => w !== victim);
    const newOwnerStart = (partition: number) => firstProcessedAfter(survivors, partition, killedAt);
    await waitUntil(() => killedPartitions.every((p) => newOwnerStart(p) !== undefined), 60_000, 'the new owners to process the killed worker\'s partitions');
    const takeoverMs = Math.min(...survivors.flatMap((w) => w.processed.filter((m) => m.at > killedAt && killedPartitions.includes(m.partition)).map((m) => m.at))) - killedAt;
    note(`the group moved partitions [${killedPartitions.join(', ')}] ${(takeoverMs / 1000).toFixed(1)} s after the kill`);

    // The stream goes on for a while after the takeover, then everything produced must arrive.
    const countAfterTakeover = totalProcessed(workers);
    await waitUntil(() => totalProcessed(workers) >= countAfterTakeover + ratePerSec, 30_000, 'a second of messages after the takeover');
    const produced = await stream.stop();
    await waitUntil(() => arrivals(produced.log, workers).missing === 0, 60_000, 'every produced message to be processed').catch(() => undefined);
    await Promise.all(survivors.map((w) => w.stop()));

    const account = arrivals(produced.log, workers);
    const expected = sortRefs(victim.processed
      .filter((m) => killedPartitions.includes(m.partition) && m.offset >= (committedAtTakeover[m.partition] ?? 0))
      .map(({ partition, offset }) => ({ partition, offset })));
    const takeoverStartOffsets = Object.fromEntries(killedPartitions.map((p) => [String(p), newOwnerStart(p)!]));
    const figures = {
      produced: account.produced,
      received: account.received,
      missing: account.missing,
      duplicates: account.duplicates.length,
      expectedDuplicates: expected.length,
    };
    const sameDuplicates = sameRefs(account.duplicates, expected);
    const startsMatch = killedPartitions.every((p) => takeoverStartOffsets[String(p)] === (committedAtTakeover[p] ?? 0));
    const passed = figures.missing === 0 && sameDuplicates && startsMatch && account.unexpected === 0;
    const explanation =
      `${victim.id} was killed with SIGKILL holding partitions ${killedPartitions.join(' and ')}, after processing ${plural(victim.processed.length, 'message')}; ` +
      `the group gave its partitions to the other workers ${(takeoverMs / 1000).toFixed(1)} s later (session timeout ${sessionTimeoutMs / 1000} s), ` +
      `and they resumed at the last committed offsets (${killedPartitions.map((p) => `partition ${p} at ${committedAtTakeover[p] ?? 0}`).join(', ')}). ` +
      `${deliverySummary(figures)}: ${sameDuplicates ? 'the duplicates are exactly' : 'the duplicates are NOT'} the ${plural(expected.length, 'message')} ${victim.id} had processed after its last commit` +
      `${expected.length > 0 ? ` (${describeRefs(expected)})` : ''}, delivered again because their offsets were never committed.`;
    return {
      scenario: 'consumer-crash',
      passed,
      ...figures,
      explanation,
      durationMs: Date.now() - began,
      topic,
      groupId,
      killedWorker: victim.id,
      killedPartitions,
      killedProcessed: victim.processed.length,
      committedAtTakeover: Object.fromEntries(killedPartitions.map((p) => [String(p), committedAtTakeover[p] ?? 0])),
      takeoverStartOffsets,
      takeoverMs,
      sessionTimeoutMs,
      duplicateMessages: account.duplicates,
      expectedDuplicateMessages: expected,
      workers: workers.map((w) => ({ id: w.id, processed: w.processed.length, killed: w === victim })),
    };
  } finally {
    stream?.abort();
    await Promise.all(workers.map((w) => w.stop()));
    await lab.close();
  }
}

function coversAll(workers: readonly WorkerProcess[], partitions: number): boolean {
  if (workers.some((w) => w.rebalancing || w.exited)) return false;
  const owned = workers.flatMap((w) => w.partitions);
  return owned.length === partitions && new Set(owned).size === partitions;
}

function totalProcessed(workers: readonly WorkerProcess[]): number {
  return workers.reduce((sum, w) => sum + w.processed.length, 0);
}

function firstProcessedAfter(workers: readonly WorkerProcess[], partition: number, at: number): number | undefined {
  let first: number | undefined;
  for (const worker of workers) {
    for (const m of worker.processed) {
      if (m.partition === partition && m.at > at && (first === undefined || m.offset < first)) first = m.offset;
    }
  }
  return first;
}

async function committedOffsets(lab: KafkaLab, groupId: string, topic: string, partitions: number[]): Promise<Record<number, number>> {
  const [entry] = await lab.admin.fetchOffsets({ groupId, topics: [topic] });
  const result: Record<number, number> = {};
  for (const p of entry.partitions) if (partitions.includes(p.partition)) result[p.partition] = Math.max(0, Number(p.offset));
  return result;
}

/** Produced versus processed, by (partition, offset), across all worker processes. */
function arrivals(produced: ProducedLog, workers: readonly WorkerProcess[]) {
  const seen = new Map<string, number>();
  for (const worker of workers) for (const m of worker.processed) seen.set(`${m.partition}:${m.offset}`, (seen.get(`${m.partition}:${m.offset}`) ?? 0) + 1);
  let received = 0;
  let missing = 0;
  const duplicates: OffsetRef[] = [];
  const producedKeys = new Set<string>();
  for (const partition of produced.partitions()) {
    produced.forEachOffset(partition, (offset) => {
      const key = `${partition}:${offset}`;
      producedKeys.add(key);
      const count = seen.get(key) ?? 0;
      if (count === 0) missing += 1;
      else received += 1;
      for (let extra = 1; extra < count; extra += 1) duplicates.push({ partition, offset });
    });
  }
  const unexpected = [...seen.keys()].filter((key) => !producedKeys.has(key)).length;
  return { produced: produced.count, received, missing, duplicates: sortRefs(duplicates), unexpected };
}

function sortRefs(refs: OffsetRef[]): OffsetRef[] {
  return [...refs].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

function sameRefs(a: OffsetRef[], b: OffsetRef[]): boolean {
  const x = sortRefs(a);
  const y = sortRefs(b);
  return x.length === y.length && x.every((ref, i) => ref.partition === y[i].partition && ref.offset === y[i].offset);
}

/** "partition 1 offsets 40-52, partition 4 offsets 38-41" */
function describeRefs(refs: OffsetRef[]): string {
  const byPartition = new Map<number, number[]>();
  for (const ref of sortRefs(refs)) byPartition.set(ref.partition, [...(byPartition.get(ref.partition) ?? []), ref.offset]);
  return [...byPartition.entries()]
    .map(([partition, offsets]) => {
      const runs: string[] = [];
      let start = offsets[0];
      for (let i = 1; i <= offsets.length; i += 1) {
        if (i === offsets.length || offsets[i] !== offsets[i - 1] + 1) {
          runs.push(start === offsets[i - 1] ? `${start}` : `${start}-${offsets[i - 1]}`);
          start = offsets[i];
        }
      }
      return `partition ${partition} offset${offsets.length > 1 ? 's' : ''} ${runs.join(', ')}`;
    })
    .join('; ');
}
