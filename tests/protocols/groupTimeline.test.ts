import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  measureRebalances,
  ownershipTimelineChart,
  readGroupTimeline,
  runRebalanceScenario,
  summarizeRebalances,
  type GroupEvent,
  type GroupTimeline,
  type KafkaLab,
} from '../../src/internal';
import { connectTestLab } from '../support/broker';

/*
 * The group timeline is the one reader of group events: ownership, rebalance
 * windows and rebalance measurements must tell one story. Checked on hand-made
 * event lists and on the events a real eager group recorded against the broker.
 */

const at = (ms: number) => 1_000_000 + ms;

/** Ownership intervals that run through a window: owned before it began and still owned after it ended. */
function intervalsThroughWindows(timeline: GroupTimeline): string[] {
  return timeline.windows.flatMap((window) =>
    timeline.intervals
      .filter((interval) => interval.from < window.start && (interval.to === null || interval.to > window.end))
      .map(
        (interval) =>
          `${interval.consumer} p${interval.partition} [${interval.from}, ${interval.to}] through rebalance ${window.number} [${window.start}, ${window.end}]`,
      ),
  );
}

/** The rebalances an ownership chart labels. */
function labelledRebalances(events: readonly GroupEvent[], until?: number): number {
  const figure = ownershipTimelineChart(events, { until });
  const annotations = (figure.layout.annotations ?? []) as Array<{ text: string }>;
  const shapes = (figure.layout.shapes ?? []) as unknown[];
  assert.equal(shapes.length, annotations.length, 'one shaded window per label');
  return annotations.filter((annotation) => /^rebalance \d+$/.test(annotation.text)).length;
}

const eagerEvents: GroupEvent[] = [
  { at: at(0), consumer: 'c1', type: 'join' },
  { at: at(0), consumer: 'c1', type: 'assignment', partitions: [0, 1, 2, 3] },
  { at: at(5000), consumer: 'c1', type: 'rebalance-start' },
  { at: at(5300), consumer: 'c1', type: 'rebalance-end' },
  { at: at(5300), consumer: 'c1', type: 'assignment', partitions: [0, 2] },
  { at: at(5310), consumer: 'c2', type: 'join' },
  { at: at(5310), consumer: 'c2', type: 'assignment', partitions: [1, 3] },
  // c3 joins: both members notice on their own heartbeat, 200 ms apart, and revoke everything.
  { at: at(9000), consumer: 'c1', type: 'rebalance-start' },
  { at: at(9200), consumer: 'c2', type: 'rebalance-start' },
  { at: at(9400), consumer: 'c1', type: 'rebalance-end' },
  { at: at(9400), consumer: 'c1', type: 'assignment', partitions: [0] },
  { at: at(9400), consumer: 'c2', type: 'rebalance-end' },
  { at: at(9400), consumer: 'c2', type: 'assignment', partitions: [1, 3] },
  { at: at(9410), consumer: 'c3', type: 'join' },
  { at: at(9410), consumer: 'c3', type: 'assignment', partitions: [2] },
];

test('eager, hand-made: no ownership interval runs through a rebalance window; chart and summary count alike', () => {
  const timeline = readGroupTimeline(eagerEvents);
  assert.deepEqual(
    timeline.windows.map((w) => [w.start - at(0), w.end - at(0), w.trigger]),
    [
      [5000, 5310, 'c2 joined'],
      [9000, 9410, 'c3 joined'],
    ],
  );
  assert.deepEqual(intervalsThroughWindows(timeline), []);
  // c2 kept p1 and p3 across the second rebalance, but as two intervals: eager revokes and reassigns.
  assert.deepEqual(
    timeline.intervals
      .filter((i) => i.consumer === 'c2')
      .map((i) => [i.partition, i.from - at(0), i.to === null ? null : i.to - at(0)]),
    [
      [1, 5310, 9200],
      [3, 5310, 9200],
      [1, 9400, null],
      [3, 9400, null],
    ],
  );
  assert.equal(labelledRebalances(eagerEvents), summarizeRebalances(measureRebalances(eagerEvents)).rebalances);
  assert.equal(labelledRebalances(eagerEvents), 2);
});

test('incremental, hand-made: only the moved partitions break, and steps at different instants are one rebalance', () => {
  // Cooperative-sticky: each step is start, assignment, end at one instant; a rebalance takes several steps.
  const events: GroupEvent[] = [
    { at: at(0), consumer: 'c1', type: 'join' },
    { at: at(0), consumer: 'c1', type: 'assignment', partitions: [0, 1, 2, 3] },
    { at: at(4000), consumer: 'c2', type: 'join' },
    { at: at(4000), consumer: 'c2', type: 'assignment', partitions: [] },
    { at: at(4100), consumer: 'c1', type: 'rebalance-start' },
    { at: at(4100), consumer: 'c1', type: 'assignment', partitions: [0, 1] },
    { at: at(4100), consumer: 'c1', type: 'rebalance-end' },
    { at: at(4500), consumer: 'c2', type: 'rebalance-start' },
    { at: at(4500), consumer: 'c2', type: 'assignment', partitions: [2, 3] },
    { at: at(4500), consumer: 'c2', type: 'rebalance-end' },
    { at: at(4700), consumer: 'c1', type: 'rebalance-start' },
    { at: at(4700), consumer: 'c1', type: 'assignment', partitions: [0, 1] },
    { at: at(4700), consumer: 'c1', type: 'rebalance-end' },
  ];
  const timeline = readGroupTimeline(events);
  assert.equal(timeline.windows.length, 1, 'three steps at three instants are one rebalance');
  assert.equal(labelledRebalances(events), summarizeRebalances(timeline.episodes).rebalances);
  const through = intervalsThroughWindows(timeline);
  assert.deepEqual(
    through.map((line) => line.split(' [')[0]),
    ['c1 p0', 'c1 p1'],
    'the partitions c1 kept flow through',
  );
  const moved = timeline.intervals.filter((i) => i.partition >= 2);
  assert.deepEqual(
    moved.map((i) => [i.consumer, i.partition, i.from - at(0), i.to === null ? null : i.to - at(0)]),
    [
      ['c1', 2, 0, 4100],
      ['c1', 3, 0, 4100],
      ['c2', 2, 4500, null],
      ['c2', 3, 4500, null],
    ],
  );
});

let lab: KafkaLab;
before(async () => {
  lab = await connectTestLab();
});
after(async () => {
  await lab.close();
});

test('eager, recorded from a real group: no interval runs through a window; every partition pauses in every rebalance; chart = summary', async () => {
  const result = await runRebalanceScenario({
    protocol: 'eager',
    consumers: 3,
    partitions: 6,
    ratePerSec: 300,
    stepSeconds: 1,
    lab,
  });
  const events = result.events;
  const timeline = readGroupTimeline(events, { until: result.measuredUntil });
  assert.ok(timeline.windows.length >= 3, `rebalances: ${timeline.windows.length}`);
  assert.equal(timeline.windows.length, result.summary.rebalances);
  assert.equal(labelledRebalances(events, result.measuredUntil), result.summary.rebalances);
  assert.deepEqual(
    intervalsThroughWindows(timeline),
    [],
    `events: ${JSON.stringify(events.map((e) => [e.at - result.startedAt, e.consumer, e.type, e.partitions]))}`,
  );
  for (const record of timeline.episodes.filter((r) => r.isRebalance)) {
    const paused = new Set(record.pauses.map((p) => p.partition));
    assert.equal(paused.size, 6, `rebalance ${record.index} (${record.trigger}) paused ${[...paused].join(',')}`);
  }
  assert.equal(result.accounting.missing, 0);
});
