import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runConsumerChurn } from '../../src/internal';
import { ensureTestBroker, runCli } from '../support/broker';

test('consumer-churn: ten joins and ten leaves during one stream, nothing missing, nothing twice', async () => {
  const report = await runConsumerChurn({ connection: await ensureTestBroker() });
  assert.equal(report.joins, 10);
  assert.equal(report.leaves, 10);
  assert.ok(report.produced > 0);
  assert.equal(report.missing, 0);
  assert.equal(report.duplicates, 0);
  assert.equal(report.expectedDuplicates, 0);
  assert.equal(report.received, report.produced);
  assert.ok(report.receivedAfterChurn > 0, 'messages kept arriving after the last change');
  assert.equal(report.consumers.length, 12, 'two first consumers and ten that joined');
  assert.ok(report.passed);
  assert.match(report.explanation, /10 consumers joined and 10 left/);
});

test('kafka-lab chaos --scenario consumer-churn --json prints one JSON object with the figures', async () => {
  await ensureTestBroker();
  const cli = await runCli(['chaos', '--scenario', 'consumer-churn', '--json']);
  assert.equal(cli.code, 0, cli.stderr);
  const report = JSON.parse(cli.stdout);
  for (const key of [
    'scenario',
    'produced',
    'received',
    'missing',
    'duplicates',
    'expectedDuplicates',
    'explanation',
  ]) {
    assert.ok(key in report, `has ${key}`);
  }
  assert.equal(report.scenario, 'consumer-churn');
  assert.equal(report.missing, 0);
  assert.equal(report.duplicates, 0);
  assert.equal(typeof report.explanation, 'string');
});

test('an unknown scenario is refused with the list of scenarios', async () => {
  const cli = await runCli(['chaos', '--scenario', 'meteor-strike', '--json']);
  assert.equal(cli.code, 1);
  assert.match(
    cli.stderr,
    /Invalid chaos scenario: "meteor-strike"\. Expected one of consumer-churn, broker-loss, broker-restart, consumer-crash\./,
  );
  assert.equal(cli.stdout, '');
});
