import pl from 'nodejs-polars';
import { prepareCsv } from './csvSource';
import { assertReadable, fileTypeOf } from './rawTable';
import { readXlsxRaw } from './xlsxSource';
import { RAW_FIELDS, type DetectedLayout } from './layouts';
import type { SourceEncoding } from './csvSource';
import { ROW_CHECKS, checkMessage, type QuarantinedRow } from './quarantine';
import { CANONICAL_SPACE_DATE, CUSTOMER_ID_PATTERN, ISO_DATE_INPUT, MDY_DATE_INPUT, NUMBER_PATTERN, VALID_CANONICAL_DATE } from './valueParsing';
import { DROP_RULES, DUPLICATE_KEY, DUPLICATE_STEP, QUARANTINE_STEP, TOTAL_PRICE_STEP, TRIM_STEP } from './cleaningRules';
import type { CleaningDetails, CleaningReport, CleaningStep } from './cleaningReport';

/** A file's rows as polars text columns: `row` (1-based) and the eight canonical fields. */
export interface PolarsRaw {
  file: string;
  layout: DetectedLayout;
  encoding: SourceEncoding;
  df: pl.DataFrame;
  unreadable: QuarantinedRow[];
}

/** Reads a file into polars text columns. CSV goes through polars' own reader (the fast path). */
export function readRawPolars(file: string): PolarsRaw {
  assertReadable(file);
  if (fileTypeOf(file) === 'xlsx') {
    const raw = readXlsxRaw(file);
    const data: Record<string, unknown[]> = { row: Array.from({ length: raw.rowCount }, (_, i) => i + 1) };
    for (const f of RAW_FIELDS) data[f] = raw.columns[f];
    const df = pl.DataFrame(data, { schema: { row: pl.Int32, ...Object.fromEntries(RAW_FIELDS.map((f) => [f, pl.Utf8])) } } as never);
    return { file, layout: raw.layout, encoding: raw.encoding, df, unreadable: raw.unreadable };
  }
  const prepared = prepareCsv(file);
  const all = pl.readCSV(prepared.body ?? file, {
    hasHeader: true,
    inferSchemaLength: 0,
    truncateRaggedLines: true,
    rowIndexName: '__row',
    rowIndexOffset: 1,
  });
  const names = all.columns;
  let df = all.select(
    pl.col('__row').cast(pl.Int32).alias('row'),
    ...RAW_FIELDS.map((f) => pl.col(names[prepared.layout.indexes[f] + 1]!).alias(f)),
  );
  // A blank line (every field empty; polars keeps a CRLF blank line as a row) is
  // skipped and not counted, as the JavaScript splitter does; rows are renumbered.
  const blank = RAW_FIELDS.map((f) => pl.col(f).isNull()).reduce((a, b) => a.and(b));
  if (df.filter(blank).height > 0) {
    df = df.filter(blank.not());
    df = df.withColumn(pl.Series('row', Array.from({ length: df.height }, (_, i) => i + 1), pl.Int32));
  }
  const unreadable = prepared.truncatedTail ? [{ row: df.height + 1, reason: prepared.truncatedTail.reason }] : [];
  return { file, layout: prepared.layout, encoding: prepared.encoding, df, unreadable };
}

/** A trimmed text column with '' as null. */
function text(field: string): pl.Expr {
  const t = pl.col(field).str.strip();
  return pl.when(t.eq(pl.lit(''))).then(pl.lit(null)).otherwise(t);
}

/** Pads a regex group to two digits ('00' when the optional group is absent). */
function group2(t: pl.Expr, pattern: string, index: number): pl.Expr {
  return t.str.extract(pattern, index).fillNull(pl.lit('00')).str.padStart(2, '0');
}

/**
 * The canonical date text, or null when the value is not a valid date: the
 * same patterns as `parseInvoiceDate`. When every date already has the common
 * `2010-12-01 08:26:00` form, the costly general rewrite is skipped.
 */
function canonicalDate(rawDf: pl.DataFrame): pl.Expr {
  const t = pl.col('invoiceDate');
  const trimmed = text('invoiceDate');
  const onlyCommonForm = rawDf.filter(trimmed.isNotNull().and(trimmed.str.contains(CANONICAL_SPACE_DATE).not())).height === 0;
  let canonical: pl.Expr;
  if (onlyCommonForm) {
    canonical = t.str.replace(' ', 'T', true);
  } else {
    const iso = pl.concatString([t.str.extract(ISO_DATE_INPUT, 1), pl.lit('-'), group2(t, ISO_DATE_INPUT, 2), pl.lit('-'), group2(t, ISO_DATE_INPUT, 3), pl.lit('T'), group2(t, ISO_DATE_INPUT, 4), pl.lit(':'), t.str.extract(ISO_DATE_INPUT, 5), pl.lit(':'), group2(t, ISO_DATE_INPUT, 6)], '');
    const mdy = pl.concatString([t.str.extract(MDY_DATE_INPUT, 3), pl.lit('-'), group2(t, MDY_DATE_INPUT, 1), pl.lit('-'), group2(t, MDY_DATE_INPUT, 2), pl.lit('T'), group2(t, MDY_DATE_INPUT, 4), pl.lit(':'), t.str.extract(MDY_DATE_INPUT, 5), pl.lit(':'), group2(t, MDY_DATE_INPUT, 6)], '');
    canonical = pl.when(t.str.contains(ISO_DATE_INPUT)).then(iso).when(t.str.contains(MDY_DATE_INPUT)).then(mdy).otherwise(pl.lit(null));
  }
  return pl.when(canonical.str.contains(VALID_CANONICAL_DATE)).then(canonical).otherwise(pl.lit(null));
}

/**
 * Parses text columns into typed ones and splits off the rows that fail a
 * check (quarantine), with the same checks and words as `parseRawTable`.
 */
export function parsePolars(raw: PolarsRaw): { parsed: pl.DataFrame; quarantine: QuarantinedRow[] } {
  const { parsed, quarantine } = parseLazy(raw);
  return { parsed: parsed.collectSync(), quarantine };
}

/**
 * `parsePolars` without collecting the parsed rows.
 */
function parseLazy(raw: PolarsRaw): { parsed: pl.LazyDataFrame; quarantine: QuarantinedRow[] } {
  const names = raw.layout.family.columns;
  // Trimming copies a column; most columns of a real file need none, so only those with padded or empty values are trimmed.
  const needsTrim = raw.df.select(...RAW_FIELDS.map((f) => pl.col(f).str.contains('^\\s|\\s$|^$').any().alias(f))).toRecords()[0] as Record<string, boolean | null>;
  const trimmed = raw.df.lazy().select(pl.col('row'), ...RAW_FIELDS.map((f) => (needsTrim[f] ? text(f) : pl.col(f)).alias(f)));
  const quantityNum = pl.when(pl.col('quantity').str.contains(NUMBER_PATTERN)).then(pl.col('quantity').cast(pl.Float64, false)).otherwise(pl.lit(null));
  const priceNum = pl.when(pl.col('unitPrice').str.contains(NUMBER_PATTERN)).then(pl.col('unitPrice').cast(pl.Float64, false)).otherwise(pl.lit(null));
  const typed = trimmed.withColumns(
    pl.when(quantityNum.isFinite().and(quantityNum.eq(quantityNum.floor()))).then(quantityNum).otherwise(pl.lit(null)).alias('_quantity'),
    pl.when(priceNum.isFinite()).then(priceNum).otherwise(pl.lit(null)).alias('_unitPrice'),
    canonicalDate(raw.df).alias('_invoiceDate'),
    pl.col('customerId').str.extract(CUSTOMER_ID_PATTERN, 1).alias('_customerId'),
  );
  const failed = (check: (typeof ROW_CHECKS)[number]): pl.Expr => {
    switch (check.kind) {
      case 'required': return pl.col(check.field).isNull();
      case 'integer': return pl.col('_quantity').isNull();
      case 'date': return pl.col('_invoiceDate').isNull();
      case 'number': return pl.col('_unitPrice').isNull();
      case 'customerId': return pl.col('customerId').isNotNull().and(pl.col('_customerId').isNull());
    }
  };
  const message = (check: (typeof ROW_CHECKS)[number]): pl.Expr => {
    const { prefix, suffix } = checkMessage(check, names[check.field]);
    return check.kind === 'required' ? pl.lit(prefix) : pl.concatString([pl.lit(prefix), pl.col(check.field), pl.lit(suffix)], '');
  };
  const anyFailed = ROW_CHECKS.map(failed).reduce((a, b) => a.or(b));
  // Nothing big is materialised here: the quarantine query keeps only the
  // failing rows, and `parsed` stays lazy, so the caller's one query runs the
  // whole pipeline (a 541,909-row file then needs far less memory).
  let chain: any = pl.when(failed(ROW_CHECKS[0]!)).then(message(ROW_CHECKS[0]!));
  for (const check of ROW_CHECKS.slice(1)) chain = chain.when(failed(check)).then(message(check));
  const reasonsDf = typed.filter(anyFailed).select(pl.col('row'), (chain.otherwise(pl.lit(null)) as pl.Expr).alias('_reason')).collectSync();
  const rows = reasonsDf.getColumn('row').toArray() as number[];
  const reasons = reasonsDf.getColumn('_reason').toArray() as string[];
  const quarantine: QuarantinedRow[] = rows.map((row, i) => ({ row, reason: reasons[i]! }));
  for (const u of raw.unreadable) quarantine.push(u);

  const parsed = (rows.length === 0 ? typed : typed.filter(anyFailed.not())).select(
    pl.col('row'),
    pl.col('invoice'),
    pl.col('stockCode'),
    pl.col('description').fillNull(pl.lit('')),
    pl.col('_quantity').cast(pl.Int32).alias('quantity'),
    pl.col('_invoiceDate').alias('invoiceDate'),
    pl.col('_unitPrice').alias('unitPrice'),
    pl.col('_customerId').alias('customerId'),
    pl.col('country'),
  );
  return { parsed, quarantine };
}

/** Applies the cleaning rules to parsed rows; returns the cleaned frame (with `totalPrice`) and the counts. */
export function cleanParsedPolars(parsedRows: pl.DataFrame | pl.LazyDataFrame, rowsIn: number, quarantined: number): { df: pl.DataFrame; report: CleaningReport; steps: CleaningStep[] } {
  const parsed = 'collectSync' in parsedRows ? parsedRows : parsedRows.lazy();
  // One pass for both kinds of count: each rule on its own, and what it removes in sequence.
  const countExprs: pl.Expr[] = [];
  let passedSoFar: pl.Expr | undefined;
  for (const rule of DROP_RULES) {
    countExprs.push(rule.polars().cast(pl.Int32).sum().alias(rule.reportField));
    const removedHere = passedSoFar ? passedSoFar.and(rule.polars()) : rule.polars();
    countExprs.push(removedHere.cast(pl.Int32).sum().alias(`step:${rule.name}`));
    passedSoFar = passedSoFar ? passedSoFar.and(rule.polars().not()) : rule.polars().not();
  }
  const counted = parsed.select(pl.len().alias('rows'), ...countExprs).collectSync().toRecords()[0] as Record<string, number | null>;
  const counts = Object.fromEntries(Object.entries(counted).map(([k, v]) => [k, Number(v ?? 0)]));
  const rowsParsed = counts.rows ?? 0;
  const steps: CleaningStep[] = [{ rule: QUARANTINE_STEP, removed: quarantined, remaining: rowsParsed }];
  let remaining = rowsParsed;
  for (const rule of DROP_RULES) {
    const removed = counts[`step:${rule.name}`] ?? 0;
    remaining -= removed;
    steps.push({ rule: rule.name, removed, remaining });
  }
  steps.push({ rule: TRIM_STEP, removed: 0, remaining });
  const deduped = parsed.filter(passedSoFar!).unique({ subset: [...DUPLICATE_KEY], keep: 'first', maintainOrder: true }).collectSync();
  const duplicates = remaining - deduped.height;
  steps.push({ rule: DUPLICATE_STEP, removed: duplicates, remaining: deduped.height });
  // (x*100).round()/100 like `totalPriceOf`; `.mul(100).round(0).div(100)` would differ in the last bit.
  const df = deduped.withColumn(pl.col('quantity').cast(pl.Float64).mul(pl.col('unitPrice')).round(2).alias('totalPrice'));
  steps.push({ rule: TOTAL_PRICE_STEP, removed: 0, remaining: df.height });
  const summary = (df.height === 0 ? {} : df.select(
    pl.col('invoice').nUnique().alias('invoices'),
    pl.col('customerId').nUnique().alias('customers'),
    pl.col('country').nUnique().alias('countries'),
    pl.col('totalPrice').mul(100).round(0).cast(pl.Int64).sum().alias('cents'),
  ).toRecords()[0]) as Record<string, number | bigint>;

  const report: CleaningReport = {
    rowsIn,
    rowsOut: df.height,
    missingCustomer: counts.missingCustomer ?? 0,
    cancellations: counts.cancellations ?? 0,
    nonPositiveQuantity: counts.nonPositiveQuantity ?? 0,
    nonPositivePrice: counts.nonPositivePrice ?? 0,
    duplicates,
    quarantined,
    invoices: Number(summary.invoices ?? 0),
    customers: Number(summary.customers ?? 0),
    countries: Number(summary.countries ?? 0),
    revenue: Number(summary.cents ?? 0) / 100,
  };
  return { df, report, steps };
}

export interface PolarsCleaning extends CleaningDetails {
  /** The cleaned rows: row, the canonical fields and totalPrice. */
  df: pl.DataFrame;
}

/** Loads and cleans a file on the fast path. */
export function cleanWithPolars(file: string): PolarsCleaning {
  const raw = readRawPolars(file);
  const { parsed, quarantine } = parseLazy(raw);
  const rowsIn = raw.df.height + raw.unreadable.length;
  const { df, report, steps } = cleanParsedPolars(parsed, rowsIn, quarantine.length);
  return { file, layout: raw.layout.id, encoding: raw.encoding, engine: 'polars', report, steps, quarantine, df };
}
