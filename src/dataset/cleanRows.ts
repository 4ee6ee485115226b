import { invalidOption } from '../options';
import fs from 'node:fs';
import path from 'node:path';
import pl from 'nodejs-polars';
import type { RetailRow } from './retailRow';
import { cleanWithPolars, type PolarsCleaning } from './polarsEngine';

/** The canonical columns of a cleaned row, in RetailRow order. */
export const RETAIL_ROW_COLUMNS = [
  'invoice',
  'stockCode',
  'description',
  'quantity',
  'invoiceDate',
  'unitPrice',
  'customerId',
  'country',
  'totalPrice',
] as const;

const TEXT_COLUMNS = new Set<string>(['invoice', 'stockCode', 'description', 'invoiceDate', 'customerId', 'country']);

/** Cleaned polars rows as plain objects, the shape the producer sends. */
export function toRetailRows(df: pl.DataFrame): RetailRow[] {
  return df.select(...RETAIL_ROW_COLUMNS).toRecords() as unknown as RetailRow[];
}

/** Loads and cleans a file on the fast path and returns plain rows (the producer's input). */
export function loadCleanRows(file: string): RetailRow[] {
  return toRetailRows(cleanWithPolars(file).df);
}

/** Writes cleaned rows as CSV, or Parquet when the name ends in .parquet; written to a temp file, then renamed. */
export function writeCleanRows(cleaning: Pick<PolarsCleaning, 'df'>, out: string): void {
  const ext = path.extname(out).toLowerCase();
  if (ext !== '.csv' && ext !== '.parquet') {
    invalidOption('--out', out, 'a file name ending in .csv or .parquet');
  }
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  // The fast path keeps text as categoricals; files get plain text columns.
  const df = cleaning.df.select(
    ...RETAIL_ROW_COLUMNS.map((c) => (TEXT_COLUMNS.has(c) ? pl.col(c).cast(pl.Utf8) : pl.col(c))),
  );
  if (ext === '.parquet') df.writeParquet(tmp);
  else df.writeCSV(tmp);
  fs.renameSync(tmp, out);
}
