import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LagSecondsSampler,
  liveFigure,
  ReceivedLog,
  replayLagChart,
  SendTimes,
  setFallbackDisplaySink,
  type GroupMember,
  type MimeBundle,
} from '../../src/internal';

/** The pure parts of the replay: lag in seconds from send times and processed logs, the live chart's headless behaviour. */

function member(id: string, partitions: number[], log: ReceivedLog): GroupMember {
  return {
    id,
    log,
    state: 'joined',
    partitions,
    active: true,
    memberId: id,
    start: async () => undefined,
    stop: async () => undefined,
  };
}

test('lag in seconds is the age of the oldest unprocessed message, per partition and per consumer', () => {
  const sends = new SendTimes();
  // p0: offsets 0-9 sent at t=1000; p1: offsets 0-4 sent at t=2000, 5-9 at t=3000.
  sends.add(0, 0, 10, 1000);
  sends.add(1, 0, 5, 2000);
  sends.add(1, 5, 5, 3000);
  const a = new ReceivedLog('consumer-1');
  const b = new ReceivedLog('consumer-2');
  for (let offset = 0; offset < 10; offset += 1) a.append(0, offset, null, 1000, 1500, null); // p0 fully processed
  for (let offset = 0; offset < 6; offset += 1) b.append(1, offset, null, offset < 5 ? 2000 : 3000, 3500, null); // p1 up to offset 5
  const sampler = new LagSecondsSampler(
    sends,
    { consumers: [member('consumer-1', [0], a), member('consumer-2', [1], b)] },
    2,
  );
  const point = sampler.sample(5000);
  assert.equal(point.lagMessages, 4);
  // Offset 6 of p1 was sent at 3000: 2 s old at 5000.
  assert.equal(point.lagSeconds, 2);
  assert.equal(point.processed, 16);
  assert.deepEqual(
    sampler.partitionPoints.map((p) => [p.partition, p.owner, p.lagMessages, p.lagSeconds]),
    [
      [0, 'consumer-1', 0, 0],
      [1, 'consumer-2', 4, 2],
    ],
  );
  assert.deepEqual(
    sampler.consumerPoints.map((c) => [c.consumer, c.lagMessages, c.lagSeconds, c.processed]),
    [
      ['consumer-1', 0, 0, 10],
      ['consumer-2', 4, 2, 6],
    ],
  );
  assert.equal(Math.max(...sampler.e2eMs), 1500);
});

test('a live figure outside a kernel draws nothing until finish, then exactly one output', () => {
  const shown: Array<{ bundle: MimeBundle; update?: boolean }> = [];
  const previous = setFallbackDisplaySink((bundle, options) => shown.push({ bundle, update: options.update }));
  try {
    const live = liveFigure({ minIntervalMs: 0 });
    const view = {
      startedAt: 0,
      partitionPoints: [{ at: 1000, partition: 0, lagMessages: 3, lagSeconds: 1.5 }],
      scaledAt: 500,
    };
    live.update(() => replayLagChart(view));
    live.update(() => replayLagChart(view));
    assert.equal(shown.length, 0);
    live.finish(replayLagChart(view));
    assert.equal(shown.length, 1);
    assert.match(String(shown[0].bundle['text/plain']), /Lag per partition/);
  } finally {
    setFallbackDisplaySink(previous);
  }
});

test('the lag chart has a messages and a seconds trace per partition and marks when consumers were added', () => {
  const figure = replayLagChart({
    startedAt: 0,
    partitionPoints: [
      { at: 0, partition: 0, lagMessages: 0, lagSeconds: 0 },
      { at: 0, partition: 1, lagMessages: 2, lagSeconds: 0.25 },
      { at: 1000, partition: 0, lagMessages: 5, lagSeconds: 0.9 },
      { at: 1000, partition: 1, lagMessages: 1, lagSeconds: 0.1 },
    ],
    scaledAt: 800,
  });
  assert.equal(figure.data.length, 4);
  assert.deepEqual(
    figure.data.map((t) => t.yaxis),
    ['y', 'y2', 'y', 'y2'],
  );
  assert.deepEqual(figure.data[1].y, [0, 0.9]);
  const shapes = figure.layout.shapes as Array<{ x0: number }>;
  assert.equal(shapes.length, 1);
  assert.equal(shapes[0].x0, 0.8);
});
