import { killLocalBrokerNode } from '../../broker/localBroker';
import type { ConsumerGroupRun } from '../../consume/consumerGroup';
import { waitUntil } from '../../util/waitUntil';
import { groupCoordinatorOf } from '../../chaos/groupCoordinator';
import { BROKER_LOSS_CLUSTER, runOnChaosCluster, type ChaosClusterSpec } from '../../chaos/localCluster';
import { deliverySummary, figuresFromAccounting, plural, type ChaosCommonOptions, type ChaosReport } from '../../chaos/report';
import { freshName } from '../../util/syntheticRows';

export interface BrokerLossOptions extends ChaosCommonOptions {
  /** The node killed with SIGKILL; default 2. */
  victim?: number;
  /** Leave the cluster running afterwards (default: stop it). */
  keepCluster?: boolean;
  cluster?: ChaosClusterSpec;
}

export interface BrokerLossReport extends ChaosReport {
  scenario: 'broker-loss';
  brokers: number;
  killedNode: number;
  /** Partitions the killed node led when it died, and who leads them afterwards. */
  partitionsLedByKilled: number[];
  leadersAfter: Record<string, number>;
  isrAfter: Record<string, number[]>;
  /** True when the killed node was the group's coordinator (the consumers had to find a new one). */
  coordinatorKilled: boolean;
  producedAfterKill: number;
  /** Messages produced after the kill that reached the consumers: the group carried on. */
  receivedAfterKill: number;
  /** Messages in the topic's log: equal to `produced` when no retry wrote a message twice. */
  messagesInLog: number;
  /** From the kill until the first message produced after it was received. */
  recoveryMs: number;
  clusterStartMs: number;
}

/**
 * A three-node KRaft cluster, a topic with replication factor 3 and
 * min.insync.replicas 2, a paced stream read by a consumer group; one node is
 * killed with SIGKILL mid-stream. acks=all on two remaining in-sync replicas
 * still holds, so nothing may be missing and the consumers must go on receiving.
 */
export async function runBrokerLoss(options: BrokerLossOptions = {}): Promise<BrokerLossReport> {
  const spec = options.cluster ?? BROKER_LOSS_CLUSTER;
  const victim = options.victim ?? 2;
  const ratePerSec = options.ratePerSec ?? 300;
  const note = options.onNote ?? (() => undefined);
  return runOnChaosCluster(spec, { keep: options.keepCluster, note }, async ({ lab, startMs, stream: startStream }): Promise<BrokerLossReport> => {
    const topic = freshName('chaos-loss');
    await lab.createTopic({ topic, partitions: 6, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
    const group = await lab.startConsumerGroup({ topic, consumers: 3, commit: 'after-processing', from: 'earliest' });
    // Retry at least every second for a minute: the producer resumes as soon as the
    // new leaders are known, instead of sleeping through kafkajs' late 15-30 s backoffs.
    const stream = startStream(topic, { ratePerSec, retries: 60, maxRetryWaitMs: 1_000 });
    await group.waitForReceived(ratePerSec, 30_000);

    const leadersBefore = (await lab.describeTopic(topic)).partitions;
    const partitionsLedByKilled = leadersBefore.filter((p) => p.leader === victim).map((p) => p.partition);
    const coordinatorKilled = (await groupCoordinatorOf(lab.admin, group.groupId)) === victim;
    const producedAtKill = stream.produced;
    const killedAt = Date.now();
    killLocalBrokerNode(victim, spec.name);
    note(`killed node ${victim} (SIGKILL) after ${producedAtKill} messages; it led partitions [${partitionsLedByKilled.join(', ')}]${coordinatorKilled ? ' and coordinated the group' : ''}`);

    // The group carries on: messages written after the kill reach it, from every partition.
    await waitUntil(() => receivedProducedAfter(group, killedAt) >= ratePerSec * 3, 90_000, 'the group to receive 3 s of messages produced after the kill');
    const recoveryMs = firstReceivedAfter(group, killedAt) - killedAt;
    const produced = await stream.stop();
    await group.waitForReceived(produced.produced, 60_000).catch(() => undefined);
    await group.stop();

    const after = await lab.describeTopic(topic);
    const accounting = lab.accountFor(produced, group);
    const receivedAfterKill = receivedProducedAfter(group, killedAt);
    const figures = figuresFromAccounting(accounting);
    const leadersMoved = after.partitions.every((p) => p.leader !== victim && p.leader >= 0);
    const passed =
      figures.missing === 0 && figures.duplicates === figures.expectedDuplicates && accounting.unexpected === 0 && after.messages === produced.produced && receivedAfterKill > 0 && leadersMoved;
    const explanation =
      `Node ${victim} of ${spec.brokers} was killed with SIGKILL after ${plural(producedAtKill, 'message')} of a stream of ${figures.produced.toLocaleString('en-US')} ` +
      `into ${topic} (replication factor 3, min.insync.replicas 2); ${deliverySummary(figures)}, and the log holds ${after.messages.toLocaleString('en-US')}. ` +
      `The ${plural(partitionsLedByKilled.length, 'partition')} it led moved to the surviving replicas, acks=all still had two in-sync replicas to wait for, ` +
      `and the consumers carried on: ${plural(receivedAfterKill, 'message')} produced after the kill reached them, the first ${(recoveryMs / 1000).toFixed(1)} s after it.` +
      (passed ? '' : ' Something did not hold: see the figures.');
    return {
      scenario: 'broker-loss',
      passed,
      ...figures,
      explanation,
      durationMs: 0,
      topic,
      groupId: group.groupId,
      brokers: spec.brokers,
      killedNode: victim,
      partitionsLedByKilled,
      leadersAfter: Object.fromEntries(after.partitions.map((p) => [String(p.partition), p.leader])),
      isrAfter: Object.fromEntries(after.partitions.map((p) => [String(p.partition), p.isr])),
      coordinatorKilled,
      producedAfterKill: produced.produced - producedAtKill,
      receivedAfterKill,
      messagesInLog: after.messages,
      recoveryMs,
      clusterStartMs: startMs,
    };
  });
}

/** Distinct-or-not arrivals of messages whose producer timestamp is after `at`. */
function receivedProducedAfter(group: ConsumerGroupRun, at: number): number {
  return group.consumers.reduce((sum, consumer) => sum + consumer.log.countProducedAfter(at), 0);
}

function firstReceivedAfter(group: ConsumerGroupRun, at: number): number {
  return Math.min(Infinity, ...group.consumers.map((consumer) => consumer.log.firstReceivedOfProducedAfter(at)));
}
