import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  measureRebalances,
  ownershipTimelineChart,
  runRebalanceScenario,
  waitUntil,
  type GroupProtocol,
  type KafkaLab,
  type RebalanceScenarioResult,
} from '../../src/internal';
import { connectTestLab, freshName, sampleRows } from '../support/broker';
import { skipUnless } from '../support/requirements';

const NO_CONFLUENT = skipUnless('librdkafka');

let lab: KafkaLab;
before(async () => {
  lab = await connectTestLab();
});
after(async () => {
  await lab.close();
});

const results = new Map<GroupProtocol, RebalanceScenarioResult>();
const scenario = (protocol: GroupProtocol) =>
  runRebalanceScenario({ protocol, consumers: 4, partitions: 12, ratePerSec: 300, stepSeconds: 2, lab });

/** The ownership chart of a run labels exactly the rebalances its summary counts (notebook 06 once said 5 and drew 23). */
function assertChartAgreesWithSummary(result: RebalanceScenarioResult): void {
  const figure = ownershipTimelineChart(result.events, { until: result.measuredUntil });
  const labels = ((figure.layout.annotations ?? []) as Array<{ text: string }>).filter((a) =>
    a.text.startsWith('rebalance '),
  );
  assert.equal(
    labels.length,
    result.summary.rebalances,
    `${result.protocol}: chart ${labels.length}, summary ${result.summary.rebalances}`,
  );
}

/** Partitions whose owner changed in the rebalances that joins caused. */
function movedByJoins(result: RebalanceScenarioResult): number {
  return result.records
    .filter((r) => r.isRebalance && r.joined.length > 0 && r.left.length === 0)
    .reduce((sum, r) => sum + r.moved.length, 0);
}

describe('the group-protocol scenario on a steady stream, per protocol', () => {
  test('eager (kafkajs): completes with nothing missing and nothing twice; every rebalance revokes every partition', async () => {
    const result = await scenario('eager');
    results.set('eager', result);
    assertChartAgreesWithSummary(result);
    assert.equal(result.choice.client, 'kafkajs');
    assert.equal(result.accounting.missing, 0);
    // kafkajs commits what a member processed before it gives up its partitions in the eager rebalance (README: "nothing was delivered twice").
    assert.equal(result.accounting.duplicates, 0, 'messages delivered twice across the rebalances');
    assert.ok(result.summary.rebalances >= 4, `rebalances: ${result.summary.rebalances}`);
    assert.ok(
      result.summary.partitionsRevoked >= 12 * result.summary.rebalances,
      `revoked ${result.summary.partitionsRevoked}`,
    );
  });

  test('cooperative-sticky (librdkafka): completes with nothing missing and nothing twice', {
    skip: NO_CONFLUENT,
  }, async () => {
    const result = await scenario('cooperative-sticky');
    results.set('cooperative-sticky', result);
    assertChartAgreesWithSummary(result);
    assert.equal(result.choice.client, 'confluent');
    assert.equal(result.accounting.missing, 0);
    // A revoked partition's processed offsets are committed before it moves (without that, 7 runs in 10 re-delivered 180-400).
    assert.equal(result.accounting.duplicates, 0, 'messages delivered twice across the rebalances');
    assert.ok(result.summary.rebalances >= 4, `rebalances: ${result.summary.rebalances}`);
  });

  test('consumer, KIP-848 (librdkafka): completes with nothing missing and nothing twice', {
    skip: NO_CONFLUENT,
  }, async () => {
    const result = await scenario('consumer');
    results.set('consumer', result);
    assertChartAgreesWithSummary(result);
    assert.equal(result.accounting.missing, 0);
    // One CLI run reported 41 duplicates here (issue 16); see ConfluentConsumer.stop().
    assert.equal(result.accounting.duplicates, 0, 'messages delivered twice across the rebalances');
    assert.ok(result.summary.rebalances >= 4, `rebalances: ${result.summary.rebalances}`);
  });

  // Kafka's VerifiableConsumer, which does not commit on revoke, delivered 5 to 13 messages twice with
  // cooperative-sticky; the lab's Java member commits after every poll, on revoke and on leave.
  for (const protocol of ['consumer', 'cooperative-sticky'] as const) {
    test(`${protocol} on Kafka's own Java client: nothing missing, nothing twice`, async () => {
      const result = await runRebalanceScenario({
        protocol,
        client: 'java',
        consumers: 4,
        partitions: 12,
        ratePerSec: 300,
        stepSeconds: 2,
        lab,
      });
      assert.equal(result.choice.client, 'java');
      assert.equal(result.accounting.missing, 0);
      assert.equal(result.accounting.duplicates, 0, 'messages delivered twice across the rebalances');
      assert.equal(result.steps.length, 7, 'three joins, a leave, a restart and the end, all taken');
      // Three joins, a leave and a restart. KIP-848 moves partitions only on heartbeats (the broker's 5 s interval),
      // so with steps 2 s apart the Java client's reconciliation folds close steps into one episode: 3 were seen in a
      // CI run, 2 in a targeted run here (the joiner of one step got its partitions with the next one's).
      const least = protocol === 'consumer' ? 2 : 3;
      assert.ok(result.summary.rebalances >= least, `rebalances: ${result.summary.rebalances}`);
    });
  }

  test('cooperative-sticky and consumer move and revoke fewer partitions than eager for the same joins', {
    skip: NO_CONFLUENT,
  }, () => {
    const eager = results.get('eager');
    assert.ok(eager, 'the eager run completed');
    for (const protocol of ['cooperative-sticky', 'consumer'] as const) {
      const incremental = results.get(protocol);
      assert.ok(incremental, `the ${protocol} run completed`);
      assert.ok(
        movedByJoins(incremental) < movedByJoins(eager),
        `${protocol} moved ${movedByJoins(incremental)}, eager ${movedByJoins(eager)}`,
      );
      assert.ok(
        incremental.summary.partitionsRevoked < eager.summary.partitionsRevoked,
        `${protocol} revoked ${incremental.summary.partitionsRevoked}, eager ${eager.summary.partitionsRevoked}`,
      );
    }
  });
});

// Static membership needs group.instance.id, which only the librdkafka client has, under every protocol (eager included).
for (const protocol of ['eager', 'cooperative-sticky', 'consumer'] as const) {
  test(`static membership (${protocol}, librdkafka): a restart within the session timeout causes no rebalance`, {
    skip: NO_CONFLUENT,
  }, async () => {
    const topic = freshName(`static-${protocol}`);
    await lab.createTopic({ topic, partitions: 6 });
    const group = await lab.startConsumerGroup({
      topic,
      consumers: 3,
      protocol,
      staticMembership: true,
      connection: lab.connection,
      keepValues: false,
    });
    assert.equal(group.choice.client, 'confluent');
    const producing = lab.produce(sampleRows(3000), { topic, key: 'none', ratePerSec: 600 });
    await group.waitForReceived(600, 30_000);
    // Let the group's own start-up settle first (KIP-848 members reconcile for a while), so the restart stands alone.
    await waitUntil(() => Date.now() - group.events.at(-1)!.at > 1_500, 30_000, 'the group to settle');
    const before = new Map(group.active.map((member) => [member.id, member.partitions]));
    const restarting = group.active[1];
    const restartedAt = Date.now();
    await group.stopConsumer(restarting.id, { waitForAssignment: false });
    const replacement = await group.addConsumer();
    assert.equal(replacement.instanceId, restarting.instanceId, 'the replacement took over the group.instance.id');
    assert.deepEqual(replacement.partitions, before.get(restarting.id), 'and got the same partitions back');
    const produced = await producing;
    await group.waitForReceived(produced.produced, 60_000);
    const measuredUntil = Date.now();
    await group.stop();

    const others = group.events.filter(
      (e) =>
        e.at >= restartedAt && e.at <= measuredUntil && e.consumer !== restarting.id && e.consumer !== replacement.id,
    );
    assert.deepEqual(
      others.map((e) => `${e.consumer} ${e.type}`),
      [],
      'the other members saw nothing',
    );
    const records = measureRebalances(
      group.events,
      group.consumers.map((c) => c.log),
      { until: measuredUntil },
    );
    const restart = records.find((r) => r.joined.includes(replacement.id))!;
    assert.equal(restart.isRebalance, false);
    assert.deepEqual(
      restart.moved,
      [...(before.get(restarting.id) ?? [])],
      'the restarted member paused only its own partitions',
    );
    assert.equal(lab.accountFor(produced, group).missing, 0);
  });
}

test('the librdkafka client works with every helper feature: records, tally, accounting, lag', {
  skip: NO_CONFLUENT,
}, async () => {
  const topic = freshName('confluent-features');
  await lab.createTopic({ topic, partitions: 3 });
  const rows = sampleRows(600);
  const produced = await lab.produce(rows, { topic, key: 'country' });
  const group = await lab.startConsumerGroup({ topic, consumers: 2, client: 'confluent', connection: lab.connection });
  await group.waitForReceived(600, 30_000);
  const accounting = lab.accountFor(produced, group);
  assert.equal(accounting.missing, 0);
  assert.equal(accounting.duplicates, 0);
  assert.equal(group.tally.unique, 600);
  const record = group.records().find((r) => (r.value as { seq: number }).seq === 0)!;
  assert.deepEqual(record.value, { seq: 0, ...rows[0] });
  assert.equal(record.key, rows[0].country);
  await waitUntil(async () => (await lab.sampleLag(group)).every((s) => s.lag === 0), 15_000, 'lag to reach 0');
  const types = new Set(group.events.map((e) => e.type));
  assert.ok(types.has('join') && types.has('assignment'), `events: ${[...types].join(', ')}`);
  await group.stop();
  assert.ok(group.events.filter((e) => e.type === 'leave').length === 2);
});
