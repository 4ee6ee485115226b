import { startLocalBroker, stopLocalBroker } from '../../broker/localBroker';
import type { ConsumerGroupRun } from '../../consume/consumerGroup';
import { waitUntil } from '../../util/waitUntil';
import { BROKER_RESTART_CLUSTER, runOnChaosCluster, type ChaosClusterSpec } from '../../chaos/localCluster';
import { deliverySummary, plural, type ChaosCommonOptions, type ChaosReport } from '../../chaos/report';
import { freshName } from '../../util/syntheticRows';

export interface BrokerRestartOptions extends ChaosCommonOptions {
  /**
   * Send retries of the producer. kafkajs' default budget (8 retries, about 30 s
   * of backoff) is what the lab uses elsewhere; the restart of a local broker
   * takes 10 to 20 s, so the scenario allows more rather than risk a give-up.
   */
  producerRetries?: number;
  /** Longest wait between two send retries; default 1 s, so the producer resumes soon after the broker is back. */
  producerMaxRetryWaitMs?: number;
  /** Leave the broker running afterwards (default: stop it). */
  keepBroker?: boolean;
  cluster?: ChaosClusterSpec;
}

export interface BrokerRestartReport extends ChaosReport {
  scenario: 'broker-restart';
  producerRetries: number;
  producerMaxRetryWaitMs: number;
  /** Acknowledged messages when the broker was told to stop. */
  producedBeforeStop: number;
  /** From the stop signal until the restarted broker answered. */
  brokerDownMs: number;
  /** From the stop signal until the producer had its next batch acknowledged. */
  producerStalledMs: number;
  /** Messages in the topic's log: equal to `produced` when no retry wrote a message twice. */
  messagesInLog: number;
  /** Message values (by the producer's `seq`) found more than once in the log. */
  duplicateValues: number;
}

/**
 * The broker is stopped (SIGTERM, clean shutdown) and started again while a
 * paced, idempotent (acks=all) producer runs; the producer retries through the
 * outage. Afterwards one consumer reads the whole topic: every message must be
 * there exactly once, by offset and by the producer's sequence number.
 */
export async function runBrokerRestart(options: BrokerRestartOptions = {}): Promise<BrokerRestartReport> {
  const spec = options.cluster ?? BROKER_RESTART_CLUSTER;
  const ratePerSec = options.ratePerSec ?? 300;
  const producerRetries = options.producerRetries ?? 60;
  const producerMaxRetryWaitMs = options.producerMaxRetryWaitMs ?? 1_000;
  const note = options.onNote ?? (() => undefined);
  return runOnChaosCluster(spec, { keep: options.keepBroker, note }, async ({ lab, stream: startStream }): Promise<BrokerRestartReport> => {
    const topic = freshName('chaos-restart');
    await lab.createTopic({ topic, partitions: 6, replicationFactor: 1 });
    const stream = startStream(topic, { ratePerSec, retries: producerRetries, maxRetryWaitMs: producerMaxRetryWaitMs });
    await waitUntil(() => stream.produced >= ratePerSec, 30_000, 'the first second of the stream');

    const producedBeforeStop = stream.produced;
    const stoppedAt = Date.now();
    note(`stopping the broker after ${producedBeforeStop} messages...`);
    await stopLocalBroker(spec.name);
    note(`broker stopped in ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s; starting it again...`);
    await startLocalBroker({ name: spec.name, brokers: spec.brokers, basePort: spec.basePort, heapMb: 512 });
    const brokerDownMs = Date.now() - stoppedAt;
    note(`broker answers again after ${(brokerDownMs / 1000).toFixed(1)} s`);
    await waitUntil(() => stream.lastAckAt > stoppedAt + brokerDownMs && stream.produced > producedBeforeStop, 120_000, 'the producer to resume after the restart');
    const producerStalledMs = stream.lastAckAt - stoppedAt;
    const resumedAt = stream.produced;
    await waitUntil(() => stream.produced >= resumedAt + ratePerSec * 2, 60_000, 'two more seconds of stream after the restart');
    const produced = await stream.stop();

    // Read the whole topic back with one consumer: what is in the log, and how often.
    const group = await lab.startConsumerGroup({ topic, consumers: 1, from: 'earliest', keepValues: true });
    await group.waitForReceived(produced.produced, 60_000).catch(() => undefined);
    await group.stop();
    const accounting = lab.accountFor(produced, group);
    const bySeq = countBySeq(group);
    let missingSeqs = 0;
    for (let seq = 0; seq < produced.produced; seq += 1) if (!bySeq.has(seq)) missingSeqs += 1;
    const duplicateValues = [...bySeq.values()].reduce((sum, count) => sum + count - 1, 0);
    const messagesInLog = (await lab.describeTopic(topic)).messages;
    const figures = {
      produced: produced.produced,
      received: accounting.received,
      missing: Math.max(accounting.missing, missingSeqs, produced.produced - accounting.produced),
      duplicates: accounting.duplicates + duplicateValues,
      expectedDuplicates: 0,
    };
    const passed =
      figures.missing === 0 && figures.duplicates === 0 && accounting.unexpected === 0 && messagesInLog === produced.produced && produced.produced > producedBeforeStop;
    const explanation =
      `The broker was stopped after ${plural(producedBeforeStop, 'message')} and answered again ${(brokerDownMs / 1000).toFixed(1)} s later; ` +
      `the idempotent producer (acks=all, up to ${producerRetries} retries, at most ${producerMaxRetryWaitMs / 1000} s apart) waited ${(producerStalledMs / 1000).toFixed(1)} s for its next acknowledgement and went on to ${figures.produced.toLocaleString('en-US')}. ` +
      `Read back from the log: ${deliverySummary(figures)}, and the log holds ${messagesInLog.toLocaleString('en-US')}. ` +
      (passed
        ? 'Retried batches kept their producer id and sequence numbers, so the broker could tell a retry from a new message.'
        : 'Something did not hold: compare the log with what was acknowledged.');
    return {
      scenario: 'broker-restart',
      passed,
      ...figures,
      explanation,
      durationMs: 0,
      topic,
      groupId: group.groupId,
      producerRetries,
      producerMaxRetryWaitMs,
      producedBeforeStop,
      brokerDownMs,
      producerStalledMs,
      messagesInLog,
      duplicateValues,
    };
  });
}

/** How many times each producer `seq` is in what the group read. */
function countBySeq(group: ConsumerGroupRun): Map<number, number> {
  const counts = new Map<number, number>();
  for (const consumer of group.consumers) {
    for (const value of consumer.log.values()) {
      const seq = (value as { seq?: unknown } | null)?.seq;
      if (typeof seq === 'number') counts.set(seq, (counts.get(seq) ?? 0) + 1);
    }
  }
  return counts;
}
