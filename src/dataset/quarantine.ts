import type { RawField } from './layouts';

/** A row that could not be parsed: kept aside and counted, never silently dropped. */
export interface QuarantinedRow {
  /** 1-based data row (the header is row 0; in a workbook, rows of all sheets in order). */
  row: number;
  reason: string;
}

/**
 * The checks a raw row goes through, in order; the first that fails names the
 * row's quarantine reason. Both engines build their checks from this list, so
 * they quarantine the same rows with the same words.
 */
export type RowCheck =
  | { kind: 'required'; field: RawField }
  | { kind: 'integer'; field: 'quantity' }
  | { kind: 'date'; field: 'invoiceDate' }
  | { kind: 'number'; field: 'unitPrice' }
  | { kind: 'customerId'; field: 'customerId' };

export const ROW_CHECKS: readonly RowCheck[] = [
  { kind: 'required', field: 'invoice' },
  { kind: 'required', field: 'stockCode' },
  { kind: 'required', field: 'quantity' },
  { kind: 'integer', field: 'quantity' },
  { kind: 'required', field: 'invoiceDate' },
  { kind: 'date', field: 'invoiceDate' },
  { kind: 'required', field: 'unitPrice' },
  { kind: 'number', field: 'unitPrice' },
  { kind: 'customerId', field: 'customerId' },
  { kind: 'required', field: 'country' },
];

/** The message for a failed check; `column` is the file's own column name. */
export function checkMessage(check: RowCheck, column: string): { prefix: string; suffix: string } {
  switch (check.kind) {
    case 'required':
      return { prefix: `${column} is empty`, suffix: '' };
    case 'integer':
      return { prefix: `${column} "`, suffix: '" is not an integer' };
    case 'date':
      return { prefix: `${column} "`, suffix: '" is not a date like 2010-12-01 08:26:00 or 12/1/2010 8:26' };
    case 'number':
      return { prefix: `${column} "`, suffix: '" is not a number' };
    case 'customerId':
      return { prefix: `${column} "`, suffix: '" is not a customer number like 17850' };
  }
}
