import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BROKER_LOSS_CLUSTER, runBrokerLoss, runningLocalBroker } from '../../src/internal';

// A three-node cluster of its own (chaos-cluster, 127.0.0.1:9292-9297): the shared broker is untouched.
test('broker-loss: one of three brokers killed with SIGKILL mid-stream, nothing missing, the consumers carry on', async () => {
  const report = await runBrokerLoss();
  assert.equal(report.brokers, 3);
  assert.equal(report.killedNode, 2);
  assert.ok(report.produced > 0);
  assert.equal(report.missing, 0, report.explanation);
  assert.equal(report.received, report.produced);
  assert.equal(report.duplicates, report.expectedDuplicates);
  assert.equal(report.messagesInLog, report.produced, 'no retry wrote a message twice');
  assert.ok(
    report.producedAfterKill > 0 && report.receivedAfterKill > 0,
    'messages produced after the kill reached the group',
  );
  assert.ok(
    Object.values(report.leadersAfter).every((leader) => leader !== 2),
    'no partition is led by the dead node',
  );
  assert.ok(
    Object.values(report.isrAfter).every((isr) => isr.length === 2 && !isr.includes(2)),
    'two in-sync replicas left, min.insync.replicas still met',
  );
  assert.ok(report.passed, report.explanation);
  assert.equal(runningLocalBroker(BROKER_LOSS_CLUSTER.name), undefined, 'the cluster was stopped');
});
