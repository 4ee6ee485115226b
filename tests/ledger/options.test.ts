import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPounds, LabError, lineAmount, validateLedgerOptions } from '../../src/internal';
import { classify } from '../../src/ledger/classify';
import { runCli } from '../support/broker';

/** The ledger's options and pure parts: no broker needed. */

test('bad ledger options fail before any connection, naming the option and what is valid', async () => {
  const cases: Array<{ args: string[]; says: RegExp }> = [
    {
      args: ['--guarantee', 'exactly-once', '--kills', '-1'],
      says: /Invalid kills: -1\. Expected a whole number of kills from 0 to 100\./,
    },
    {
      args: ['--guarantee', 'exactly-once', '--kill-every', '0'],
      says: /Invalid kill-every: 0\. Expected a number of seconds greater than 0\. For example --kill-every 2/,
    },
    {
      args: ['--guarantee', 'at-most-once'],
      says: /Invalid guarantee: "at-most-once"\. Expected "at-least-once" or "exactly-once"\./,
    },
    {
      args: ['--guarantee', 'exactly-once', '--kills', 'three'],
      says: /Invalid kills: "three"\. Expected a whole number of kills/,
    },
    {
      args: ['--guarantee', 'exactly-once', '--kills', '2', '--kill-every', '3'],
      says: /either --kills or --kill-every, not both/,
    },
  ];
  for (const { args, says } of cases) {
    // A port nothing listens on: the error must come before any attempt to connect.
    const result = await runCli(['ledger', ...args, '--json'], { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1' });
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, says, args.join(' '));
    assert.equal(result.stdout, '');
  }
  assert.throws(
    () => validateLedgerOptions({ guarantee: 'exactly-once', rows: 0 }),
    (error: unknown) =>
      error instanceof LabError && error.code === 'INVALID_OPTION' && /Invalid rows: 0\./.test(error.message),
  );
});

test('money is exact in tenths of a penny, including the £0.001 unit prices of the data', () => {
  assert.equal(lineAmount(3, 0.001), 3);
  assert.equal(lineAmount(6, 2.55), 15_300);
  assert.equal(lineAmount(12, 0.29), 3_480);
  // 0.1 + 0.2 in floats is 0.30000000000000004; the units stay whole.
  assert.equal(lineAmount(1, 0.1) + lineAmount(1, 0.2), lineAmount(1, 0.3));
  assert.equal(formatPounds(1_234_567), '£1,234.567');
  assert.equal(formatPounds(1_234_560), '£1,234.56');
  assert.equal(formatPounds(-4), '-£0.004');
});

test('the processor dead-letters non-JSON, rows the cleaning rules drop and oversized values, naming the rule', () => {
  const row = {
    invoice: '536365',
    line: 1,
    quantity: 6,
    unitPrice: 2.55,
    customerId: '17850',
    country: 'United Kingdom',
  };
  const value = (v: object) => Buffer.from(JSON.stringify(v));
  assert.deepEqual(classify(value(row)), {
    kind: 'event',
    event: { invoice: '536365', line: 1, country: 'United Kingdom', amount: 15_300 },
  });
  assert.deepEqual(classify(Buffer.from('{"invoice": oops')), { kind: 'dead', reason: 'not-json' });
  assert.deepEqual(classify(value({ ...row, invoice: 'C536379', quantity: -1 })), {
    kind: 'dead',
    reason: 'rejected-by-cleaning:dropCancellations',
  });
  assert.deepEqual(classify(value({ ...row, customerId: null })), {
    kind: 'dead',
    reason: 'rejected-by-cleaning:dropMissingCustomer',
  });
  assert.deepEqual(classify(value({ ...row, quantity: 0 })), {
    kind: 'dead',
    reason: 'rejected-by-cleaning:dropNonPositiveQuantity',
  });
  assert.deepEqual(classify(value({ ...row, unitPrice: 0 })), {
    kind: 'dead',
    reason: 'rejected-by-cleaning:dropNonPositivePrice',
  });
  assert.deepEqual(classify(value({ ...row, description: 'x'.repeat(20_000) })), { kind: 'dead', reason: 'too-large' });
  assert.deepEqual(classify(value([1, 2])), { kind: 'dead', reason: 'not-a-row' });
});
