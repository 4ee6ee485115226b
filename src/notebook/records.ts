import { DataFrame } from 'danfojs-node';
import type { FrameLike, ReceivedRecord } from './types';

/**
 * Received records as flat rows (the retail fields pulled out of the value)
 * and as Danfo DataFrames, for tables.
 */

export interface FlatRecord {
  consumer: string;
  partition: number;
  offset: number;
  key: string | null;
  seq: number | null;
  invoice: string | null;
  country: string | null;
  totalPrice: number | null;
  /** receivedAt − producedAt. */
  latencyMs: number;
}

function field<T>(value: unknown, name: string, type: 'string' | 'number'): T | null {
  if (!value || typeof value !== 'object') return null;
  const v = (value as Record<string, unknown>)[name];
  return typeof v === type ? (v as T) : null;
}

/** One flat row per record (pure). */
export function flattenRecords(records: readonly ReceivedRecord[]): FlatRecord[] {
  return records.map((record) => ({
    consumer: record.consumer,
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    seq: field<number>(record.value, 'seq', 'number'),
    invoice: field<string>(record.value, 'invoice', 'string'),
    country: field<string>(record.value, 'country', 'string'),
    totalPrice: field<number>(record.value, 'totalPrice', 'number'),
    latencyMs: Math.round(record.receivedAt - record.producedAt),
  }));
}

/** The received records (optionally of one consumer) as a Danfo DataFrame. */
export function receivedFrame(records: readonly ReceivedRecord[], options: { consumer?: string } = {}): DataFrame {
  const rows = flattenRecords(
    options.consumer === undefined ? records : records.filter((record) => record.consumer === options.consumer),
  );
  const columns = ['consumer', 'partition', 'offset', 'key', 'seq', 'invoice', 'country', 'totalPrice', 'latencyMs'];
  if (rows.length === 0) return new DataFrame([], { columns });
  return new DataFrame(
    rows.map((row) => columns.map((column) => (row as unknown as Record<string, unknown>)[column] ?? null)),
    { columns },
  );
}

/** Plain records from a Danfo DataFrame (first `limit` rows). */
export function frameRecords(frame: FrameLike, limit = Number.POSITIVE_INFINITY): Record<string, unknown>[] {
  const values = (frame.values as unknown[]).slice(0, limit);
  return values.map((row) => {
    const cells = Array.isArray(row) ? row : [row];
    return Object.fromEntries(frame.columns.map((column, i) => [column, cells[i]]));
  });
}
