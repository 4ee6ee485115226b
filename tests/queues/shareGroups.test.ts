import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  accountForShareGroup,
  keyOrderAcrossGroup,
  type LabError,
  startLocalBroker,
  stopLocalBroker,
  waitUntil,
  KafkaLab,
} from '../../src/internal';
import { assertJavaMembersCanRun, runLabJava } from '../../src/consume/javaProcess';
import { connectTestLab, freshName, runCli, sampleRows } from '../support/broker';

/**
 * Share groups (KIP-932) against the real broker, with Kafka's own Java share
 * consumer as members (src/java/ShareMember.java). Sizes are small: each member is a JVM.
 */
let lab: KafkaLab;
before(async () => {
  lab = await connectTestLab();
});
after(async () => {
  await lab.close();
});

test('a share group spreads one partition over more members than partitions, nothing missing, order per key not kept', async () => {
  const topic = freshName('share-spread');
  await lab.createTopic({ topic, partitions: 1 });
  const group = await lab.startShareGroup({ topic, consumers: 3, processingDelayMs: 3, maxPollRecords: 50 });
  const produced = await lab.produce(sampleRows(900), { topic, key: 'country', ratePerSec: 600 });
  await group.waitForSettled(produced.produced, 90_000);
  await group.stop();
  const account = accountForShareGroup(produced.log, group);
  assert.equal(account.missing, 0);
  assert.deepEqual(
    account.idleConsumers,
    [],
    `every member got records from the one partition: ${JSON.stringify(account.perConsumer)}`,
  );
  assert.ok(account.perConsumer.every((c) => c.partitions.length === 1 && c.partitions[0] === 0));
  assert.equal(account.duplicates, 0, 'nobody died: every record delivered once');
  assert.equal(account.maxDeliveryCount, 1);
  assert.ok(keyOrderAcrossGroup(group.deliveries()).violations > 0, 'members worked on one partition side by side');
  // Kafka's own tool sees the same group, through the lab's tool runner.
  const described = await runCli(['kafka-tool', 'kafka-share-groups', '--describe', '--group', group.groupId]);
  assert.equal(described.code, 0, described.stderr);
  assert.match(described.stdout, new RegExp(`${group.groupId}\\s+${topic}\\s+0\\b`), described.stdout);
});

test('a member killed with SIGKILL: its records come back after the lock timeout with delivery count 2, nothing missing', async () => {
  const topic = freshName('share-kill');
  await lab.createTopic({ topic, partitions: 1 });
  const group = await lab.startShareGroup({
    topic,
    consumers: 2,
    processingDelayMs: 5,
    maxPollRecords: 50,
    lockTimeoutMs: 3_000,
  });
  const producing = lab.produce(sampleRows(900), { topic, key: 'none', ratePerSec: 300 });
  // Kill whichever member is processing (the share assignment decides who gets records first).
  await waitUntil(() => group.members.some((m) => m.log.length >= 10), 60_000, 'a member to be processing');
  const victim = group.members.find((m) => m.log.length >= 10)!;
  const survivor = group.members.find((m) => m !== victim)!;
  const killedAt = Date.now();
  await group.killConsumer(victim.id);
  const produced = await producing;
  await group.waitForSettled(produced.produced, 90_000);
  await group.stop();
  const account = accountForShareGroup(produced.log, group);
  assert.equal(account.missing, 0);
  assert.ok(account.redelivered > 0, 'the killed member held records');
  // At least 2; 3 happens when a member on a busy machine holds prefetched records past their lock too.
  assert.ok(account.maxDeliveryCount >= 2, `max delivery count ${account.maxDeliveryCount}`);
  assert.equal(account.unexplainedDuplicates, 0, 'every repeat carries a higher delivery count');
  const heldByVictim = new Set(victim.deliveries().map((d) => d.offset));
  // A lock runs from when the record was acquired, so the victim's records come back within the lock timeout of the kill, not after it.
  const back = survivor.deliveries().filter((d) => heldByVictim.has(d.offset) && d.receivedAt > killedAt);
  assert.ok(back.length > 0, 'records the victim had processed but not acknowledged came back to the survivor');
  assert.ok(
    back.every((d) => d.deliveryCount >= 2),
    'each as a redelivery (delivery count 2 or more)',
  );
  assert.equal(victim.state, 'crashed');
});

test('records a member printed but was killed before committing are not settled: they come back with delivery count 2 or more', async () => {
  const topic = freshName('share-uncommitted');
  await lab.createTopic({ topic, partitions: 1 });
  // 50 records a batch at 20 ms each: a member holds a batch for about a second before it commits.
  const group = await lab.startShareGroup({
    topic,
    consumers: 2,
    processingDelayMs: 20,
    maxPollRecords: 50,
    lockTimeoutMs: 3_000,
  });
  const producing = lab.produce(sampleRows(600), { topic, key: 'none', ratePerSec: 300 });
  await waitUntil(
    () => group.members.some((m) => m.uncommittedCount >= 5 && m.committed.some(Boolean)),
    60_000,
    'a member part-way through a batch, after a first commit',
  );
  const victim = group.members.find((m) => m.uncommittedCount >= 5)!;
  await group.killConsumer(victim.id);
  const settledAtKill = group.settledRecords();
  const held = victim.deliveries().filter((d) => !d.committed);
  assert.ok(held.length >= 5, `the victim died holding ${held.length} printed, uncommitted records`);
  assert.ok(
    held.every((d) => !settledAtKill.has(`${d.partition}:${d.offset}`)),
    'a record printed but never committed is not settled (it used to count as done)',
  );
  const produced = await producing;
  await group.waitForSettled(produced.produced, 90_000);
  await group.stop();
  const account = accountForShareGroup(produced.log, group);
  assert.equal(account.missing, 0);
  assert.ok(account.uncommitted >= held.length, `uncommitted deliveries: ${account.uncommitted}`);
  assert.equal(account.uncommittedNotBack, 0, 'every uncommitted record came back and settled');
  const settledElsewhere = group.deliveries().filter((d) => d.consumer !== victim.id && d.committed);
  for (const d of held) {
    assert.ok(
      settledElsewhere.some((b) => b.offset === d.offset && b.deliveryCount >= 2),
      `offset ${d.offset}, held by the victim, came back as a redelivery and was committed`,
    );
  }
});

test('start resolves once the group lists every member, without blocking the event loop', async () => {
  const topic = freshName('share-members');
  await lab.createTopic({ topic, partitions: 1 });
  // Setup and compiles used to run with spawnSync: the whole process stopped for a JVM's lifetime.
  let last = Date.now();
  let worstGapMs = 0;
  const ticker = setInterval(() => {
    const now = Date.now();
    worstGapMs = Math.max(worstGapMs, now - last);
    last = now;
  }, 20);
  let group: Awaited<ReturnType<KafkaLab['startShareGroup']>>;
  try {
    group = await lab.startShareGroup({ topic, consumers: 3 });
    await group.addConsumer();
  } finally {
    clearInterval(ticker);
  }
  try {
    assert.ok(worstGapMs < 1_000, `the event loop stalled ${worstGapMs} ms while the group started`);
    // Kafka's own tool, asked independently, sees all four members.
    const described = await runCli([
      'kafka-tool',
      'kafka-share-groups',
      '--describe',
      '--members',
      '--group',
      group.groupId,
    ]);
    assert.equal(described.code, 0, described.stderr);
    for (const member of group.members) assert.match(described.stdout, new RegExp(`\\b${member.clientId}\\b`));
  } finally {
    await group.stop();
  }
});

test('the setup helper prints one valid JSON line even when the broker error has a newline and quotes', async () => {
  const result = await runLabJava('ShareGroupSetup', [
    '--bootstrap-server',
    lab.connection.bootstrapServers.join(','),
    '--group-id',
    freshName('share-escape'),
    '--set',
    'share.auto.offset.reset=earliest\nsecond "line"',
  ]);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1, result.stdout);
  const answer = JSON.parse(lines[0]) as { e: string; code: string; message: string };
  assert.equal(answer.code, 'SETUP_FAILED');
  assert.match(answer.message, /earliest\nsecond "line"/);
});

test('queue --kill more members than can be busy is refused with what is possible', async () => {
  const refused = await runCli([
    'queue',
    '--group-type',
    'consumer',
    '--consumers',
    '4',
    '--partitions',
    '2',
    '--kill',
    '3',
  ]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /Invalid kill: 3\. Expected at most 2, the members that can be busy/);
});

test('explicit acknowledgement: poison records are rejected once, never redelivered; the rest accepted', async () => {
  const topic = freshName('share-reject');
  await lab.createTopic({ topic, partitions: 2 });
  const group = await lab.startShareGroup({ topic, consumers: 2, ack: 'explicit' });
  const produced = await lab.produce(sampleRows(300), { topic, key: 'country' });
  const producer = lab.kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: 5 }, (_, i) => ({ key: 'poison', value: `not json ${i}` })),
  });
  await producer.disconnect();
  await group.waitForSettled(305, 60_000);
  await group.stop();
  const account = accountForShareGroup(produced.log, group);
  assert.equal(account.missing, 0);
  assert.equal(account.rejected, 5);
  assert.ok(account.rejections.every((d) => d.poison && d.key === 'poison' && d.deliveryCount === 1));
  assert.equal(account.accepted, 300);
  assert.equal(account.duplicates, 0);
});

test('max deliveries: a record released every time is delivered exactly maxDeliveries times, then archived', async () => {
  const topic = freshName('share-max');
  await lab.createTopic({ topic, partitions: 1 });
  const group = await lab.startShareGroup({
    topic,
    consumers: 2,
    ack: 'explicit',
    releaseKeys: ['France'],
    maxDeliveries: 3,
  });
  const produced = await lab.produce(sampleRows(100), { topic, key: 'country' });
  const france = sampleRows(100).filter((row) => row.country === 'France').length;
  await group.waitForSettled(produced.produced, 60_000);
  await group.stop();
  const account = accountForShareGroup(produced.log, group);
  assert.equal(account.missing, 0);
  assert.equal(account.archived, france);
  assert.equal(account.released, france * 3);
  assert.equal(account.maxDeliveryCount, 3);
  const perRecord = new Map<number, number[]>();
  for (const d of group.deliveries().filter((x) => x.key === 'France'))
    perRecord.set(d.offset, [...(perRecord.get(d.offset) ?? []), d.deliveryCount]);
  assert.ok(
    [...perRecord.values()].every((counts) => counts.sort().join() === '1,2,3'),
    'each France record delivered with counts 1, 2, 3',
  );
});

test('bad options and missing Java or jars fail with errors that say what to do', async () => {
  await assert.rejects(
    lab.startShareGroup({ topic: freshName('x'), maxDeliveries: 1 }),
    (error: LabError) =>
      error.code === 'INVALID_OPTION' && /maxDeliveries: 1\. Expected a whole number from 2 to 10/.test(error.message),
  );
  await assert.rejects(
    lab.startShareGroup({ topic: freshName('x'), lockTimeoutMs: 500 }),
    /lockTimeoutMs: 500\. Expected a whole number of milliseconds from 1000 to 60000/,
  );
  await assert.rejects(
    lab.startShareGroup({ topic: freshName('x'), ack: 'auto', releaseKeys: ['a'] }),
    /ack: 'explicit'/,
  );
  const javaHome = process.env.JAVA_HOME;
  process.env.JAVA_HOME = '/nonexistent-jdk';
  try {
    assert.throws(
      () => assertJavaMembersCanRun(),
      (error: LabError) =>
        error.code === 'JAVA_MISSING' && /JDK 17\+/.test(error.message) && /JAVA_HOME/.test(error.message),
    );
    await assert.rejects(
      lab.startConsumerGroup({ topic: freshName('x'), client: 'java' }),
      (error: LabError) => error.code === 'JAVA_MISSING',
    );
  } finally {
    if (javaHome === undefined) delete process.env.JAVA_HOME;
    else process.env.JAVA_HOME = javaHome;
  }
  assert.throws(
    () => assertJavaMembersCanRun('0.0.0-not-fetched'),
    (error: LabError) => error.code === 'JARS_MISSING' && /npm install/.test(error.message),
  );
});

test('a broker with share groups turned off (share.version=0) is named as the cause', {
  timeout: 180_000,
}, async () => {
  // A second broker of this test's own, two ports above the test broker's.
  const basePort = Number(process.env.KAFKA_LAB_PORT ?? 9092) + 2;
  const { state } = await startLocalBroker({ name: 'no-share', basePort, shareGroups: false });
  const other = await KafkaLab.connect({ connection: { bootstrapServers: state.bootstrap }, startLocalBroker: false });
  try {
    const topic = freshName('share-off');
    await other.createTopic({ topic, partitions: 1 });
    await assert.rejects(
      other.startShareGroup({ topic }),
      (error: LabError) =>
        error.code === 'SHARE_GROUPS_DISABLED' &&
        /share\.version is 0/.test(error.message) &&
        /kafka-features upgrade/.test(error.message),
    );
  } finally {
    await other.close();
    await stopLocalBroker('no-share');
  }
});
