import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';
import { ORII_HEADER, tempDir, UCI_ROWS, UCI_ROWS_REPORT, writeKaggleCsv, writeWorkbook } from '../dataset/support/fixtures';
import { ensureTestBroker, runCli } from '../support/broker';

before(async () => {
  await ensureTestBroker();
});

test('kafka-lab run --consumers 3 --partitions 6 --rows 5000: all received, two partitions each', async () => {
  const result = await runCli(['run', '--consumers', '3', '--partitions', '6', '--rows', '5000', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.match(summary.topic, /^lab-run-/);
  assert.equal(summary.produced, 5000);
  assert.equal(summary.received, 5000);
  assert.equal(summary.missing, 0);
  assert.equal(summary.duplicates, 0);
  assert.equal(summary.consumers.length, 3);
  for (const consumer of summary.consumers) {
    assert.equal(consumer.partitions.length, 2, JSON.stringify(consumer));
    assert.ok(consumer.received > 0);
  }
  assert.equal(summary.consumers.reduce((sum: number, c: { received: number }) => sum + c.received, 0), 5000);
  assert.deepEqual(summary.idleConsumers, []);
  assert.equal(summary.dataset.rows, 5000);
});

test('kafka-lab run --consumers 4 --partitions 3: one consumer is reported idle', async () => {
  const result = await runCli(['run', '--consumers', '4', '--partitions', '3', '--rows', '900', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.received, 900);
  const idle = summary.consumers.filter((c: { idle: boolean }) => c.idle);
  assert.equal(idle.length, 1);
  assert.deepEqual(idle[0].partitions, []);
  assert.equal(idle[0].received, 0);
  assert.deepEqual(summary.idleConsumers, [idle[0].id]);
});

test('the human summary names idle consumers and the reason', async () => {
  const result = await runCli(['run', '--consumers', '3', '--partitions', '2', '--rows', '200', '--key', 'none', '--from', 'latest']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Produced 200, received 200, missing 0, duplicates 0/);
  assert.match(result.stdout, /idle: owns no partition/);
  assert.match(result.stdout, /cannot use more consumers than the topic has partitions \(2\)/);
});

test('kafka-lab run --input FILE reads any layout the lab reads, like dataset clean --input', async (t) => {
  const dir = tempDir(t);
  const kaggle = path.join(dir, 'data.csv');
  writeKaggleCsv(kaggle, UCI_ROWS);
  const workbook = path.join(dir, 'online_retail_II.xlsx');
  writeWorkbook(workbook, ORII_HEADER, { 'Year 2010-2011': UCI_ROWS });
  for (const file of [kaggle, workbook]) {
    const result = await runCli(['run', '--input', file, '--consumers', '2', '--partitions', '2', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout);
    assert.deepEqual(summary.dataset, { file, source: 'input', rows: UCI_ROWS_REPORT.rowsOut });
    assert.equal(summary.produced, UCI_ROWS_REPORT.rowsOut);
    assert.equal(summary.received, UCI_ROWS_REPORT.rowsOut);
  }
  const missing = await runCli(['run', '--input', path.join(dir, 'nope.csv')], { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1' });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /Data file .*nope\.csv does not exist/, 'refused before trying to connect');
});
