import type { Admin, IHeaders, Kafka } from 'kafkajs';
import { waitUntil } from '../util/waitUntil';

export type IsolationLevel = 'read_committed' | 'read_uncommitted';

export interface TopicRecord {
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Reads a whole topic, once, with the given isolation level, until every
 * partition's position reached the end the topic had when reading began. A
 * read_committed reader never receives the records of aborted transactions nor
 * the transaction markers, so "the last record seen" can stop short of the end:
 * the position is taken from kafkajs' batch events, which also report batches
 * that held only filtered records. Call it once no transaction is open any more.
 */
export async function readTopicToEnd(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  isolation: IsolationLevel,
  timeoutMs = 120_000,
): Promise<TopicRecord[]> {
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  const position = new Map<number, number>([...ends.keys()].map((p) => [p, 0]));
  const records: TopicRecord[] = [];
  const groupId = `ledger-reader-${isolation}-${Date.now().toString(36)}-${Math.random().toString(16).slice(2, 8)}`;
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: isolation === 'read_uncommitted',
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 250,
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.topic !== topic) return;
    position.set(payload.partition, Math.max(position.get(payload.partition) ?? 0, Number(payload.lastOffset) + 1));
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          records.push({
            partition: batch.partition,
            offset: Number(message.offset),
            key: message.key ? message.key.toString('utf8') : null,
            value: message.value,
            headers: headerText(message.headers),
          });
        }
      },
    });
    await waitUntil(
      () => [...ends].every(([p, end]) => (position.get(p) ?? 0) >= end),
      timeoutMs,
      `a ${isolation} reader to reach the end of ${topic}`,
      50,
    );
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}
