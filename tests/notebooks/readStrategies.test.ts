import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeFanOut,
  describeRedelivery,
  describeStartFrom,
  hasReachedEnd,
  labelRecords,
  latestHasCaughtUp,
  redeliveryChart,
  resumePoints,
  ReceivedLog,
  seqOverTimeChart,
} from '../../src/internal';

/** A real received log holding (partition, offset) pairs. */
function logOf(id: string, entries: [number, number][]) {
  const log = new ReceivedLog(id, { keepValues: false });
  for (const [partition, offset] of entries) log.append(partition, offset, null, 0, 0, null);
  return { id, log };
}
const produced = {
  partitions: () => [0, 1],
  range: (partition: number) => (partition === 0 ? { first: 0, end: 3 } : { first: 0, end: 2 }),
};

test('hasReachedEnd waits for the last written offset of every partition', () => {
  assert.equal(
    hasReachedEnd(
      [
        logOf('c1', [
          [0, 2],
          [1, 0],
        ]),
      ],
      produced,
    ),
    false,
  );
  assert.equal(hasReachedEnd([logOf('c1', [[0, 2]]), logOf('c2', [[1, 1]])], produced), true);
});

test('resumePoints counts what the replacement re-read per partition', () => {
  const stopped = logOf('consumer-1', [
    [0, 0],
    [0, 1],
    [0, 2],
    [1, 0],
  ]);
  const replacement = logOf('consumer-2', [
    [0, 1],
    [0, 2],
    [1, 1],
  ]);
  assert.deepEqual(resumePoints(stopped, replacement), [
    { partition: 0, lastProcessed: 2, resumedAt: 1, reRead: 2 },
    { partition: 1, lastProcessed: 0, resumedAt: 1, reRead: 0 },
  ]);
});

test('read-strategy sentences and charts come from the numbers', () => {
  const runs = [
    { commit: 'auto', produced: 100, beforeStop: 50, stoppedAfterS: 1, afterRestart: 50, duplicates: 0, missing: 0 },
    {
      commit: 'after-processing',
      produced: 100,
      beforeStop: 50,
      stoppedAfterS: 1,
      afterRestart: 60,
      duplicates: 10,
      missing: 0,
    },
  ];
  const sentence = describeRedelivery(runs);
  assert.match(sentence, /auto commits.*nothing was delivered twice/);
  assert.match(sentence, /of which 10 \(20\.0% of what was processed before the stop\)/);
  assert.deepEqual(redeliveryChart(runs).data[1].y, [0, 10]);
  assert.match(
    describeStartFrom(
      [
        { from: 'earliest', received: 100, missing: 0, firstSeq: 0 },
        { from: 'latest', received: 40, missing: 60, firstSeq: 60 },
      ],
      { joining: 50, assigned: 60 },
      100,
    ),
    /latest group received 40 and never saw the 60 before them \(60\.0%\), starting at seq 60/,
  );
  const fan = describeFanOut(
    [
      { arrangement: 'publish/subscribe', group: 'A', consumer: 'consumer-1', received: 100 },
      { arrangement: 'publish/subscribe', group: 'B', consumer: 'consumer-1', received: 100 },
      { arrangement: 'queue', group: 'Q', consumer: 'consumer-1', received: 45 },
      { arrangement: 'queue', group: 'Q', consumer: 'consumer-2', received: 55 },
    ],
    100,
  );
  assert.match(fan, /publish\/subscribe: 2 consumers in 2 groups received 200 messages in all, 2× /);
  assert.match(fan, /queue: 2 consumers in 1 group received 100 messages in all, 1× .*\(each consumer 45–55\)/);
  assert.equal(labelRecords([{ consumer: 'consumer-1' }], 'A')[0].consumer, 'A/consumer-1');
  const chart = seqOverTimeChart(
    [
      {
        name: 'x',
        records: [
          { receivedAt: 2000, value: { seq: 5 } },
          { receivedAt: 1000, value: { seq: 1 } },
        ],
      },
    ],
    { t0: 0, marks: [{ at: 1500, label: 'join' }] },
  );
  assert.deepEqual(
    [chart.data[0].x, chart.data[0].y],
    [
      [1, 2],
      [1, 5],
    ],
  );
});

test('latestHasCaughtUp ignores partitions it read nothing from', () => {
  const produced = {
    partitions: () => [0, 1],
    range: (p: number) => (p === 0 ? { first: 0, end: 10 } : { first: 0, end: 5 }),
  };
  const consumer = (entries: Array<[number, number]>) => logOf('c', entries);
  // Partition 1 was written only before the group's position was set.
  assert.equal(
    latestHasCaughtUp(
      [
        consumer([
          [0, 8],
          [0, 9],
        ]),
      ],
      produced,
    ),
    true,
  );
  assert.equal(latestHasCaughtUp([consumer([[0, 8]])], produced), false, 'offset 9 of partition 0 is still on its way');
  assert.equal(latestHasCaughtUp([consumer([])], produced), false, 'nothing read yet');
});
