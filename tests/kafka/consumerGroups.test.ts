import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { accountFor, waitUntil, type KafkaLab } from '../../src/internal';
import { connectTestLab, freshName, sampleRows } from '../support/broker';

let lab: KafkaLab;
before(async () => {
  lab = await connectTestLab();
});
after(async () => {
  await lab.close();
});

async function spread(partitions: number, consumers: number) {
  const topic = freshName('spread');
  await lab.createTopic({ topic, partitions });
  const group = await lab.startConsumerGroup({ topic, consumers });
  const produced = await lab.produce(sampleRows(1200), { topic, key: 'customer' });
  await group.waitForReceived(produced.produced, 60_000);
  const summaries = group.summaries();
  await group.stop();
  return { summaries, accounting: lab.accountFor(produced, group), produced };
}

describe('P partitions over N consumers', () => {
  test('P > N: 6 partitions over 3 consumers, two each', async () => {
    const { summaries, accounting } = await spread(6, 3);
    assert.deepEqual(
      summaries.map((s) => s.partitions.length),
      [2, 2, 2],
    );
    assert.deepEqual(summaries.flatMap((s) => s.partitions).sort(), [0, 1, 2, 3, 4, 5]);
    assert.equal(accounting.missing, 0);
    assert.equal(accounting.duplicates, 0);
    assert.equal(accounting.received, 1200);
    // Every consumer got exactly the messages of the partitions it owns.
    for (const [i, s] of summaries.entries()) {
      const expected = s.partitions.reduce((sum, p) => sum + accounting.perPartition[p].produced, 0);
      assert.equal(s.received, expected, `consumer ${i + 1}`);
    }
  });

  test('P = N: 3 partitions over 3 consumers, one each', async () => {
    const { summaries, accounting } = await spread(3, 3);
    assert.deepEqual(
      summaries.map((s) => s.partitions.length),
      [1, 1, 1],
    );
    assert.equal(accounting.missing, 0);
    assert.ok(summaries.every((s) => s.received > 0 && !s.idle));
  });

  test('P < N: 2 partitions over 4 consumers leaves two idle', async () => {
    const { summaries, accounting } = await spread(2, 4);
    const idle = summaries.filter((s) => s.idle);
    assert.equal(idle.length, 2);
    assert.ok(idle.every((s) => s.received === 0 && s.partitions.length === 0));
    assert.equal(summaries.filter((s) => s.partitions.length === 1).length, 2);
    assert.equal(accounting.missing, 0);
    assert.equal(accounting.received, 1200);
  });
});

test('a consumer added and one removed mid-stream: nothing missing, events recorded', async () => {
  const topic = freshName('churn');
  await lab.createTopic({ topic, partitions: 6 });
  const group = await lab.startConsumerGroup({ topic, consumers: 2 });
  // A paced stream (about 3 s) so that the membership changes land in the middle of it.
  const producing = lab.produce(sampleRows(3000), { topic, key: 'invoice', ratePerSec: 1000 });
  await group.waitForReceived(300, 30_000);
  const added = await group.addConsumer();
  assert.equal(group.active.length, 3);
  assert.ok(added.partitions.length > 0, 'the new consumer received partitions');
  await group.stopConsumer('consumer-1');
  assert.equal(group.active.length, 2);
  const produced = await producing;
  await group.waitForReceived(produced.produced, 60_000);
  await group.stop();
  const accounting = lab.accountFor(produced, group);
  assert.equal(accounting.missing, 0);
  assert.equal(accounting.received, 3000);
  assert.ok(
    group.consumers.every((c) => c.log.length > 0),
    'all three consumers received messages',
  );
  const types = new Set(group.events.map((e) => e.type));
  for (const type of ['join', 'assignment', 'rebalance-start', 'rebalance-end', 'leave'] as const) {
    assert.ok(types.has(type), `event ${type} recorded`);
  }
  const ownership = group.ownership();
  assert.ok(ownership.some((o) => o.consumer === 'consumer-3'));
  assert.ok(
    ownership.filter((o) => o.consumer === 'consumer-1').every((o) => o.to !== null),
    'consumer-1 owns nothing after leaving',
  );
});

test('earliest reads what was produced before the group joined; latest does not', async () => {
  const topic = freshName('positions');
  await lab.createTopic({ topic, partitions: 3 });
  const before = await lab.produce(sampleRows(200), { topic, key: 'none' });
  const earliest = await lab.startConsumerGroup({ topic, consumers: 1, from: 'earliest' });
  const latest = await lab.startConsumerGroup({ topic, consumers: 1, from: 'latest' });
  const afterJoin = await lab.produce(sampleRows(50), { topic, key: 'none' });
  await earliest.waitForReceived(250, 30_000);
  await latest.waitForReceived(50, 30_000);
  await Promise.all([earliest.stop(), latest.stop()]);

  const early = lab.accountFor(before, earliest);
  assert.equal(early.missing, 0, 'earliest got every message produced before it joined');
  assert.equal(lab.accountFor(afterJoin, earliest).missing, 0);

  const late = lab.accountFor(before, latest);
  assert.equal(late.received, 0, 'latest got none of the earlier messages');
  assert.equal(lab.accountFor(afterJoin, latest).missing, 0, 'latest got every later message');
  assert.equal(latest.received, 50);
});

test('recorded messages carry partition, offset, key, timestamps and the JSON value', async () => {
  const topic = freshName('records');
  await lab.createTopic({ topic, partitions: 2 });
  const group = await lab.startConsumerGroup({ topic, consumers: 1 });
  const rows = sampleRows(10);
  const produced = await lab.produce(rows, { topic, key: 'country' });
  await group.waitForReceived(10, 30_000);
  await group.stop();
  const records = group.records().sort((a, b) => (a.value as { seq: number }).seq - (b.value as { seq: number }).seq);
  assert.equal(records.length, 10);
  for (const [i, record] of records.entries()) {
    assert.equal(record.key, rows[i].country);
    assert.deepEqual(record.value, { seq: i, ...rows[i] });
    assert.ok(record.producedAt >= produced.startedAt && record.producedAt <= produced.finishedAt);
    assert.ok(record.receivedAt >= record.producedAt);
  }
  // The same key always lands in the same partition.
  const partitionOf = new Map<string, number>();
  for (const r of records) {
    assert.equal(partitionOf.get(r.key!) ?? r.partition, r.partition);
    partitionOf.set(r.key!, r.partition);
  }
});

test('lag is sampled per partition and reaches zero once the group has caught up', async () => {
  const topic = freshName('lag');
  await lab.createTopic({ topic, partitions: 3 });
  const produced = await lab.produce(sampleRows(600), { topic, key: 'invoice' });
  const group = await lab.startConsumerGroup({ topic, consumers: 1 });
  await group.waitForReceived(produced.produced, 30_000);
  const samples = await lab.sampleLag(group);
  assert.deepEqual(
    samples.map((s) => s.partition),
    [0, 1, 2],
  );
  // Commits follow processing: wait on the condition rather than assume it.
  await waitUntil(async () => (await lab.sampleLag(group)).every((s) => s.lag === 0), 15_000, 'lag to reach 0');
  const final = await lab.sampleLag(group);
  assert.equal(
    final.reduce((sum, s) => sum + s.end, 0),
    600,
  );
  await group.stop();
});

test('a message that is not JSON is kept as a poison message while the stream goes on', async () => {
  const topic = freshName('poison');
  await lab.createTopic({ topic, partitions: 1 });
  const group = await lab.startConsumerGroup({ topic, consumers: 1 });
  const before = await lab.produce(sampleRows(5), { topic });
  // Written by a plain client, as a foreign producer would.
  const producer = lab.kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'x', value: 'not json at all {' }] });
  await producer.disconnect();
  const after = await lab.produce(sampleRows(5), { topic });
  await group.waitForReceived(11, 30_000);
  await group.stop();
  assert.equal(lab.accountFor(before, group).missing, 0);
  assert.equal(lab.accountFor(after, group).missing, 0, 'messages after the poison one still arrived');
  const poison = group.poisonMessages();
  assert.equal(poison.length, 1);
  assert.equal(poison[0].offset, 5);
  assert.deepEqual(
    { ...(poison[0].value as object), error: undefined },
    { poison: true, raw: 'not json at all {', error: undefined },
  );
});

describe('commit after processing: a clean stop commits exactly what was processed', () => {
  for (const processingDelayMs of [0, 5]) {
    test(`the next member of the group starts right after it (processing delay ${processingDelayMs} ms)`, async () => {
      const topic = freshName('handover');
      await lab.createTopic({ topic, partitions: 2 });
      const groupId = freshName('handover-group');
      const produced = await lab.produce(sampleRows(600), { topic, key: 'invoice' });
      const first = await lab.startConsumerGroup({
        topic,
        groupId,
        consumers: 1,
        commit: 'after-processing',
        processingDelayMs,
      });
      // Stop in the middle of the stream (with a delay, in the middle of a batch).
      await first.waitForReceived(150, 30_000);
      await first.stop();
      const processed = first.tally.unique;
      assert.ok(processed >= 150);
      const second = await lab.startConsumerGroup({ topic, groupId, consumers: 1, commit: 'after-processing' });
      await second.waitForReceived(600 - processed, 30_000);
      await second.stop();
      const both = accountFor(produced.log, [...first.consumers, ...second.consumers]);
      assert.equal(both.missing, 0);
      assert.equal(both.duplicates, 0, 'nothing the first member processed was delivered again');
      assert.equal(second.received, 600 - processed);
    });
  }
});

test('a row with a 1 MB description is not sent but listed as rejected; the rows around it arrive', async () => {
  const topic = freshName('oversize');
  await lab.createTopic({ topic, partitions: 2 });
  const group = await lab.startConsumerGroup({ topic, consumers: 1 });
  const rows = sampleRows(5);
  rows[2] = { ...rows[2], description: 'X'.repeat(1_048_576) };
  const produced = await lab.produce(rows, { topic, key: 'invoice' });
  assert.equal(produced.produced, 4);
  assert.equal(produced.rejected.length, 1);
  assert.equal(produced.rejected[0].seq, 2);
  assert.match(produced.rejected[0].reason, /above the 1,000,000-byte limit/);
  await group.waitForReceived(4, 30_000);
  await group.stop();
  assert.equal(lab.accountFor(produced, group).missing, 0);
  assert.deepEqual(
    group
      .records()
      .map((r) => (r.value as { seq: number }).seq)
      .sort(),
    [0, 1, 3, 4],
  );
});

test('rows of half a megabyte each are sent in batches Kafka accepts', async () => {
  const topic = freshName('bigrows');
  await lab.createTopic({ topic, partitions: 1 });
  const rows = sampleRows(6).map((row) => ({ ...row, description: 'Y'.repeat(400_000) }));
  const produced = await lab.produce(rows, { topic });
  assert.equal(produced.produced, 6);
  assert.equal((await lab.describeTopic(topic)).messages, 6);
});
