import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIN_RATE_ELAPSED_MS, progressText } from '../../src/notebook/progress';
import { formatRate, plural } from '../../src/notebook/format';

/** Issue 17: "draining: 6,925 / 6,925 messages (100.0%) · 0.0 s · 6,925,000 messages/s". */
test('the progress text for a near-zero elapsed time shows no rate', () => {
  for (const elapsedMs of [0, 1, 40, MIN_RATE_ELAPSED_MS - 1]) {
    for (const finished of [false, true]) {
      const text = progressText({ label: 'draining', done: 6925, total: 6925, unit: 'messages', elapsedMs, finished });
      assert.doesNotMatch(text, /\/s/, `${elapsedMs} ms: ${text}`);
      assert.match(text, /draining: 6,925 \/ 6,925 messages \(100\.0%\) · \d\.\d s/);
    }
  }
});

test('the progress text shows a rate once enough time has passed', () => {
  const text = progressText({ label: 'producing', done: 5000, total: 10000, unit: 'messages', elapsedMs: 2000, finished: false });
  assert.equal(text, '⏳ producing: 5,000 / 10,000 messages (50.0%) · 2.0 s · 2,500 messages/s');
});

test('plural says 1 consumer and 3 consumers', () => {
  assert.equal(plural(1, 'consumer'), '1 consumer');
  assert.equal(plural(3, 'consumer'), '3 consumers');
  assert.equal(plural(0, 'partition'), '0 partitions');
  assert.equal(plural(1200, 'message'), '1,200 messages');
  assert.equal(plural(2, 'entry', 'entries'), '2 entries');
});

test('a rate is given only over at least a second', () => {
  assert.equal(formatRate(6925, 1, 'messages/s'), undefined);
  assert.equal(formatRate(6925, 999, 'messages/s'), undefined);
  assert.equal(formatRate(2000, 1000, 'msg/s'), '2,000 msg/s');
  assert.equal(formatRate(5000, 2500, 'msg/s'), '2,000 msg/s');
});
