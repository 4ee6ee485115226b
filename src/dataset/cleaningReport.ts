import type { LayoutId } from './layouts';
import type { SourceEncoding } from './csvSource';
import type { QuarantinedRow } from './quarantine';

/**
 * What `dataset clean --json` prints, exactly these fields in this order.
 * The four rule counts each count the parsed input rows failing that rule on
 * its own; `duplicates` counts rows removed as duplicates after the other rules.
 */
export interface CleaningReport {
  rowsIn: number;
  rowsOut: number;
  missingCustomer: number;
  cancellations: number;
  nonPositiveQuantity: number;
  nonPositivePrice: number;
  duplicates: number;
  quarantined: number;
  invoices: number;
  customers: number;
  countries: number;
  revenue: number;
}

export const CLEANING_REPORT_FIELDS = [
  'rowsIn',
  'rowsOut',
  'missingCustomer',
  'cancellations',
  'nonPositiveQuantity',
  'nonPositivePrice',
  'duplicates',
  'quarantined',
  'invoices',
  'customers',
  'countries',
  'revenue',
] as const satisfies readonly (keyof CleaningReport)[];

/** A copy with exactly the report's fields, in order (drops anything else). */
export function pickReport(value: CleaningReport): CleaningReport {
  return Object.fromEntries(CLEANING_REPORT_FIELDS.map((k) => [k, value[k]])) as unknown as CleaningReport;
}

/** One step of the sequential pipeline: how many rows it removed and how many remain. */
export interface CleaningStep {
  rule: string;
  removed: number;
  remaining: number;
}

/** Everything about one cleaning run besides the rows: the report and how it came about. */
export interface CleaningDetails {
  file: string;
  layout: LayoutId;
  encoding: SourceEncoding;
  engine: 'polars' | 'danfo';
  report: CleaningReport;
  /** The sequential pipeline, in order: quarantine, then each rule, then duplicates. */
  steps: CleaningStep[];
  quarantine: QuarantinedRow[];
}
