import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { JavaMember, waitUntil, type KafkaLab } from '../../src/internal';
import { connectTestLab, freshName, sampleRows } from '../support/broker';

/**
 * Kafka's own Java consumer (VerifiableConsumer, one process per member) as a
 * group member beside kafkajs and librdkafka: same group, accounting and events.
 */
let lab: KafkaLab;
before(async () => {
  lab = await connectTestLab();
});
after(async () => {
  await lab.close();
});

for (const protocol of ['eager', 'consumer'] as const) {
  test(`Java members (${protocol === 'eager' ? 'classic, eager' : 'KIP-848'}): assignment, records, accounting, a clean leave and a SIGKILL`, {
    timeout: 240_000,
  }, async () => {
    const topic = freshName(`java-${protocol}`);
    await lab.createTopic({ topic, partitions: 4 });
    const rows = sampleRows(400);
    const group = await lab.startConsumerGroup({
      topic,
      consumers: 3,
      client: 'java',
      protocol,
      sessionTimeoutMs: 6_000,
      connection: lab.connection,
    });
    assert.ok(group.consumers.every((member) => member instanceof JavaMember));
    assert.ok(group.isAssignmentStable(), 'the four partitions are shared out without overlap');
    const first = await lab.produce(rows, { topic, key: 'country' });
    await group.waitForReceived(400, 60_000);
    const record = group.records().find((r) => (r.value as { seq: number }).seq === 0)!;
    assert.deepEqual(record.value, { seq: 0, ...rows[0] });
    assert.equal(record.key, rows[0].country);

    // A clean leave: the others take its partitions, nothing is read twice (commits after every poll).
    await group.stopConsumer('consumer-3');
    // A crash: a member that owns partitions is killed; they move when its session times out.
    const victim = group.active.find((m) => m.partitions.length > 0)!;
    const survivor = group.active.find((m) => m !== victim)!;
    const killedAt = Date.now();
    await group.killConsumer(victim.id);
    // KIP-848 takes the session from the group (set from sessionTimeoutMs, 6 s); it used to be the broker's 45 s.
    await waitUntil(
      () => survivor.partitions.length === 4,
      20_000,
      `the survivor to own all four partitions within seconds of the kill (owns [${survivor.partitions}])`,
    );
    const takeoverMs = Date.now() - killedAt;
    assert.ok(takeoverMs < 6_000 + 8_000, `partitions moved ${takeoverMs} ms after the kill (session 6 s)`);
    const second = await lab.produce(rows, { topic, key: 'country' });
    await group.waitForReceived(800, 120_000);
    await group.waitForStableAssignment(60_000);
    assert.deepEqual(
      group.active.map((m) => m.id),
      [survivor.id],
    );
    assert.deepEqual(group.active[0].partitions, [0, 1, 2, 3]);
    await group.stop();

    const firstAccount = lab.accountFor(first, group);
    const secondAccount = lab.accountFor(second, group);
    assert.equal(firstAccount.missing + secondAccount.missing, 0);
    // Produced after the kill and the leave had settled: nobody had read any of it before.
    assert.equal(secondAccount.duplicates, 0);
    const types = group.events.map((e) => `${e.consumer} ${e.type}`);
    assert.ok(types.includes('consumer-3 leave') && types.includes(`${victim.id} crash`), types.join(', '));
  });
}
