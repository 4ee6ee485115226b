import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  chooseTransport,
  confluentClientAvailable,
  createKafkaClient,
  encodeFrame,
  encodeObjects,
  LabError,
  loadRetailRows,
  produceRows,
  resolveConnection,
  streamRetailRows,
  TRANSPORT_VARIABLE,
  type KafkaLab,
  type ProduceTransport,
} from '../../src/internal';
import { connectTestLab, freshName, sampleRows } from '../support/broker';

let lab: KafkaLab;
before(async () => {
  lab = await connectTestLab();
});
after(async () => {
  await lab.close();
});

const librdkafka = { skip: confluentClientAvailable() ? false : 'the librdkafka client is not installed' };
const transports: ProduceTransport[] = confluentClientAvailable() ? ['librdkafka', 'kafkajs'] : ['kafkajs'];

/** Runs `work` with an environment variable set (or removed), restoring it after. */
async function withEnv<T>(name: string, value: string | undefined, work: () => Promise<T> | T): Promise<T> {
  const before = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

for (const transport of transports) {
  test(`${transport}: every message produced is received once, per partition as logged`, async () => {
    const topic = freshName(`transport-${transport}`);
    await lab.createTopic({ topic, partitions: 4 });
    const group = await lab.startConsumerGroup({ topic, consumers: 2 });
    const produced = await lab.produce(sampleRows(3_000), { topic, key: 'customer', transport });
    assert.equal(produced.transport, transport);
    assert.equal(produced.produced, 3_000);
    assert.equal(produced.log.count, 3_000);
    await group.waitForReceived(3_000, 60_000);
    const accounting = lab.accountFor(produced, group);
    await group.stop();
    assert.equal(accounting.missing, 0);
    assert.equal(accounting.duplicates, 0);
    assert.equal(accounting.received, 3_000);
    const described = await lab.describeTopic(topic);
    assert.equal(described.messages, 3_000);
    for (const [partition, count] of Object.entries(produced.perPartition)) {
      assert.equal(produced.log.countIn(Number(partition)), count, `partition ${partition}`);
      assert.equal(accounting.perPartition[Number(partition)].produced, count);
    }
    // Values arrive as {"seq": n, ...row}: each seq once.
    const seqs = group.consumers.flatMap((member) => member.log.records().map((r) => (r.value as { seq: number }).seq));
    assert.deepEqual(
      seqs.sort((a, b) => a - b),
      Array.from({ length: 3_000 }, (_, i) => i),
    );
  });
}

test(
  'both transports put each key in the same partition (Java murmur2) and keyless rows round-robin',
  librdkafka,
  async () => {
    const spread: Record<string, Record<string, number>> = {};
    for (const transport of ['librdkafka', 'kafkajs'] as const) {
      for (const key of ['customer', 'none'] as const) {
        const topic = freshName(`same-partitions-${transport}`);
        await lab.createTopic({ topic, partitions: 6 });
        const produced = await lab.produce(sampleRows(1_200), { topic, key, transport });
        spread[`${transport}/${key}`] = produced.perPartition;
      }
    }
    assert.deepEqual(spread['librdkafka/customer'], spread['kafkajs/customer']);
    assert.ok(new Set(Object.values(spread['kafkajs/customer'])).size > 1, 'keyed spread follows the keys');
    for (const transport of ['librdkafka', 'kafkajs'])
      assert.deepEqual(spread[`${transport}/none`], { 0: 200, 1: 200, 2: 200, 3: 200, 4: 200, 5: 200 });
  },
);

test('librdkafka: rows over maxMessageBytes are listed as rejected, the rest delivered', librdkafka, async () => {
  const topic = freshName('reject-librdkafka');
  await lab.createTopic({ topic, partitions: 2 });
  const rows = sampleRows(40).map((row, i) => (i % 10 === 3 ? { ...row, description: 'Z'.repeat(5_000) } : row));
  const produced = await lab.produce(rows, { topic, transport: 'librdkafka', maxMessageBytes: 4_000 });
  assert.equal(produced.transport, 'librdkafka');
  assert.deepEqual(
    produced.rejected.map((r) => r.seq),
    [3, 13, 23, 33],
  );
  assert.ok(produced.rejected.every((r) => r.bytes > 5_000 && /4,000-byte limit/.test(r.reason)));
  assert.equal(produced.produced, 36);
  assert.equal((await lab.describeTopic(topic)).messages, 36);
});

test('librdkafka: a missing topic is a LabError naming it', librdkafka, async () => {
  const topic = freshName('missing-topic');
  await assert.rejects(
    lab.produce(sampleRows(3), { topic, transport: 'librdkafka' }),
    (error: unknown) => error instanceof LabError && error.code === 'INVALID_TOPIC' && error.message.includes(topic),
  );
});

test('the transport falls back to kafkajs when asked, by option or KAFKA_LAB_TRANSPORT, or when librdkafka is off', async () => {
  const topic = freshName('forced-kafkajs');
  await lab.createTopic({ topic, partitions: 1 });
  const byOption = await lab.produce(sampleRows(10), { topic, transport: 'kafkajs' });
  assert.equal(byOption.transport, 'kafkajs');
  const byEnv = await withEnv(TRANSPORT_VARIABLE, 'kafkajs', () => lab.produce(sampleRows(10), { topic }));
  assert.equal(byEnv.transport, 'kafkajs');
  const switchedOff = await withEnv('KAFKA_LAB_CONFLUENT_CLIENT', 'off', () =>
    withEnv(TRANSPORT_VARIABLE, undefined, () => lab.produce(sampleRows(10), { topic })),
  );
  assert.equal(switchedOff.transport, 'kafkajs');
  assert.equal((await lab.describeTopic(topic)).messages, 30);
  await withEnv(TRANSPORT_VARIABLE, undefined, () =>
    assert.equal(chooseTransport(), confluentClientAvailable() ? 'librdkafka' : 'kafkajs'),
  );
  await assert.rejects(
    withEnv(TRANSPORT_VARIABLE, 'carrier-pigeon', () => lab.produce(sampleRows(1), { topic })),
    /Invalid KAFKA_LAB_TRANSPORT: "carrier-pigeon"\. Expected "librdkafka" or "kafkajs"\./,
  );
  await assert.rejects(
    lab.produce(sampleRows(1), { topic, transport: 'rdkafka' as never }),
    (error: unknown) =>
      error instanceof LabError && error.code === 'INVALID_OPTION' && /Invalid transport/.test(error.message),
  );
  await withEnv('KAFKA_LAB_CONFLUENT_CLIENT', 'off', () =>
    assert.rejects(
      lab.produce(sampleRows(1), { topic, transport: 'librdkafka' }),
      (error: unknown) => error instanceof LabError && /not available/.test(error.message),
    ),
  );
});

for (const transport of transports) {
  test(`${transport}: each message is stamped when it is handed over, not once per batch`, async () => {
    const topic = freshName(`stamps-${transport}`);
    await lab.createTopic({ topic, partitions: 1 });
    const group = await lab.startConsumerGroup({ topic, consumers: 1, from: 'latest' });
    const produced = await lab.produce(sampleRows(600), { topic, transport, ratePerSec: 2_000 });
    await group.waitForReceived(600, 60_000);
    const log = group.consumers[0].log;
    await group.stop();
    const stamps = new Set<number>();
    for (let i = 0; i < log.length; i += 1) stamps.add(log.producedAtOf(i));
    // 600 messages over about 300 ms, handed over in 5 ms chunks: about 60 distinct stamps (fewer when
    // timers run late on a busy machine). Stamped per request, as before, they were 6 (100 messages each).
    assert.ok(stamps.size >= 20, `${stamps.size} distinct timestamps for ${produced.produced} messages`);
    assert.ok(produced.durationMs >= 250, `the rate held: ${produced.durationMs} ms`);
  });
}

test('a frame of cleaned rows is serialised in bulk to the same bytes as the row objects', async () => {
  const options = {
    datasetDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lab-serialise-')),
    cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lab-serialise-cache-')),
    generatedRows: 30_000,
    seed: 11,
  };
  const rows = await loadRetailRows(options);
  const { frame } = streamRetailRows(options);
  assert.equal(frame.height, rows.length);
  let whole = 0;
  for (let offset = 0; offset < rows.length; offset += 7_000) {
    const fromFrame = encodeFrame(frame.slice(offset, 7_000), offset, 'customer');
    const fromObjects = encodeObjects(rows.slice(offset, offset + 7_000), offset, 'customer');
    assert.equal(fromFrame.values.length, fromObjects.values.length);
    for (let i = 0; i < fromFrame.values.length; i += 1) {
      const expected = JSON.stringify({ seq: offset + i, ...rows[offset + i] });
      assert.equal(fromFrame.values[i].toString(), expected);
      assert.equal(fromObjects.values[i].toString(), expected);
      if (Number.isInteger(rows[offset + i].totalPrice)) whole += 1;
    }
    assert.deepEqual(fromFrame.keys, fromObjects.keys);
  }
  assert.ok(whole > 0, 'some totals are whole numbers (polars writes 22.0, JSON.stringify 22)');
});

test('a stream of cleaned rows is produced from its frame and received as the same values', async () => {
  const options = {
    datasetDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lab-frame-')),
    cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lab-frame-cache-')),
    generatedRows: 3_000,
    seed: 5,
  };
  const rows = await loadRetailRows(options);
  const topic = freshName('frame');
  await lab.createTopic({ topic, partitions: 3 });
  const group = await lab.startConsumerGroup({ topic, consumers: 1 });
  const produced = await lab.produce(streamRetailRows(options), { topic, key: 'country' });
  assert.equal(produced.produced, rows.length);
  await group.waitForReceived(rows.length, 60_000);
  const log = group.consumers[0].log;
  await group.stop();
  const bySeq = new Map<number, string>();
  for (let i = 0; i < log.length; i += 1) {
    const raw = log.rawValueAt(i) as string;
    bySeq.set((JSON.parse(raw) as { seq: number }).seq, raw);
    assert.equal(log.keyAt(i), rows[(JSON.parse(raw) as { seq: number }).seq].country);
  }
  for (let seq = 0; seq < rows.length; seq += 1) assert.equal(bySeq.get(seq), JSON.stringify({ seq, ...rows[seq] }));
});

test('a broker that does not answer is a LabError naming the address, on either transport', async () => {
  const connection = resolveConnection({ bootstrapServers: '127.0.0.1:1' });
  const kafka = createKafkaClient(connection, 'lab-test-unreachable', { retries: 0 });
  for (const transport of transports) {
    await assert.rejects(
      produceRows(kafka, connection, sampleRows(1), { topic: freshName('nowhere'), transport }),
      (error: unknown) =>
        error instanceof LabError &&
        error.code === 'BROKER_UNREACHABLE' &&
        error.message.includes('127.0.0.1:1') &&
        /broker start/.test(error.message),
    );
  }
});
