import { DataFrame, Series } from 'danfojs-node';
import { assertReadable, fileTypeOf, readRawTable, type RawTable } from './rawTable';
import { readRawPolars } from './polarsEngine';
import { RAW_FIELDS } from './layouts';
import { parseRawTable, type ParsedColumns } from './parseRows';
import { DROP_RULES, DUPLICATE_KEY, DUPLICATE_STEP, QUARANTINE_STEP, TOTAL_PRICE_STEP, TRIM_STEP } from './cleaningRules';
import type { CleaningDetails, CleaningReport, CleaningStep } from './cleaningReport';
import type { QuarantinedRow } from './quarantine';
import type { LayoutId } from './layouts';
import type { SourceEncoding } from './csvSource';
import { sumCents, totalPriceOf } from './valueParsing';

/** A loaded file as a Danfo DataFrame of parsed, not yet cleaned rows (for step-by-step display). */
export interface DanfoLoad {
  file: string;
  layout: LayoutId;
  encoding: SourceEncoding;
  /** Columns: row, invoice, stockCode, description, quantity, invoiceDate, unitPrice, customerId (null when missing), country. */
  df: DataFrame;
  rowsIn: number;
  quarantine: QuarantinedRow[];
}

const PARSED_COLUMNS = ['row', 'invoice', 'stockCode', 'description', 'quantity', 'invoiceDate', 'unitPrice', 'customerId', 'country'];

function frameFromColumns(c: ParsedColumns): DataFrame {
  // Danfo cannot build a frame from empty columns, only from no rows.
  if (c.row.length === 0) return new DataFrame([], { columns: PARSED_COLUMNS });
  return new DataFrame(
    {
      row: c.row,
      invoice: c.invoice,
      stockCode: c.stockCode,
      description: c.description,
      quantity: c.quantity,
      invoiceDate: c.invoiceDate,
      unitPrice: c.unitPrice,
      customerId: c.customerId,
      country: c.country,
    },
    { columns: PARSED_COLUMNS },
  );
}

/**
 * A file's text columns for the JavaScript parser. CSV is split by polars'
 * reader (csv-parse takes ~5 s on 541,909 rows; `readRawTable` keeps that
 * independent path, and a test checks both readers agree); xlsx by SheetJS.
 */
export function readRawForDanfo(file: string): RawTable {
  assertReadable(file);
  if (fileTypeOf(file) === 'xlsx') return readRawTable(file);
  const raw = readRawPolars(file);
  const columns = Object.fromEntries(RAW_FIELDS.map((f) => [f, raw.df.getColumn(f).toArray() as (string | null)[]])) as unknown as RawTable['columns'];
  return { file, layout: raw.layout, encoding: raw.encoding, columns, rowCount: raw.df.height, unreadable: raw.unreadable };
}

/** Reads and parses a file into a Danfo DataFrame (values parsed in JavaScript); unparseable rows go to `quarantine`. */
export function loadRetailDanfo(file: string): DanfoLoad {
  const raw = readRawForDanfo(file);
  const { columns, quarantine } = parseRawTable(raw);
  return {
    file,
    layout: raw.layout.id,
    encoding: raw.encoding,
    df: frameFromColumns(columns),
    rowsIn: raw.rowCount + raw.unreadable.length,
    quarantine,
  };
}

function values<T>(df: DataFrame, column: string): T[] {
  return df.column(column).values as T[];
}

function countTrue(series: Series): number {
  let n = 0;
  for (const v of series.values as unknown[]) if (v === true) n++;
  return n;
}

/** Keeps the rows where `mask` is false. Danfo needs resetIndex between queries. */
function dropWhere(df: DataFrame, mask: Series | boolean[]): DataFrame {
  if (df.shape[0] === 0) return df;
  const keep = (Array.isArray(mask) ? mask : (mask.values as boolean[])).map((v) => !v);
  const kept = df.query(keep);
  kept.resetIndex({ inplace: true });
  return kept;
}

/**
 * Keeps the first of each group of exact duplicate rows (all canonical
 * fields). Danfo has no frame-level dropDuplicates and its Series version is
 * quadratic, so the keys are compared in a Set and Danfo keeps the rows.
 */
export function dropExactDuplicatesDanfo(df: DataFrame): DataFrame {
  if (df.shape[0] === 0) return df;
  const columns = DUPLICATE_KEY.map((k) => values<unknown>(df, k));
  const seen = new Set<string>();
  const duplicate = new Array<boolean>(df.shape[0]);
  let any = false;
  for (let i = 0; i < duplicate.length; i++) {
    let key = '';
    for (const c of columns) key += `${c[i] === null ? '\u0000' : String(c[i])}\u001f`;
    duplicate[i] = seen.has(key);
    if (duplicate[i]) any = true;
    else seen.add(key);
  }
  return any ? dropWhere(df, duplicate) : df;
}

/** Adds totalPrice = quantity × unitPrice, rounded to cents. */
export function addTotalPriceDanfo(df: DataFrame): DataFrame {
  const q = values<number>(df, 'quantity');
  const p = values<number>(df, 'unitPrice');
  df.addColumn('totalPrice', q.map((qi, i) => totalPriceOf(qi, p[i]!)), { inplace: true });
  return df;
}

function nUnique(df: DataFrame, column: string): number {
  return df.shape[0] === 0 ? 0 : new Set(values<unknown>(df, column)).size;
}

export interface DanfoCleaning extends CleaningDetails {
  /** The cleaned rows as a Danfo DataFrame (row, canonical fields, totalPrice). */
  df: DataFrame;
}

/**
 * Cleans with Danfo, rule by rule. Pass a file, or what `loadRetailDanfo`
 * returned to show the same steps a notebook just displayed.
 */
export function cleanWithDanfo(input: string | DanfoLoad): DanfoCleaning {
  const load = typeof input === 'string' ? loadRetailDanfo(input) : input;
  let df = load.df;
  const rowsParsed = df.shape[0];
  const counts = {} as Record<(typeof DROP_RULES)[number]['reportField'], number>;
  for (const rule of DROP_RULES) counts[rule.reportField] = rowsParsed === 0 ? 0 : countTrue(rule.danfo(df));
  const steps: CleaningStep[] = [{ rule: QUARANTINE_STEP, removed: load.quarantine.length, remaining: rowsParsed }];
  for (const rule of DROP_RULES) {
    const before = df.shape[0];
    df = before === 0 ? df : dropWhere(df, rule.danfo(df));
    steps.push({ rule: rule.name, removed: before - df.shape[0], remaining: df.shape[0] });
  }
  steps.push({ rule: TRIM_STEP, removed: 0, remaining: df.shape[0] });
  const beforeDedup = df.shape[0];
  df = dropExactDuplicatesDanfo(df);
  const duplicates = beforeDedup - df.shape[0];
  steps.push({ rule: DUPLICATE_STEP, removed: duplicates, remaining: df.shape[0] });
  if (df.shape[0] > 0) df = addTotalPriceDanfo(df);
  steps.push({ rule: TOTAL_PRICE_STEP, removed: 0, remaining: df.shape[0] });
  const report: CleaningReport = {
    rowsIn: load.rowsIn,
    rowsOut: df.shape[0],
    missingCustomer: counts.missingCustomer,
    cancellations: counts.cancellations,
    nonPositiveQuantity: counts.nonPositiveQuantity,
    nonPositivePrice: counts.nonPositivePrice,
    duplicates,
    quarantined: load.quarantine.length,
    invoices: nUnique(df, 'invoice'),
    customers: nUnique(df, 'customerId'),
    countries: nUnique(df, 'country'),
    revenue: df.shape[0] === 0 ? 0 : sumCents(values<number>(df, 'totalPrice')),
  };
  return { file: load.file, layout: load.layout, encoding: load.encoding, engine: 'danfo', report, steps, quarantine: load.quarantine, df };
}
