import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runConsumerCrash } from '../../src/internal';
import { ensureTestBroker } from '../support/broker';

// Runs the compiled worker (dist/chaos/consumerWorker.js): `npm test` builds first.
test('consumer-crash: a worker process killed with SIGKILL; nothing missing, duplicates exactly what it processed after its last commit', async () => {
  const report = await runConsumerCrash({ connection: await ensureTestBroker() });
  assert.equal(report.missing, 0, report.explanation);
  assert.equal(report.received, report.produced);
  assert.ok(report.expectedDuplicates > 0, 'the worker was killed holding processed, uncommitted messages');
  assert.equal(report.duplicates, report.expectedDuplicates, report.explanation);
  assert.deepEqual(report.duplicateMessages, report.expectedDuplicateMessages);
  assert.ok(report.duplicateMessages.every((m) => report.killedPartitions.includes(m.partition)));
  assert.deepEqual(
    report.takeoverStartOffsets,
    report.committedAtTakeover,
    'the new owners started at the committed offsets',
  );
  assert.ok(report.takeoverMs >= report.sessionTimeoutMs - 1000, 'the partitions moved only after the session timeout');
  assert.equal(report.workers.filter((w) => w.killed).length, 1);
  assert.ok(report.passed, report.explanation);
  assert.match(report.explanation, /exactly the \d+ messages? worker-2 had processed after its last commit/);
});
