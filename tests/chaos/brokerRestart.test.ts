import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BROKER_RESTART_CLUSTER, runBrokerRestart, runningLocalBroker } from '../../src/internal';

// A single-node broker of its own (chaos-restart, 127.0.0.1:9392): the shared broker is never restarted.
test('broker-restart: the broker stopped and started mid-produce, the idempotent producer retries through, 0 missing, 0 duplicates', async () => {
  const report = await runBrokerRestart();
  assert.ok(report.producedBeforeStop > 0);
  assert.ok(report.produced > report.producedBeforeStop, 'the producer went on after the restart');
  assert.equal(report.missing, 0, report.explanation);
  assert.equal(report.duplicates, 0, report.explanation);
  assert.equal(report.expectedDuplicates, 0);
  assert.equal(report.duplicateValues, 0, 'no value is in the log twice');
  assert.equal(report.messagesInLog, report.produced);
  assert.equal(report.received, report.produced);
  assert.ok(report.passed, report.explanation);
  assert.equal(runningLocalBroker(BROKER_RESTART_CLUSTER.name), undefined, 'the broker was stopped');
});
