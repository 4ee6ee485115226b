import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import {
  cacheDir,
  resolveConnection,
  timeDescribeTool,
  waitUntil,
  type GroupProtocol,
  type KafkaLab,
  type ReceivedRecord,
} from '../../src/internal';
import { connectTestLab, freshName, runCli, sampleRows } from '../support/broker';
import { committedOffsets, consoleRead, endOffsets, groupMembers } from '../support/kafkaWitness';
import { skipUnless } from '../support/requirements';

/*
 * Kafka as the witness: after a run, what the lab says (produced per partition,
 * processed, who owns what, the messages themselves) must equal what Kafka's own
 * tools report, read from the same broker with none of the lab's code.
 */
let lab: KafkaLab;
let bootstrap: string;
before(async () => {
  lab = await connectTestLab();
  bootstrap = lab.connection.bootstrapServers.join(',');
});
after(async () => {
  await lab.close();
});

/** What the lab says it processed: per partition, the offset after the last message it received (a commit names that). */
function processedUpTo(records: readonly ReceivedRecord[]): Map<number, number> {
  const next = new Map<number, number>();
  for (const record of records)
    next.set(record.partition, Math.max(next.get(record.partition) ?? 0, record.offset + 1));
  return next;
}

const asObject = <V>(map: Map<number | string, V>) => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)));

for (const { partitions, consumers } of [
  { partitions: 6, consumers: 3 },
  { partitions: 2, consumers: 3 },
]) {
  describe(`${consumers} consumers on ${partitions} partitions, 1,500 rows keyed by customer`, () => {
    const rows = sampleRows(1500);
    let topic: string;
    let group: Awaited<ReturnType<KafkaLab['startConsumerGroup']>>;
    let produced: Awaited<ReturnType<KafkaLab['produce']>>;

    before(async () => {
      topic = freshName('witness');
      await lab.createTopic({ topic, partitions });
      group = await lab.startConsumerGroup({ topic, consumers, from: 'earliest', commit: 'after-processing' });
      produced = await lab.produce(rows, { topic, key: 'customer' });
      await group.waitForReceived(produced.produced, 60_000);
    });
    after(async () => {
      await group.stop();
    });

    test('per-partition counts equal kafka-get-offsets', async () => {
      const kafka = await endOffsets(bootstrap, topic);
      assert.equal(kafka.size, partitions);
      const accounting = lab.accountFor(produced, group);
      assert.equal(accounting.missing, 0);
      const lab_ = new Map(Array.from({ length: partitions }, (_, p) => [p, produced.perPartition[p] ?? 0]));
      assert.deepEqual(asObject(lab_), asObject(kafka), 'produced per partition (lab) versus end offsets (Kafka)');
      const received = new Map(
        Array.from({ length: partitions }, (_, p) => [
          p,
          accounting.perPartition.find((a) => a.partition === p)?.received ?? 0,
        ]),
      );
      assert.deepEqual(asObject(received), asObject(kafka), 'received per partition (lab) versus end offsets (Kafka)');
    });

    test("the group's committed offsets (kafka-consumer-groups --describe) equal what the lab processed", async () => {
      const processed = processedUpTo(group.records());
      let committed = new Map<number, number | null>();
      // A commit follows the batch it covers: wait on Kafka's answer, not on a clock.
      await waitUntil(
        async () => {
          committed = await committedOffsets(bootstrap, group.groupId, topic);
          return [...processed].every(([partition, next]) => committed.get(partition) === next);
        },
        30_000,
        'the committed offsets to reach what the lab processed',
      ).catch(() => undefined);
      const nonEmpty = new Map([...committed].filter(([partition]) => processed.has(partition)));
      assert.deepEqual(asObject(nonEmpty), asObject(processed));
      for (const [partition, offset] of committed)
        if (!processed.has(partition))
          assert.ok(offset === null || offset === 0, `p${partition} committed ${offset} without messages`);
    });

    test('the assignment the lab shows equals the one Kafka describes, member by member', async () => {
      const kafka = await groupMembers(bootstrap, group.groupId, topic);
      const shown = new Map(
        group
          .summaries()
          .map((s) => [group.consumers.find((c) => c.id === s.id)!.memberId!, [...s.partitions].sort((a, b) => a - b)]),
      );
      assert.equal(kafka.size, consumers);
      assert.deepEqual(asObject(shown), asObject(kafka));
      const idle = group.summaries().filter((s) => s.idle).length;
      assert.equal(idle, Math.max(0, consumers - partitions), 'idle consumers where consumers exceed partitions');
      assert.equal(
        [...kafka.values()].filter((owned) => owned.length === 0).length,
        idle,
        'Kafka agrees on the idle ones',
      );
    });

    test("Kafka's console consumer reads back exactly the messages the lab produced and received", async () => {
      const read = await consoleRead(bootstrap, topic, produced.produced);
      assert.equal(read.length, produced.produced);
      const byPosition = new Map(group.records().map((r) => [`${r.partition}:${r.offset}`, r]));
      assert.equal(byPosition.size, produced.produced);
      for (const message of read) {
        const record = byPosition.get(`${message.partition}:${message.offset}`);
        assert.ok(record, `Kafka has p${message.partition}@${message.offset}, the lab did not receive it`);
        assert.equal(message.key, record.key);
        assert.deepEqual(JSON.parse(message.value), record.value);
      }
      const seqs = read.map((m) => (JSON.parse(m.value) as { seq: number }).seq).sort((a, b) => a - b);
      assert.deepEqual(
        seqs,
        rows.map((_, i) => i),
        'every produced row exactly once',
      );
      const first = read.find((m) => JSON.parse(m.value).seq === 0)!;
      assert.deepEqual(JSON.parse(first.value), { seq: 0, ...rows[0] });
    });
  });
}

test('`kafka-lab run --json`: its per-partition figures equal Kafka end offsets and the committed offsets it left', {
  timeout: 180_000,
}, async () => {
  const cli = await runCli(['run', '--rows', '1200', '--partitions', '4', '--consumers', '3', '--json']);
  assert.equal(cli.code, 0, cli.stderr);
  const run = JSON.parse(cli.stdout) as {
    topic: string;
    groupId: string;
    produced: number;
    received: number;
    perPartition: Array<{ partition: number; produced: number; received: number }>;
  };
  assert.equal(run.received, run.produced);
  const kafka = await endOffsets(bootstrap, run.topic);
  assert.deepEqual(asObject(new Map(run.perPartition.map((p) => [p.partition, p.produced]))), asObject(kafka));
  const committed = await committedOffsets(bootstrap, run.groupId, run.topic);
  assert.deepEqual(asObject(new Map(run.perPartition.map((p) => [p.partition, p.received]))), asObject(committed));
});

test("the replay witness's reference run of kafka-consumer-groups --describe: answers within its timeout, is killed past it, keeps secrets off argv and output, leaves no config file", {
  timeout: 180_000,
}, async () => {
  const topic = freshName('witness-describe');
  await lab.createTopic({ topic, partitions: 2 });
  const group = await lab.startConsumerGroup({ topic, consumers: 1 });
  try {
    const described = await timeDescribeTool(group.groupId, lab.connection, { timeoutMs: 120_000 });
    assert.equal(described.exitCode, 0, described.output);
    assert.equal(described.timedOut, false);
    assert.match(described.output, new RegExp(topic));
  } finally {
    await group.stop();
  }
  // A secured cluster that never answers (nothing listens on port 1): the settings go in a 0600 file
  // (removed afterwards), never on the command line; the tool is killed at its timeout.
  const configDir = path.join(cacheDir, 'java', 'config');
  fs.mkdirSync(configDir, { recursive: true });
  const before = fs.existsSync(configDir) ? fs.readdirSync(configDir) : [];
  const secret = `witness-${Math.random().toString(36).slice(2)}`;
  const secured = resolveConnection({
    bootstrapServers: '127.0.0.1:1',
    securityProtocol: 'SASL_PLAINTEXT',
    saslMechanism: 'PLAIN',
    saslUsername: 'lab',
    saslPassword: secret,
  });
  let seenConfig: { mode: number; text: string } | undefined;
  const watching = fs.watch(configDir, (_event, name) => {
    const file = path.join(configDir, String(name));
    if (seenConfig || !fs.existsSync(file)) return;
    seenConfig = { mode: fs.statSync(file).mode & 0o777, text: fs.readFileSync(file, 'utf8') };
  });
  let timedOut: Awaited<ReturnType<typeof timeDescribeTool>>;
  try {
    timedOut = await timeDescribeTool('no-such-group', secured, { timeoutMs: 3000 });
  } finally {
    watching.close();
  }
  assert.equal(timedOut.timedOut, true, timedOut.output);
  assert.equal(timedOut.exitCode, null);
  assert.ok(timedOut.ms < 30_000, `killed after ${timedOut.ms} ms`);
  assert.ok(!timedOut.output.includes(secret), 'the password is not in the output');
  if (seenConfig) {
    assert.equal(seenConfig.mode, 0o600);
    assert.match(seenConfig.text, /security\.protocol=SASL_PLAINTEXT/);
  }
  assert.deepEqual(fs.readdirSync(configDir).sort(), before.sort(), 'the command-config file is removed');
});

// librdkafka members do not expose their member id, so the comparison is of the partition sets the members own.
for (const protocol of ['cooperative-sticky', 'consumer'] as GroupProtocol[]) {
  test(`${protocol} on librdkafka: the partitions each member owns are the ones Kafka describes, and the commits match`, {
    skip: skipUnless('librdkafka'),
    timeout: 180_000,
  }, async () => {
    const topic = freshName(`witness-${protocol}`);
    await lab.createTopic({ topic, partitions: 5 });
    const group = await lab.startConsumerGroup({
      topic,
      consumers: 3,
      protocol,
      connection: lab.connection,
      keepValues: false,
    });
    try {
      const produced = await lab.produce(sampleRows(900), { topic, key: 'customer' });
      await group.waitForReceived(produced.produced, 60_000);
      const shown = () =>
        group
          .summaries()
          .map((s) => [...s.partitions].sort((a, b) => a - b).join(','))
          .sort();
      let kafka: string[] = [];
      // KIP-848 members reconcile one step at a time: compare once Kafka and the lab agree, or fail with both.
      await waitUntil(
        async () => {
          kafka = [...(await groupMembers(bootstrap, group.groupId, topic)).values()]
            .map((owned) => owned.join(','))
            .sort();
          return JSON.stringify(kafka) === JSON.stringify(shown());
        },
        30_000,
        'Kafka and the lab to agree on the assignment',
      ).catch(() => undefined);
      assert.deepEqual(kafka, shown());
      assert.equal(shown().flatMap((owned) => (owned ? owned.split(',') : [])).length, 5, 'every partition owned once');
      const processed = processedUpTo(group.records());
      let committed = new Map<number, number | null>();
      await waitUntil(
        async () => {
          committed = await committedOffsets(bootstrap, group.groupId, topic);
          return [...processed].every(([partition, next]) => committed.get(partition) === next);
        },
        30_000,
        'the committed offsets to reach what the lab processed',
      ).catch(() => undefined);
      assert.deepEqual(asObject(new Map([...committed].filter(([p]) => processed.has(p)))), asObject(processed));
    } finally {
      await group.stop();
    }
  });
}
