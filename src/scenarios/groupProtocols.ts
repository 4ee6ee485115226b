import type { ConsumerGroupRun } from '../consume/consumerGroup';
import { confluentClientAvailable } from '../consume/confluentConsumer';
import { chooseMemberClient, type GroupClient, type GroupProtocol, type MemberChoice } from '../consume/groupMember';
import { KafkaLab, type ConnectOptions } from '../lab';
import { DEFAULTS, validatePartitionCount, validateRebalanceConsumers } from '../options';
import { accountFor, type Accounting } from '../observe/accounting';
import { measureRebalances, type GroupEvent, type RebalanceRecord } from '../observe/groupTimeline';
import { summarizeRebalances, type RebalanceSummary } from '../observe/rebalances';
import type { ProduceResult } from '../produce/producer';
import { freshName, syntheticRetailRows } from '../util/syntheticRows';
import { delay } from '../util/waitUntil';

export interface RebalanceScenarioOptions {
  protocol: GroupProtocol;
  staticMembership?: boolean;
  /** Default: chosen from the protocol (kafkajs for eager without static membership). */
  client?: GroupClient;
  /** Consumers at the peak; default 4 (at least 2). */
  consumers?: number;
  /** Default 12. */
  partitions?: number;
  /** The steady stream's rate; default 400 messages/s. */
  ratePerSec?: number;
  /** How long the stream runs between two membership changes (then the group catches up); default 2 s. */
  stepSeconds?: number;
  /** Default 10 s (classic protocol, and Java KIP-848 members set it on the group; librdkafka KIP-848 members get the broker's, 10 s on the local broker). */
  sessionTimeoutMs?: number;
  /** Use this lab (its connection); default: connect, and close at the end. */
  lab?: KafkaLab;
  connect?: ConnectOptions;
  /** Called at each step, for a progress line. */
  onStep?: (step: string) => void;
}

export interface RebalanceScenarioResult {
  protocol: GroupProtocol;
  staticMembership: boolean;
  choice: MemberChoice;
  topic: string;
  groupId: string;
  partitions: number;
  consumers: number;
  /** When each step began (ms since the epoch), in order. */
  steps: Array<{ step: string; at: number }>;
  startedAt: number;
  /** End of the measured window (before the group's final shutdown). */
  measuredUntil: number;
  produced: ProduceResult;
  accounting: Accounting;
  records: RebalanceRecord[];
  summary: RebalanceSummary;
  /** Every event the group recorded (the measurements read those up to `measuredUntil`). */
  events: GroupEvent[];
  /** Per message received up to `measuredUntil`: when it was produced and received (ms epoch), for throughput charts. */
  receivedTimes: Array<{ producedAt: number; receivedAt: number }>;
}

/**
 * The group-protocol scenario: a steady stream; consumers join one at a time up
 * to N; the newest leaves; another (not the first, which leads a classic group)
 * restarts at once. With static membership the restart reuses its
 * group.instance.id within the session timeout. Every message is accounted for
 * and every rebalance measured.
 */
export async function runRebalanceScenario(options: RebalanceScenarioOptions): Promise<RebalanceScenarioResult> {
  const consumers = options.consumers ?? DEFAULTS.rebalance.consumers;
  validateRebalanceConsumers(consumers);
  const partitions = options.partitions ?? DEFAULTS.rebalance.partitions;
  validatePartitionCount(partitions);
  const ratePerSec = options.ratePerSec ?? DEFAULTS.rebalance.ratePerSec;
  const stepMs = Math.max(100, Math.round((options.stepSeconds ?? DEFAULTS.rebalance.stepSeconds) * 1000));
  const staticMembership = options.staticMembership ?? false;
  const choice = chooseMemberClient({ protocol: options.protocol, staticMembership, client: options.client });

  const lab = options.lab ?? (await KafkaLab.connect(options.connect));
  const topic = freshName(`lab-rebalance-${options.protocol}`);
  const steps: Array<{ step: string; at: number }> = [];
  const step = (name: string) => {
    steps.push({ step: name, at: Date.now() });
    options.onStep?.(name);
  };
  const controller = new AbortController();
  let group: ConsumerGroupRun | undefined;
  let producing: Promise<ProduceResult> | undefined;
  try {
    await lab.createTopic({ topic, partitions });
    const startedAt = Date.now();
    step('consumer-1 joins');
    group = await lab.startConsumerGroup({
      topic,
      consumers: 1,
      groupId: freshName('lab-rebalance-group'),
      protocol: options.protocol,
      staticMembership,
      client: choice.client,
      connection: lab.connection,
      sessionTimeoutMs: options.sessionTimeoutMs ?? DEFAULTS.sessionTimeoutMs,
      // A static member that leaves for good keeps its partitions until its session times out.
      assignmentTimeoutMs: DEFAULTS.receiveTimeoutMs,
      keepValues: false,
    });
    const running = group;
    let producedSoFar = 0;
    producing = lab.produce(syntheticRetailRows(), {
      topic,
      key: 'none',
      ratePerSec,
      signal: controller.signal,
      onProgress: (progress) => (producedSoFar = progress.produced),
    });
    // Between two changes the stream runs `stepSeconds` and the group catches up with it
    // (a backlog after a pause drains fast, so counting received messages alone would not do).
    const steady = async () => {
      await delay(stepMs);
      const target = producedSoFar;
      await running.waitForReceived(target, DEFAULTS.receiveTimeoutMs);
    };
    await steady();
    for (let k = 2; k <= consumers; k += 1) {
      step(`consumer-${k} joins`);
      await running.addConsumer();
      await steady();
    }
    const leaving = running.active.at(-1)!;
    step(`${leaving.id} leaves`);
    await running.stopConsumer(leaving.id);
    await steady();
    const restarting = running.active[1] ?? running.active[0];
    step(`${restarting.id} restarts`);
    await running.stopConsumer(restarting.id, { waitForAssignment: false });
    await running.addConsumer();
    await steady();
    const measuredUntil = Date.now();
    step('stream ends');
    controller.abort();
    const produced = await producing;
    await running.waitForReceived(produced.produced, DEFAULTS.receiveTimeoutMs).catch(() => undefined);
    await running.stop();
    const records = measureRebalances(
      running.events,
      running.consumers.map((c) => c.log),
      { until: measuredUntil },
    );
    return {
      protocol: options.protocol,
      staticMembership,
      choice: running.choice,
      topic,
      groupId: running.groupId,
      partitions,
      consumers,
      steps,
      startedAt,
      measuredUntil,
      produced,
      accounting: accountFor(produced.log, running.consumers),
      records,
      summary: summarizeRebalances(records),
      events: [...running.events],
      receivedTimes: running.consumers.flatMap((member) => member.log.timesUntil(measuredUntil)),
    };
  } finally {
    controller.abort();
    await producing?.catch(() => undefined);
    await group?.stop().catch(() => undefined);
    await lab.deleteTopic(topic).catch(() => undefined);
    if (!options.lab) await lab.close();
  }
}

/** The headline figures of a scenario run, as the CLI prints them. */
export function rebalanceHeadline(result: RebalanceScenarioResult) {
  return {
    protocol: result.protocol,
    static: result.staticMembership,
    client: result.choice.client,
    consumers: result.consumers,
    partitions: result.partitions,
    rebalances: result.summary.rebalances,
    partitionsMoved: result.summary.partitionsMoved,
    partitionsRevoked: result.summary.partitionsRevoked,
    pauseMsTotal: result.summary.pauseMsTotal,
    pauseMsP95: result.summary.pauseMsP95,
    pauseMsMax: result.summary.pauseMsMax,
    quietRestarts: result.summary.quietEpisodes,
    produced: result.accounting.produced,
    received: result.accounting.received,
    missing: result.accounting.missing,
    duplicates: result.accounting.duplicates,
  };
}

/** The scenario once per protocol, one after the other on the same lab. */
export async function runGroupProtocols(
  options: Omit<RebalanceScenarioOptions, 'protocol' | 'onStep'> & {
    protocols: readonly GroupProtocol[];
    onStep?: (protocol: GroupProtocol, step: string) => void;
  },
): Promise<RebalanceScenarioResult[]> {
  const runs: RebalanceScenarioResult[] = [];
  for (const protocol of options.protocols) {
    runs.push(await runRebalanceScenario({ ...options, protocol, onStep: (step) => options.onStep?.(protocol, step) }));
  }
  return runs;
}

/** The protocols this machine can run: all three with the librdkafka client, else eager only. */
export function availableProtocols(): GroupProtocol[] {
  return confluentClientAvailable() ? ['eager', 'cooperative-sticky', 'consumer'] : ['eager'];
}

/** One row per episode of a run (for a table): was it a rebalance, what set it off, what moved, the longest pause. */
export function episodeRows(result: RebalanceScenarioResult) {
  return result.records.map((r) => ({
    rebalance: r.isRebalance,
    trigger: r.trigger,
    startS: (r.start - result.startedAt) / 1000,
    durationMs: r.durationMs,
    moved: r.moved.join(' '),
    longestPauseMs: Math.max(0, ...r.pauses.map((p) => p.ms)),
  }));
}
