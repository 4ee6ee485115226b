import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';
import { describeRun, jsonSummary } from '../../src/cli/runCommand';
import { rowShortfallNote } from '../../src/dataset';
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

/**
 * Issue 17: `run --rows 1000000` on a smaller data set sent what there was and
 * said nothing. It is carried out (all rows sent) with a note, on stderr as soon
 * as known and in the JSON's `notes`, with what was asked for and what there was.
 */
test('kafka-lab run --rows beyond the data set sends all its rows and says so', async (t) => {
  const file = path.join(tempDir(t), 'data.csv');
  writeKaggleCsv(file, UCI_ROWS);
  const rows = UCI_ROWS_REPORT.rowsOut;
  const result = await runCli(['run', '--input', file, '--rows', '1000000', '--consumers', '2', '--partitions', '2', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  const note = `Asked for 1,000,000 rows, but the data set has ${rows} cleaned rows: sending all ${rows} instead.`;
  assert.ok(result.stderr.includes(`Note: ${note}`), result.stderr);
  assert.deepEqual(summary.notes, [note]);
  assert.deepEqual(summary.dataset, { file, source: 'input', rows, requestedRows: 1_000_000, availableRows: rows });
  assert.equal(summary.produced, rows);
  assert.equal(summary.received, rows);
  assert.match(describeRun({ ...summary, accounting: {} }), new RegExp(`Data: ${rows} cleaned rows of the given file .*: all it has, 1000000 were asked for`));
  assert.deepEqual(jsonSummary({ ...summary, accounting: {} }).notes, [note]);
});

test('a request the data set can fill carries no note', () => {
  assert.equal(rowShortfallNote(500, { total: 500, available: 384_230 }), undefined);
  assert.equal(rowShortfallNote(undefined, { total: 384_230, available: 384_230 }), undefined);
  assert.match(rowShortfallNote(1_000_000, { total: 384_230, available: 384_230 })!, /Asked for 1,000,000 rows, but the data set has 384,230 cleaned rows: sending all 384,230 instead\./);
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
    // No --rows: the default does not count as a request, so a smaller file is sent whole without a note.
    assert.deepEqual(summary.dataset, { file, source: 'input', rows: UCI_ROWS_REPORT.rowsOut, requestedRows: null, availableRows: UCI_ROWS_REPORT.rowsOut });
    assert.deepEqual(summary.notes, []);
    assert.equal(summary.produced, UCI_ROWS_REPORT.rowsOut);
    assert.equal(summary.received, UCI_ROWS_REPORT.rowsOut);
  }
  const missing = await runCli(['run', '--input', path.join(dir, 'nope.csv')], { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1' });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /Data file .*nope\.csv does not exist/, 'refused before trying to connect');
});
