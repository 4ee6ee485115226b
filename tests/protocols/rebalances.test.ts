import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chooseMemberClient,
  measureRebalances,
  percentile,
  summarizeRebalances,
  type GroupEvent,
} from '../../src/internal';

const at = (ms: number) => 1_000_000 + ms;

test('eager: a join revokes everything; every partition pauses until the new assignment', () => {
  const events: GroupEvent[] = [
    { at: at(0), consumer: 'c1', type: 'join' },
    { at: at(0), consumer: 'c1', type: 'assignment', partitions: [0, 1, 2, 3] },
    { at: at(5000), consumer: 'c1', type: 'rebalance-start' },
    { at: at(5300), consumer: 'c1', type: 'rebalance-end' },
    { at: at(5300), consumer: 'c1', type: 'assignment', partitions: [0, 2] },
    { at: at(5310), consumer: 'c2', type: 'join' },
    { at: at(5310), consumer: 'c2', type: 'assignment', partitions: [1, 3] },
  ];
  const records = measureRebalances(events);
  assert.equal(records.length, 2);
  assert.equal(records[0].isRebalance, false, 'formation is not a rebalance');
  const [, join] = records;
  assert.equal(join.isRebalance, true);
  assert.deepEqual(join.moved, [1, 3]);
  assert.deepEqual(join.revoked, { c1: [0, 1, 2, 3] });
  assert.deepEqual(join.lost, { c1: [1, 3] });
  assert.deepEqual(join.gained, { c2: [1, 3] });
  assert.deepEqual(
    join.pauses.map((p) => [p.partition, p.ms]),
    [
      [0, 300],
      [1, 310],
      [2, 300],
      [3, 310],
    ],
  );
  const summary = summarizeRebalances(records);
  assert.equal(summary.rebalances, 1);
  assert.equal(summary.partitionsMoved, 2);
  assert.equal(summary.partitionsRevoked, 4);
  assert.equal(summary.pauseMsTotal, 1220);
  assert.equal(summary.pauseMsP95, 310);
});

test('incremental: only the moved partitions pause', () => {
  const events: GroupEvent[] = [
    { at: at(0), consumer: 'c1', type: 'join' },
    { at: at(0), consumer: 'c1', type: 'assignment', partitions: [0, 1, 2, 3] },
    { at: at(4000), consumer: 'c1', type: 'rebalance-start' },
    { at: at(4000), consumer: 'c1', type: 'assignment', partitions: [0, 1] },
    { at: at(4000), consumer: 'c1', type: 'rebalance-end' },
    { at: at(4010), consumer: 'c2', type: 'join' },
    { at: at(4010), consumer: 'c2', type: 'assignment', partitions: [] },
    { at: at(4500), consumer: 'c2', type: 'rebalance-start' },
    { at: at(4500), consumer: 'c2', type: 'assignment', partitions: [2, 3] },
    { at: at(4500), consumer: 'c2', type: 'rebalance-end' },
  ];
  const [, join] = measureRebalances(events);
  assert.deepEqual(
    join.pauses.map((p) => [p.partition, p.ms]),
    [
      [2, 500],
      [3, 500],
    ],
  );
  assert.deepEqual(join.revoked, { c1: [2, 3] });
  assert.deepEqual(join.moved, [2, 3]);
});

test('a static restart that hands the same partitions back, unseen by the others, is not a rebalance', () => {
  const events: GroupEvent[] = [
    { at: at(0), consumer: 'c1', type: 'join' },
    { at: at(0), consumer: 'c1', type: 'assignment', partitions: [0, 1] },
    { at: at(1), consumer: 'c2', type: 'join' },
    { at: at(1), consumer: 'c2', type: 'assignment', partitions: [2, 3] },
    { at: at(9000), consumer: 'c2', type: 'leave' },
    { at: at(9800), consumer: 'c3', type: 'join' },
    { at: at(9800), consumer: 'c3', type: 'assignment', partitions: [2, 3] },
  ];
  const records = measureRebalances(events);
  const restart = records.at(-1)!;
  assert.equal(restart.isRebalance, false);
  assert.deepEqual(
    restart.pauses.map((p) => p.ms),
    [800, 800],
  );
  const summary = summarizeRebalances(records);
  assert.equal(summary.rebalances, 0);
  assert.equal(summary.quietEpisodes, 1);
});

test('percentile is nearest-rank', () => {
  assert.equal(percentile([], 0.95), 0);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100], 0.95), 19);
});

test('kafkajs refuses what it cannot do, naming the way out', () => {
  assert.throws(
    () => chooseMemberClient({ client: 'kafkajs', protocol: 'cooperative-sticky' }),
    /kafkajs supports only the eager protocol.*client: 'confluent'/,
  );
  assert.throws(
    () => chooseMemberClient({ client: 'kafkajs', staticMembership: true }),
    /kafkajs has no static membership/,
  );
  assert.throws(() => chooseMemberClient({ protocol: 'sticky' as never }), /Invalid protocol: "sticky"/);
  assert.equal(chooseMemberClient({}).client, 'kafkajs');
});
