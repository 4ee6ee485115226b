import { validateWholeNumber } from '../../options';
import type { ConnectionSettings } from '../../config/connection';
import { KafkaLab } from '../../lab';
import { deliverySummary, figuresFromAccounting, plural, type ChaosCommonOptions, type ChaosReport } from '../../chaos/report';
import { freshName } from '../../util/syntheticRows';
import { startChaosStream, type ChaosStream } from '../../chaos/stream';

export interface ConsumerChurnOptions extends ChaosCommonOptions {
  /** Join-and-leave cycles during the stream: each adds one consumer, then stops the oldest. Default 10. */
  cycles?: number;
  /** Default: the configured cluster (the shared local broker unless told otherwise). */
  connection?: ConnectionSettings;
  partitions?: number;
}

export interface ConsumerChurnReport extends ChaosReport {
  scenario: 'consumer-churn';
  joins: number;
  leaves: number;
  /** Rebalances the consumers went through (rebalance-start events, per consumer). */
  rebalanceEvents: number;
  consumers: Array<{ id: string; received: number; duplicates: number }>;
  /** Messages that arrived after the last membership change: the stream went on. */
  receivedAfterChurn: number;
}

/**
 * Ten joins and ten leaves of consumers in one group while a paced stream runs,
 * with commits after processing and clean leaves (LeaveGroup after the last
 * commit): nothing may be missing and nothing may arrive twice.
 */
export async function runConsumerChurn(options: ConsumerChurnOptions = {}): Promise<ConsumerChurnReport> {
  const began = Date.now();
  const cycles = options.cycles ?? 10;
  validateWholeNumber('cycles', cycles, 1, 50);
  const ratePerSec = options.ratePerSec ?? 400;
  const note = options.onNote ?? (() => undefined);
  const lab = await KafkaLab.connect(options.connection ? { connection: options.connection } : {});
  let stream: ChaosStream | undefined;
  try {
    const topic = freshName('chaos-churn');
    await lab.createTopic({ topic, partitions: options.partitions ?? 6 });
    const group = await lab.startConsumerGroup({ topic, consumers: 2, commit: 'after-processing', from: 'earliest' });
    // Produces until the churn is over (bounded at two minutes of stream whatever happens).
    stream = startChaosStream(lab, topic, { ratePerSec });
    await group.waitForReceived(ratePerSec / 2, 30_000);

    let joins = 0;
    let leaves = 0;
    for (let cycle = 1; cycle <= cycles; cycle += 1) {
      const before = group.tally.unique;
      const added = await group.addConsumer();
      joins += 1;
      const oldest = group.active[0];
      await group.stopConsumer(oldest.id);
      leaves += 1;
      note(`cycle ${cycle}/${cycles}: ${added.id} joined, ${oldest.id} left (${group.tally.unique - before} messages in between)`);
      // Each change lands while messages flow: wait for some before the next one.
      await group.waitForReceived(group.tally.unique + Math.ceil(ratePerSec / 10), 30_000);
    }
    const afterChurn = group.tally.unique;
    await group.waitForReceived(afterChurn + ratePerSec / 2, 30_000);
    const produced = await stream.stop();
    await group.waitForReceived(produced.produced, 60_000).catch(() => undefined);
    await group.stop();

    const accounting = lab.accountFor(produced, group);
    const rebalanceEvents = group.events.filter((event) => event.type === 'rebalance-start').length;
    const figures = figuresFromAccounting(accounting);
    const passed = figures.missing === 0 && figures.duplicates === 0 && accounting.unexpected === 0 && joins === cycles && leaves === cycles;
    const explanation =
      `While ${plural(figures.produced, 'message')} streamed into ${topic}, ${plural(joins, 'consumer')} joined and ${leaves} left group ${group.groupId} ` +
      `(${plural(rebalanceEvents, 'rebalance event')} across its members); ${deliverySummary(figures)}. ` +
      (passed
        ? 'Each consumer committed right after processing and each leave was clean (last commit, then LeaveGroup), so the next owner of a partition started exactly where the previous one stopped.'
        : 'With commits after processing and clean leaves this should not happen: look at the per-consumer figures and the group events.');
    return {
      scenario: 'consumer-churn',
      passed,
      ...figures,
      explanation,
      durationMs: Date.now() - began,
      topic,
      groupId: group.groupId,
      joins,
      leaves,
      rebalanceEvents,
      consumers: accounting.perConsumer.map((c) => ({ id: c.id, received: c.received, duplicates: c.duplicates })),
      receivedAfterChurn: Math.max(0, accounting.received - afterChurn),
    };
  } finally {
    stream?.abort();
    await lab.close();
  }
}
