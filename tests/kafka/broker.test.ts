import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { KafkaLab, kafkaVersion, runningLocalBroker, stopLocalBroker, waitUntil } from '../../src/internal';
import { ensureTestBroker, freshName, runCli, sampleRows } from '../support/broker';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('broker start reuses a running broker and prints its address; status says it answers', async () => {
  await ensureTestBroker();
  const start = await runCli(['broker', 'start', '--json']);
  assert.equal(start.code, 0, start.stderr);
  const started = JSON.parse(start.stdout);
  assert.equal(started.started, false);
  assert.match(started.bootstrap, /^127\.0\.0\.1:\d+$/);
  assert.ok(fs.existsSync(started.logFiles[0]), 'the log file it names exists');

  const status = await runCli(['broker', 'status', '--json']);
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual(
    { ...JSON.parse(status.stdout), pids: undefined },
    { running: true, answering: true, kafkaVersion: kafkaVersion(), bootstrap: started.bootstrap, pids: undefined },
  );
  assert.match(kafkaVersion(), /^4\.4\./, 'the local broker runs the Kafka release pinned in kafka/pom.xml');
});

test('the broker listens on 127.0.0.1 only', async () => {
  const state = runningLocalBroker() ?? assert.fail('no broker state');
  const home = path.dirname(state.nodes[0].logFile);
  const properties = fs.readFileSync(path.join(home, 'server-1.properties'), 'utf8');
  const listeners = /^listeners=(.*)$/m.exec(properties)![1].split(',');
  assert.ok(
    listeners.every((l) => /:\/\/127\.0\.0\.1:\d+$/.test(l)),
    listeners.join(','),
  );
});

test("Kafka's own tools from the same jars see the helper's topic and group", async () => {
  const lab = await KafkaLab.connect({ connection: await ensureTestBroker() });
  try {
    const topic = freshName('tools');
    await lab.createTopic({ topic, partitions: 3 });
    const group = await lab.startConsumerGroup({ topic, consumers: 1 });
    const produced = await lab.produce(sampleRows(30), { topic, key: 'invoice' });
    await group.waitForReceived(produced.produced, 30_000);

    const topics = await runCli(['kafka-tool', 'kafka-topics', '--describe', '--topic', topic]);
    assert.equal(topics.code, 0, topics.stderr);
    assert.match(topics.stdout, new RegExp(`Topic: ${topic}\\s+TopicId: \\S+\\s+PartitionCount: 3`));

    const groups = await runCli(['kafka-tool', 'kafka-consumer-groups', '--describe', '--group', group.groupId]);
    assert.equal(groups.code, 0, groups.stderr);
    assert.match(groups.stdout, new RegExp(`${group.groupId}\\s+${topic}\\s+0`));
    await group.stop();
  } finally {
    await lab.close();
  }
});

test('broker stop leaves no JVM behind, and start brings it back with its data', async () => {
  const topic = freshName('persist');
  let lab = await KafkaLab.connect({ connection: await ensureTestBroker() });
  await lab.createTopic({ topic, partitions: 2 });
  await lab.produce(sampleRows(20), { topic });
  await lab.close();

  const pids = runningLocalBroker()!.nodes.map((n) => n.pid);
  const stop = await runCli(['broker', 'stop']);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, /Stopped the local broker/);
  assert.ok(
    pids.every((pid) => !alive(pid)),
    'every broker JVM exited',
  );
  const status = await runCli(['broker', 'status', '--json']);
  assert.equal(JSON.parse(status.stdout).running, false);

  const start = await runCli(['broker', 'start', '--json']);
  assert.equal(start.code, 0, start.stderr);
  assert.equal(JSON.parse(start.stdout).started, true);
  lab = await KafkaLab.connect({ connection: await ensureTestBroker() });
  try {
    // Right after a restart a partition may answer NOT_LEADER_OR_FOLLOWER until its leader is elected again.
    let messages = -1;
    await waitUntil(
      async () => {
        try {
          messages = (await lab.describeTopic(topic)).messages;
          return true;
        } catch (error) {
          if ((error as { retriable?: boolean }).retriable) return false;
          throw error;
        }
      },
      30_000,
      `the partitions of ${topic} to have leaders again`,
    );
    assert.equal(messages, 20, 'the messages survived the restart');
  } finally {
    await lab.close();
  }
});

test('stopping when nothing runs is harmless', async () => {
  // Runs last in this file: leave a broker up for the next test file.
  const wasRunning = runningLocalBroker() !== undefined;
  if (wasRunning) {
    assert.equal(await stopLocalBroker(), true);
  }
  assert.equal(await stopLocalBroker(), false);
  await ensureTestBroker();
});
