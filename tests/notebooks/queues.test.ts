import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  deliveriesChart,
  describeClientAgreement,
  describeQueueSpread,
  keyOrderAcrossGroup,
  keyOrderViolationsChart,
  type ClientFigures,
} from '../../src/internal';

/** Pure functions of notebook 09 and the client comparison of notebook 06: no broker needed. */

const figures = (client: string, pauseMsP95: number): ClientFigures => ({
  protocol: 'consumer',
  client,
  pauseMsP95,
  pauseMsTotal: 0,
  rebalances: 4,
  missing: 0,
  duplicates: 0,
});

test('the client sentence says plainly when librdkafka and Java differ by more than 2x, and that they agree otherwise', () => {
  const differ = describeClientAgreement([{ reference: figures('confluent', 24_000), java: figures('java', 5_000) }]);
  assert.match(differ, /DIFFER by more than 2x/);
  assert.match(differ, /confluent 4\.8x slower/);
  assert.match(differ, /neither figure is simply Kafka's behaviour/);
  const agree = describeClientAgreement([{ reference: figures('confluent', 4_200), java: figures('java', 5_100) }]);
  assert.match(agree, /agree .*within 2x/);
  // Two quick pauses are not "3x apart" because one is 30 ms and the other 90 ms.
  assert.match(describeClientAgreement([{ reference: figures('confluent', 30), java: figures('java', 90) }]), /agree/);
});

test('per-key order across a group: a record processed after a later one of its key counts, a redelivery does not', () => {
  const d = (consumer: string, offset: number, receivedAt: number, key = 'k') => ({
    consumer,
    key,
    partition: 0,
    offset,
    receivedAt,
  });
  const inOrder = keyOrderAcrossGroup([d('a', 0, 1), d('a', 1, 2), d('b', 2, 3), d('a', 1, 4)]);
  assert.deepEqual([inOrder.checked, inOrder.violations], [3, 0]);
  const shared = keyOrderAcrossGroup([d('a', 0, 1), d('b', 5, 2), d('a', 1, 3), d('a', 2, 4, 'other')]);
  assert.deepEqual([shared.violations, shared.keysAffected], [1, 1]);
  assert.deepEqual(shared.examples[0], {
    key: 'k',
    partition: 0,
    offset: 1,
    consumer: 'a',
    afterOffset: 5,
    afterConsumer: 'b',
  });
});

test('queue charts and sentences are computed from the figures', () => {
  const run = {
    groupType: 'share',
    partitions: 3,
    produced: 6,
    missing: 0,
    duplicates: 0,
    redelivered: 1,
    maxDeliveryCount: 2,
    idleConsumers: 0,
    orderViolations: { count: 2, keysAffected: 1, checked: 6 },
    killed: ['c1'],
    lockTimeoutMs: 5000,
    byDeliveryCount: { '1': 6, '2': 1 },
    consumers: [
      { id: 'c1', received: 2, killed: true },
      { id: 'c2', received: 3, killed: false },
      { id: 'c3', received: 2, killed: false },
      { id: 'c4', received: 0, killed: false },
    ],
    deliveries: [1000, 1100, 1600, 2100, 2200, 2300]
      .map((at, i) => ({ consumer: 'c2', receivedAt: at, deliveryCount: 1, offset: i }))
      .concat([{ consumer: 'c3', receivedAt: 7000, deliveryCount: 2, offset: 0 }]),
  };
  const chart = deliveriesChart(run, { t0: 1000, binMs: 1000 });
  assert.deepEqual(
    chart.data.map((t) => [t.name, t.y]),
    [
      ['delivery 1', [3, 3, 0, 0, 0, 0, 0]],
      ['delivery 2', [0, 0, 0, 0, 0, 0, 1]],
    ],
  );
  assert.deepEqual(keyOrderViolationsChart([run]).data[0].y, [2]);
  assert.match(
    describeQueueSpread({ ...run, idleConsumers: 1 }),
    /1 sat idle, because a consumer group gives each partition to exactly one member/,
  );
});
