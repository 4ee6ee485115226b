import pl from 'nodejs-polars';
import type { DataFrame as DanfoFrame, Series as DanfoSeries } from 'danfojs-node';
import type { CleaningReport } from './cleaningReport';
import { CANCELLATION_PATTERN, isCancellationInvoice } from './valueParsing';

/**
 * A cleaning rule: which rows it drops, said three ways that must agree: in
 * words, as a polars expression and as a Danfo mask. Each is true for a row
 * the rule removes.
 */
export interface DropRule {
  name: string;
  /** The report field that counts the input rows failing this rule on its own. */
  reportField: keyof Pick<
    CleaningReport,
    'missingCustomer' | 'cancellations' | 'nonPositiveQuantity' | 'nonPositivePrice'
  >;
  drops: string;
  polars: () => pl.Expr;
  danfo: (df: DanfoFrame) => DanfoSeries;
}

export const dropMissingCustomer: DropRule = {
  name: 'dropMissingCustomer',
  reportField: 'missingCustomer',
  drops: 'rows with no customer id',
  polars: () => pl.col('customerId').isNull(),
  danfo: (df) => df.column('customerId').isNa(),
};

export const dropCancellations: DropRule = {
  name: 'dropCancellations',
  reportField: 'cancellations',
  drops: 'cancellations and adjustments: an invoice that starts with a letter (C536379, A563185)',
  // The cast lets the rule read a categorical invoice column (the fast path's) as well as text.
  polars: () => pl.col('invoice').cast(pl.Utf8).str.contains(CANCELLATION_PATTERN),
  danfo: (df) => df.column('invoice').map((v) => isCancellationInvoice(String(v))),
};

export const dropNonPositiveQuantity: DropRule = {
  name: 'dropNonPositiveQuantity',
  reportField: 'nonPositiveQuantity',
  drops: 'rows with quantity ≤ 0',
  polars: () => pl.col('quantity').ltEq(0),
  danfo: (df) => df.column('quantity').le(0),
};

export const dropNonPositivePrice: DropRule = {
  name: 'dropNonPositivePrice',
  reportField: 'nonPositivePrice',
  drops: 'rows with unit price ≤ 0',
  polars: () => pl.col('unitPrice').ltEq(0),
  danfo: (df) => df.column('unitPrice').le(0),
};

/** The drop rules in the order the pipeline applies them. */
export const DROP_RULES: readonly DropRule[] = [
  dropMissingCustomer,
  dropCancellations,
  dropNonPositiveQuantity,
  dropNonPositivePrice,
];

/** The columns compared when looking for exact duplicate rows (all canonical fields, after normalisation). */
export const DUPLICATE_KEY = [
  'invoice',
  'stockCode',
  'description',
  'quantity',
  'invoiceDate',
  'unitPrice',
  'customerId',
  'country',
] as const;

/** The names of the other pipeline steps, as shown in `CleaningDetails.steps`. */
export const QUARANTINE_STEP = 'quarantineUnparseableRows';
export const TRIM_STEP = 'trimDescriptions';
export const DUPLICATE_STEP = 'dropExactDuplicates';
export const TOTAL_PRICE_STEP = 'addTotalPrice';
