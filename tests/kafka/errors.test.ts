import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KafkaLab, LabError, runRebalanceScenario } from '../../src/internal';
import { connectTestLab, freshName, runCli } from '../support/broker';

let lab: KafkaLab;
before(async () => {
  lab = await connectTestLab();
});
after(async () => {
  await lab.close();
});

test('an unreachable broker fails within 10 s, naming the address and the fix', async () => {
  const began = Date.now();
  await assert.rejects(
    KafkaLab.connect({ connection: { bootstrapServers: '127.0.0.1:1' } }),
    (error: unknown) =>
      error instanceof LabError &&
      error.code === 'BROKER_UNREACHABLE' &&
      error.message.includes('127.0.0.1:1') &&
      /within 10 s/.test(error.message) &&
      /KAFKA_BOOTSTRAP_SERVERS|broker start/.test(error.message),
  );
  assert.ok(Date.now() - began < 12_000, `took ${Date.now() - began} ms`);
});

test('an invalid topic name is refused before Kafka is asked', async () => {
  for (const topic of ['has space', '', '..', 'x'.repeat(250), 'bad/slash']) {
    await assert.rejects(lab.createTopic({ topic, partitions: 1 }), (error: unknown) => error instanceof LabError && error.code === 'INVALID_TOPIC' && /Invalid topic name/.test(error.message));
  }
  // Every call that names a topic goes through the same check (once per name per lab).
  const invalid = (error: unknown) => error instanceof LabError && error.code === 'INVALID_TOPIC';
  await assert.rejects(lab.produce([{ a: 1 }], { topic: 'bad/slash' }), invalid);
  await assert.rejects(lab.startConsumerGroup({ topic: 'bad/slash' }), invalid);
  await assert.rejects(lab.describeTopic('has space'), invalid);
});

test('0 partitions, and a topic that exists with another partition count, are refused', async () => {
  await assert.rejects(lab.createTopic({ topic: freshName('zero'), partitions: 0 }), /Invalid partition count: 0\. Expected a whole number of partitions from 1 to 1000\./);
  const topic = freshName('mismatch');
  await lab.createTopic({ topic, partitions: 2 });
  await assert.rejects(lab.createTopic({ topic, partitions: 4 }), (error: unknown) => error instanceof LabError && error.code === 'TOPIC_MISMATCH' && /already exists with 2 partitions, not 4/.test(error.message));
  const recreated = await lab.createTopic({ topic, partitions: 4, recreate: true });
  assert.equal(recreated.partitions.length, 4);
});

test('a consumer count below 1 or above 100 is refused', async () => {
  const topic = freshName('count');
  await lab.createTopic({ topic, partitions: 1 });
  for (const consumers of [0, -1, 1.5, 101]) {
    await assert.rejects(lab.startConsumerGroup({ topic, consumers }), (error: unknown) => error instanceof LabError && error.code === 'INVALID_OPTION' && /Invalid consumer count/.test(error.message));
  }
});

test('the CLI says what was wrong: --consumers 0, an unknown key, an unreachable broker', async () => {
  const zero = await runCli(['run', '--consumers', '0', '--rows', '10']);
  assert.notEqual(zero.code, 0);
  assert.match(zero.stderr, /Invalid consumer count: 0\. Expected a whole number of consumers from 1 to 100\./);

  const key = await runCli(['run', '--key', 'colour', '--rows', '10']);
  assert.notEqual(key.code, 0);
  assert.match(key.stderr, /Invalid key strategy: "colour"/);

  const unreachable = await runCli(['run', '--rows', '10'], { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1' });
  assert.notEqual(unreachable.code, 0);
  assert.match(unreachable.stderr, /Cannot reach Kafka at 127\.0\.0\.1:1 within 10 s/);
  assert.ok(unreachable.elapsedMs < 20_000);
});

test('the CLI refuses exactly what the helper refuses, with the same message, before connecting', async () => {
  const messageOf = async (work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      return (error as Error).message;
    }
    assert.fail('the helper accepted it');
  };
  const cases: Array<{ args: string[]; helper: () => Promise<unknown> }> = [
    { args: ['run', '--consumers', '0'], helper: () => lab.startConsumerGroup({ topic: freshName('zero-consumers'), consumers: 0 }) },
    { args: ['run', '--partitions', '0'], helper: () => lab.createTopic({ topic: freshName('zero-partitions'), partitions: 0 }) },
    { args: ['run', '--partitions', '1001'], helper: () => lab.createTopic({ topic: freshName('many-partitions'), partitions: 1001 }) },
    { args: ['run', '--from', 'middle'], helper: () => lab.startConsumerGroup({ topic: freshName('from'), from: 'middle' as never }) },
    { args: ['rebalance', '--protocol', 'eager', '--consumers', '1'], helper: () => runRebalanceScenario({ protocol: 'eager', consumers: 1, lab }) },
  ];
  for (const { args, helper } of cases) {
    const expected = await messageOf(helper);
    // An unreachable broker proves the CLI refused the flag before it tried to connect.
    const cli = await runCli(args, { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1' });
    assert.notEqual(cli.code, 0, args.join(' '));
    assert.ok(cli.stderr.includes(expected), `${args.join(' ')}: CLI said ${JSON.stringify(cli.stderr.trim())}, helper said ${JSON.stringify(expected)}`);
    assert.match(expected, /^Invalid [a-z ]+: .+\. Expected .+\./);
  }
});
