import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  countryMixPerConsumerChart,
  lagOverTimeChart,
  messagesPerConsumerChart,
  ownershipTimelineChart,
  partitionLoadChart,
  partitionsPerConsumerChart,
  receiveTimelineChart,
  runComparisonChart,
  throughputChart,
  type PlotlyFigure,
} from '../../src/internal';
import { ownershipSpans, rebalanceWindows, type GroupEvent, type LagSample, type ReceivedRecord } from '../../src/internal';
import { thinnedLabels } from '../../src/notebook/charts/ownership';

/**
 * Snapshot the figure, not the pixels: each chart builder's Plotly JSON,
 * numbers rounded, compared with tests/notebooks/__snapshots__/<name>.json.
 * UPDATE_SNAPSHOTS=1 rewrites them.
 */
const snapshotDir = path.join(__dirname, '__snapshots__');

function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1000) / 1000;
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

function matchSnapshot(name: string, figure: PlotlyFigure): void {
  const file = path.join(snapshotDir, `${name}.json`);
  const actual = `${JSON.stringify(rounded(figure), null, 1)}\n`;
  if (process.env.UPDATE_SNAPSHOTS === '1' || !fs.existsSync(file)) {
    fs.writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `figure ${name} changed; rerun with UPDATE_SNAPSHOTS=1 if intended`);
}

const T0 = Date.UTC(2024, 0, 1);
const countries = ['United Kingdom', 'France', 'Germany'];
/** 3 consumers over 4 partitions, consumer-4 idle: deterministic records. */
const records: ReceivedRecord[] = Array.from({ length: 40 }, (_, i) => {
  const partition = i % 4;
  const consumer = partition === 3 ? 'consumer-3' : `consumer-${(partition % 2) + 1}`;
  return { consumer, partition, offset: Math.floor(i / 4), key: `c${i % 7}`, producedAt: T0 + i * 10, receivedAt: T0 + i * 10 + 5 + (i % 3), value: { seq: i, country: countries[i % 3] } };
});
const consumers = ['consumer-1', 'consumer-2', 'consumer-3', 'consumer-4'];

const events: GroupEvent[] = [
  { at: T0, consumer: 'consumer-1', type: 'join' },
  { at: T0 + 100, consumer: 'consumer-1', type: 'assignment', partitions: [0, 1, 2] },
  { at: T0 + 1000, consumer: 'consumer-1', type: 'rebalance-start' },
  { at: T0 + 1000, consumer: 'consumer-2', type: 'join' },
  { at: T0 + 1300, consumer: 'consumer-1', type: 'rebalance-end' },
  { at: T0 + 1300, consumer: 'consumer-1', type: 'assignment', partitions: [0, 2] },
  { at: T0 + 1350, consumer: 'consumer-2', type: 'assignment', partitions: [1] },
  { at: T0 + 2000, consumer: 'consumer-3', type: 'join' },
  { at: T0 + 2000, consumer: 'consumer-1', type: 'rebalance-start' },
  { at: T0 + 2000, consumer: 'consumer-2', type: 'rebalance-start' },
  { at: T0 + 2400, consumer: 'consumer-1', type: 'assignment', partitions: [0] },
  { at: T0 + 2400, consumer: 'consumer-2', type: 'assignment', partitions: [1] },
  { at: T0 + 2450, consumer: 'consumer-3', type: 'assignment', partitions: [2] },
  { at: T0 + 3000, consumer: 'consumer-3', type: 'leave' },
];

const lag: LagSample[] = [0, 500, 1000].flatMap((dt, step) =>
  [0, 1].map((partition) => ({ at: T0 + dt, partition, committed: step * 10, end: 40, lag: 40 - step * 10 - partition * 5 })),
);

test('messages per consumer shows idle consumers as zero bars', () => {
  const figure = messagesPerConsumerChart(records, { consumers });
  assert.deepEqual(figure.data[0].y, [20, 10, 10, 0]);
  assert.equal((figure.data[0].text as string[])[3], 'idle');
  matchSnapshot('messagesPerConsumer', figure);
});

test('partitions per consumer stacks one trace per partition', () => {
  const figure = partitionsPerConsumerChart(records, { consumers });
  assert.deepEqual(figure.data.map((trace) => trace.name), ['p0', 'p1', 'p2', 'p3']);
  assert.equal(figure.layout.barmode, 'stack');
  matchSnapshot('partitionsPerConsumer', figure);
});

test('country mix, receive timeline, throughput', () => {
  matchSnapshot('countryMixPerConsumer', countryMixPerConsumerChart(records, { consumers, top: 2 }));
  matchSnapshot('receiveTimeline', receiveTimelineChart(records, { consumers, maxPoints: 5 }));
  matchSnapshot('throughput', throughputChart(records, { bucketMs: 100 }));
});

test('ownership spans close on rebalance, leave, and the end', () => {
  const spans = ownershipSpans(events, T0 + 3500);
  assert.deepEqual(
    spans.map((span) => [span.consumer, span.partitions.join(','), span.start - T0, span.end - T0]),
    [
      ['consumer-1', '0,1,2', 100, 1000],
      ['consumer-1', '0,2', 1300, 2000],
      ['consumer-2', '1', 1350, 2000],
      ['consumer-1', '0', 2400, 3500],
      ['consumer-2', '1', 2400, 3500],
      ['consumer-3', '2', 2450, 3000],
    ],
  );
  // The changes here come faster than the default 1 s settle time, which would make them one episode.
  assert.deepEqual(
    rebalanceWindows(events, { settleMs: 500 }).map((w) => [w.number, w.start - T0, w.end - T0, w.trigger]),
    [
      [1, 1000, 1350, 'consumer-2 joined'],
      [2, 2000, 2450, 'consumer-3 joined'],
      [3, 3000, 3000, 'consumer-3 left'],
    ],
  );
  matchSnapshot('ownershipTimeline', ownershipTimelineChart(events, { end: T0 + 3500, settleMs: 500 }));
});

/** Issue 17: notebook 06 piled 23 rebalance labels into one strip of its timeline. */
test('rebalance labels that would overlap at 1,000 px are thinned; every rebalance keeps a hover marker', () => {
  const piled: typeof events = [];
  for (let i = 0; i < 23; i += 1) {
    const at = T0 + 5000 + i * 1200;
    piled.push({ type: 'rebalance-start', consumer: 'consumer-1', at } as (typeof events)[number]);
    piled.push({ type: 'assignment', consumer: 'consumer-1', partitions: [0], at: at + 50 } as (typeof events)[number]);
  }
  piled.push({ type: 'rebalance-start', consumer: 'consumer-1', at: T0 + 60_000 } as (typeof events)[number]);
  piled.push({ type: 'assignment', consumer: 'consumer-1', partitions: [0], at: T0 + 60_100 } as (typeof events)[number]);
  const figure = ownershipTimelineChart(piled, { t0: T0, settleMs: 200 });
  const labels = (figure.layout.annotations as { x: number; text: string }[]).sort((a, b) => a.x - b.x);
  assert.ok(labels.length >= 2 && labels.length <= 12, `${labels.length} labels drawn: ${labels.map((l) => l.text).join(', ')}`);
  const plotPx = 900;
  const secondsPerPx = ((labels.at(-1)!.x - labels[0].x) * 1.1) / plotPx;
  for (let i = 1; i < labels.length; i += 1) {
    assert.ok((labels[i].x - labels[i - 1].x) / secondsPerPx >= 80, `${labels[i - 1].text} and ${labels[i].text} overlap`);
  }
  const markers = figure.data.find((trace) => trace.name === 'rebalances') as unknown as { x: number[] };
  const windows = rebalanceWindows(piled, { settleMs: 200 });
  assert.ok(windows.length >= 20, `${windows.length} rebalances`);
  assert.ok(labels.length < windows.length / 2, `${labels.length} of ${windows.length} labelled`);
  assert.equal(markers.x.length, windows.length, 'every rebalance has a hover marker');
  assert.equal((figure.layout.yaxis as { title?: unknown }).title, undefined, 'no y-axis title drawn over the consumer names');
  assert.deepEqual([...thinnedLabels([0, 1, 2, 3], 1000)], [0, 1, 2, 3], 'labels far enough apart all stay');
});

test('lag over time adds a total line', () => {
  const figure = lagOverTimeChart(lag);
  assert.equal(figure.data.at(-1)!.name, 'total');
  assert.deepEqual(figure.data.at(-1)!.y, [75, 55, 35]);
  matchSnapshot('lagOverTime', figure);
});

test('load per partition and run comparison', () => {
  matchSnapshot(
    'partitionLoad',
    partitionLoadChart([
      { partition: 0, messages: 10, series: 'key=none' },
      { partition: 1, messages: 11, series: 'key=none' },
      { partition: 0, messages: 19, series: 'key=country' },
      { partition: 1, messages: 2, series: 'key=country' },
    ]),
  );
  matchSnapshot(
    'runComparison',
    runComparisonChart([
      { label: 'consumers=1', consumers: [{ id: 'consumer-1', received: 30 }] },
      { label: 'consumers=3', consumers: [{ id: 'consumer-1', received: 12 }, { id: 'consumer-2', received: 9 }, { id: 'consumer-3', received: 9 }] },
    ]),
  );
});
