import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeTimeline } from '../../src/notebook/sentences/run';

/**
 * Issue 17: notebook 02 reported "a median produce-to-receive time of 1,339 ms"
 * for consumers that started after producing had finished. The sentence now
 * says what the figure measures.
 */
const T = 1_700_000_000_000;
const records = [
  { producedAt: T, receivedAt: T + 2000 },
  { producedAt: T + 100, receivedAt: T + 2010 },
  { producedAt: T + 3000, receivedAt: T + 3020 },
];

test('consumers ready before the first produce: no waiting, the delivery time is the whole figure', () => {
  const sentence = describeTimeline(records, { consumersReadyAt: T - 500 });
  assert.match(sentence, /no message waited for a consumer/);
  assert.match(sentence, /took 1,910 ms at the median/);
});

test('messages produced before the consumers were ready: the wait in the topic is reported apart', () => {
  const sentence = describeTimeline(records, { consumersReadyAt: T + 1900 });
  assert.match(sentence, /2 of 3 messages were produced before the consumers were ready and waited in the topic for up to 1\.9 s/);
  // Counted from readiness: 100 ms, 110 ms and 20 ms; the median is 100 ms, not 1,910 ms.
  assert.match(sentence, /delivery took 100 ms at the median/);
});

test('without the readiness time the sentence says the figure may include waiting', () => {
  assert.match(describeTimeline(records), /including any time a message waited in the topic before its consumer started/);
});
