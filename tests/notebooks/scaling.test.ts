import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  consumerTimes,
  cycleRows,
  describeScaling,
  describeThroughput,
  scaleGroup,
  scalePlan,
  type ScaleStep,
} from '../../src/internal';
import type { GroupEvent } from '../../src/internal';

const T0 = Date.UTC(2024, 0, 1);

test('scalePlan goes up one consumer at a time and back down', () => {
  assert.deepEqual(scalePlan(1, 4), [1, 2, 3, 4, 3, 2, 1]);
  assert.deepEqual(scalePlan(2, 3, 1), [2, 3, 2, 1]);
  assert.deepEqual(scalePlan(1, 1), [1]);
});

test('cycleRows repeats the rows in order and ends on an empty list', () => {
  const taken: number[] = [];
  for (const row of cycleRows([1, 2, 3])) {
    taken.push(row);
    if (taken.length === 7) break;
  }
  assert.deepEqual(taken, [1, 2, 3, 1, 2, 3, 1]);
  assert.deepEqual([...cycleRows([])], []);
});

test('scaleGroup adds then stops one consumer per step and waits for messages between steps', async () => {
  let unique = 0;
  const running: string[] = ['consumer-1'];
  let next = 2;
  const waited: number[] = [];
  const group = {
    tally: {
      get unique() {
        return unique;
      },
    },
    async addConsumer() {
      const id = `consumer-${next++}`;
      running.push(id);
      return { id };
    },
    async stopConsumer() {
      return { id: running.pop()! };
    },
    async waitForReceived(count: number) {
      waited.push(count);
      unique = count;
    },
    summaries: () =>
      running.map((id, i) => ({ id, state: 'joined', partitions: i < 2 ? [i] : [], received: 0, idle: i >= 2 })),
  };
  const steps = await scaleGroup(group, [1, 2, 3, 2, 1], { messagesPerStep: 10 });
  assert.deepEqual(
    steps.map((s) => [s.action, s.consumers, s.idle]),
    [
      ['start', 1, ''],
      ['+ consumer-2', 2, ''],
      ['+ consumer-3', 3, 'consumer-3'],
      ['− consumer-3', 2, ''],
      ['− consumer-2', 1, ''],
    ],
  );
  assert.deepEqual(waited, [10, 20, 30, 40, 50]);
});

const events: GroupEvent[] = [
  { at: T0, consumer: 'consumer-1', type: 'join' },
  { at: T0, consumer: 'consumer-1', type: 'assignment', partitions: [0, 1] },
  { at: T0 + 1000, consumer: 'consumer-1', type: 'rebalance-start' },
  { at: T0 + 1000, consumer: 'consumer-2', type: 'join' },
  { at: T0 + 1000, consumer: 'consumer-3', type: 'join' },
  { at: T0 + 1200, consumer: 'consumer-1', type: 'assignment', partitions: [0] },
  { at: T0 + 1200, consumer: 'consumer-2', type: 'assignment', partitions: [1] },
  { at: T0 + 1200, consumer: 'consumer-3', type: 'assignment', partitions: [] },
  { at: T0 + 3000, consumer: 'consumer-3', type: 'leave' },
];

test("consumerTimes splits each consumer's time into owning and idle", () => {
  const records = [{ consumer: 'consumer-1' }, { consumer: 'consumer-1' }, { consumer: 'consumer-2' }];
  const times = consumerTimes(events, records, { end: T0 + 4000 });
  assert.deepEqual(times, [
    {
      consumer: 'consumer-1',
      joinedAtS: 0,
      leftAtS: null,
      ownedS: 3.8,
      idleS: 0,
      partitionsOwned: 'p0 p1',
      messages: 2,
    },
    { consumer: 'consumer-2', joinedAtS: 1, leftAtS: null, ownedS: 2.8, idleS: 0, partitionsOwned: 'p1', messages: 1 },
    { consumer: 'consumer-3', joinedAtS: 1, leftAtS: 3, ownedS: 0, idleS: 1.8, partitionsOwned: 'none', messages: 0 },
  ]);
  const steps: ScaleStep[] = [
    { step: 0, action: 'start', consumers: 1, settleMs: 0, assignment: '', idle: '', at: T0 },
    { step: 1, action: '+ consumer-2', consumers: 2, settleMs: 200, assignment: '', idle: '', at: T0 + 1000 },
    { step: 2, action: '+ consumer-3', consumers: 3, settleMs: 400, assignment: '', idle: 'consumer-3', at: T0 + 1000 },
    { step: 3, action: '− consumer-3', consumers: 2, settleMs: 300, assignment: '', idle: '', at: T0 + 3000 },
  ];
  const sentence = describeScaling(steps, 2, times);
  assert.match(sentence, /from 1 to 3 consumers and back to 2 in 3 steps/);
  assert.match(sentence, /0\.3 s \(median\)/);
  assert.match(sentence, /consumer-3 never owned a partition and received 0 messages/);
});

test('describeThroughput names the busiest consumer second', () => {
  const records = [
    ...Array.from({ length: 30 }, (_, i) => ({ consumer: 'consumer-1', receivedAt: T0 + i * 10 })),
    ...Array.from({ length: 10 }, (_, i) => ({ consumer: 'consumer-2', receivedAt: T0 + 1000 + i * 100 })),
  ];
  assert.match(
    describeThroughput(records, { t0: T0 }),
    /busiest single consumer was consumer-1 with 30 msg\/s around 0 s/,
  );
});
