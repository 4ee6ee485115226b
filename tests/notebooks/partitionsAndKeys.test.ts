import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeKeyMoves,
  describeSkew,
  keyMoveRows,
  keyMoves,
  keyMovesChart,
  orderCheckChart,
  partitionSkew,
  partitionSkewChart,
} from '../../src/internal';

test('partitionSkew measures the busiest partition against the mean, counting empty partitions', () => {
  assert.deepEqual(partitionSkew({ '0': 90, '2': 10 }, 4, 'country'), {
    partitions: 4,
    key: 'country',
    messages: 100,
    used: 2,
    busiestPartition: 0,
    busiestShare: 0.9,
    maxOverMean: 3.6,
  });
  const skews = [
    partitionSkew({ '0': 50, '1': 50 }, 2, 'none'),
    partitionSkew({ '0': 90, '2': 10 }, 4, 'country'),
    partitionSkew({ '0': 25, '1': 25, '2': 25, '3': 25 }, 4, 'none'),
  ];
  assert.match(
    describeSkew(skews),
    /^On 4 partitions, key=country runs hottest: p0 takes 90\.0% of the messages, 3\.6× its fair share, and only 2 of 4 partitions get any\. key=none is the most even \(1\.00×\)/,
  );
  const chart = partitionSkewChart(skews);
  assert.deepEqual(chart.data[0].z, [
    [1, 1],
    [null, 3.6],
  ]);
});

test("keyMoves compares each key's partition before and after the change", () => {
  const records = [
    { key: 'a', partition: 0, producedAt: 1 },
    { key: 'b', partition: 1, producedAt: 1 },
    { key: 'c', partition: 2, producedAt: 1 },
    { key: 'a', partition: 3, producedAt: 5 },
    { key: 'b', partition: 1, producedAt: 5 },
    { key: null, partition: 0, producedAt: 5 },
  ];
  const moves = keyMoves(records, (r) => r.producedAt < 3);
  assert.equal(moves.keys, 2);
  assert.equal(moves.moved, 1);
  assert.deepEqual(moves.examples, [{ key: 'a', before: 0, after: 3 }]);
  assert.deepEqual(keyMoveRows(moves), [
    { before: 'p0', after: 'p3', keys: 1, moved: true },
    { before: 'p1', after: 'p1', keys: 1, moved: false },
  ]);
  assert.deepEqual(keyMovesChart(moves, { partitionsBefore: 2, partitionsAfter: 4 }).data[0].z, [
    [0, 0, 0, 1],
    [0, 1, 0, 0],
  ]);
  assert.match(
    describeKeyMoves(moves, 2, 4),
    /moved 1 of 2 keys \(50\.0%\) to another partition, e\.g\. key a from p0 to p3/,
  );
  assert.deepEqual(
    orderCheckChart([{ label: '3 · customer', messages: 10, outOfOrder: 1 }]).data.map((trace) => trace.y),
    [[9], [1]],
  );
});
