import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { describeRun, jsonSummary } from '../../src/cli/runCommand';
import { rowShortfallNote, writeGeneratedDataset } from '../../src/dataset';
import { runExperiment } from '../../src/scenarios/basicRun';
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
 * as known (onNote) and in the summary's `notes`.
 */
test('asking for more rows than the data set has sends them all and says so', { timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-rows-'));
  const file = writeGeneratedDataset(path.join(dir, 'small.csv'), { rows: 600, seed: 7 });
  const heard: string[] = [];
  const summary = await runExperiment({ rows: 1_000_000, file, consumers: 2, partitions: 2, onNote: (message: string) => heard.push(message) });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.ok(summary.dataset.availableRows > 0 && summary.dataset.availableRows <= 600, JSON.stringify(summary.dataset));
  assert.equal(summary.dataset.rows, summary.dataset.availableRows);
  assert.equal(summary.dataset.requestedRows, 1_000_000);
  assert.equal(summary.produced, summary.dataset.availableRows);
  assert.equal(summary.received, summary.produced);
  const available = summary.dataset.availableRows.toLocaleString('en-US');
  assert.deepEqual(summary.notes, [`Asked for 1,000,000 rows, but the data set has ${available} cleaned rows: sending all ${available} instead.`]);
  assert.deepEqual(heard, summary.notes);
  assert.deepEqual(jsonSummary(summary).notes, summary.notes);
  assert.match(describeRun(summary), new RegExp(`Data: ${summary.produced} cleaned rows of the file given .*: all it has, 1000000 were asked for`));
});

test('a request the data set can fill carries no note', () => {
  assert.equal(rowShortfallNote(500, { total: 500, available: 384_230 }), undefined);
  assert.equal(rowShortfallNote(undefined, { total: 384_230, available: 384_230 }), undefined);
  assert.match(rowShortfallNote(1_000_000, { total: 384_230, available: 384_230 })!, /Asked for 1,000,000 rows, but the data set has 384,230 cleaned rows: sending all 384,230 instead\./);
});
