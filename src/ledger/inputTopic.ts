import type { Kafka, Message } from 'kafkajs';
import type { RetailRow } from '../dataset/retailRow';
import { DEFAULT_MAX_VALUE_BYTES } from './classify';

/** A cleaned row as the processor reads it: with its line number within the invoice. */
export interface OrderLine extends RetailRow {
  line: number;
}

/** Numbers each row within its invoice, in file order: (invoice, line) names an order line once. */
export function numberLines(rows: readonly RetailRow[]): OrderLine[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const line = (seen.get(row.invoice) ?? 0) + 1;
    seen.set(row.invoice, line);
    return { ...row, line };
  });
}

export const POISON_KINDS = ['not-json', 'rejected-row', 'too-large'] as const;
export type PoisonKind = (typeof POISON_KINDS)[number];

/** The i-th poison message: the three kinds in turn, each something the processor must dead-letter. */
export function poisonMessage(
  i: number,
  maxValueBytes = DEFAULT_MAX_VALUE_BYTES,
): { kind: PoisonKind; message: Message } {
  const kind = POISON_KINDS[i % POISON_KINDS.length];
  const key = `poison-${i}`;
  if (kind === 'not-json') return { kind, message: { key, value: `{"invoice": "5812${i}", "quantity": 3, oops` } };
  if (kind === 'rejected-row') {
    // A cancellation: the cleaning rules drop it (dropCancellations), so it is no revenue.
    const row = {
      invoice: `C58${String(i).padStart(4, '0')}`,
      line: 1,
      stockCode: '22423',
      description: 'REGENCY CAKESTAND 3 TIER',
      quantity: -2,
      invoiceDate: '2011-12-09T12:50:00',
      unitPrice: 12.75,
      customerId: '17850',
      country: 'United Kingdom',
      totalPrice: -25.5,
    };
    return { kind, message: { key: row.invoice, value: JSON.stringify(row) } };
  }
  const row = {
    invoice: `58${String(i).padStart(4, '0')}`,
    line: 1,
    description: 'X'.repeat(maxValueBytes + 1024),
    quantity: 1,
    unitPrice: 1,
    customerId: '17850',
    country: 'United Kingdom',
  };
  return { kind, message: { key: row.invoice, value: JSON.stringify(row) } };
}

/** Rows with `poison` messages spread evenly among them (position k·n/(poison+1)), reproducibly. */
export function inputMessages(
  lines: readonly OrderLine[],
  poison: number,
  maxValueBytes = DEFAULT_MAX_VALUE_BYTES,
): Message[] {
  const messages: Message[] = lines.map((row) => ({ key: row.invoice, value: JSON.stringify(row) }));
  for (let k = poison; k >= 1; k -= 1) {
    const at = Math.floor((k * lines.length) / (poison + 1));
    messages.splice(at, 0, poisonMessage(k - 1, maxValueBytes).message);
  }
  return messages;
}

/** Writes the input (keyed by invoice, acks=all, idempotent) and returns the end offset of each partition. */
export async function produceInput(kafka: Kafka, topic: string, messages: readonly Message[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 1000) {
      await producer.send({ topic, messages: messages.slice(i, i + 1000), acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
}
