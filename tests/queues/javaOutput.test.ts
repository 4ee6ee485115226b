import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendRecordFrame, JavaOutputReader, OffsetTally, ReceivedLog } from '../../src/internal';

/** One record as src/java/ConsumerMember.java's RecordFrame writes it. */
function encodeRecord(
  partition: number,
  offset: number,
  timestamp: number,
  key: string | null,
  value: string | null,
): Buffer {
  const head = Buffer.alloc(24);
  head.writeInt32BE(partition, 0);
  head.writeDoubleBE(offset, 4);
  head.writeDoubleBE(timestamp, 12);
  const keyBytes = key === null ? Buffer.alloc(0) : Buffer.from(key);
  head.writeInt32BE(key === null ? -1 : keyBytes.length, 20);
  const valueBytes = value === null ? Buffer.alloc(0) : Buffer.from(value);
  const valueLength = Buffer.alloc(4);
  valueLength.writeInt32BE(value === null ? -1 : valueBytes.length);
  return Buffer.concat([head, keyBytes, valueLength, valueBytes]);
}

const records = [
  {
    partition: 2,
    offset: 2 ** 40 + 7,
    timestamp: 1_764_000_000_123,
    key: 'United Kingdom',
    value: '{"seq":0,"price":2.55}',
  },
  { partition: 2, offset: 2 ** 40 + 8, timestamp: 1_764_000_000_124, key: 'United Kingdom', value: '{"seq":1}' },
  { partition: 0, offset: 0, timestamp: 1_764_000_000_125, key: null, value: null },
  { partition: 5, offset: 3, timestamp: 1_764_000_000_126, key: 'Ä€', value: 'not json' },
];
const frame = Buffer.concat(records.map((r) => encodeRecord(r.partition, r.offset, r.timestamp, r.key, r.value)));

test('a record frame is decoded into the log and the tally: offsets past 2^32, keys, null keys and values', () => {
  const log = new ReceivedLog('c1');
  const tally = new OffsetTally();
  assert.equal(appendRecordFrame(log, tally, frame, 42), 4);
  assert.equal(tally.unique, 4);
  records.forEach((r, i) => {
    assert.equal(log.partitionAt(i), r.partition);
    assert.equal(log.offsetAt(i), r.offset);
    assert.equal(log.producedAtOf(i), r.timestamp);
    assert.equal(log.receivedAtOf(i), 42);
    assert.equal(log.keyAt(i), r.key);
    assert.equal(log.rawValueAt(i), r.value);
  });
  assert.deepEqual(log.valueAt(0), { seq: 0, price: 2.55 });
  assert.equal((log.valueAt(3) as { poison: boolean }).poison, true);
});

test('a log that keeps no values records the frame without holding it', () => {
  const log = new ReceivedLog('c1', { keepValues: false });
  appendRecordFrame(log, new OffsetTally(), frame, 42);
  assert.equal(log.length, 4);
  assert.equal(log.keyAt(3), 'Ä€');
  assert.equal(log.rawValueAt(0), null);
  assert.equal(
    log.retainedBytes,
    new ReceivedLog('empty', { keepValues: false }).retainedBytes,
    'the frame is not held',
  );
});

test("the Java output reader splits lines and frames, wherever the pipe's chunks happen to end", () => {
  const stream = Buffer.concat([
    Buffer.from('{"name":"partitions_assigned","partitions":[]}\n'),
    Buffer.from('a warning that is not JSON\n'),
    Buffer.from(`{"name":"records","timestamp":1,"count":4,"bytes":${frame.length}}\n`),
    frame,
    Buffer.from('{"name":"partitions_revoked","partitions":[]}\n'),
  ]);
  for (const chunkSize of [1, 7, 64, stream.length]) {
    const seen: string[] = [];
    const frames: Buffer[] = [];
    const reader = new JavaOutputReader((event, bytes) => {
      seen.push(String(event.name));
      if (bytes) frames.push(Buffer.from(bytes));
    });
    for (let at = 0; at < stream.length; at += chunkSize) reader.push(stream.subarray(at, at + chunkSize));
    assert.deepEqual(seen, ['partitions_assigned', 'records', 'partitions_revoked'], `chunks of ${chunkSize}`);
    assert.equal(frames.length, 1);
    assert.ok(frames[0].equals(frame), `the frame arrives whole and unchanged (chunks of ${chunkSize})`);
  }
});
