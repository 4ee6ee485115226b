/**
 * The Online Retail data set: readers for every layout people download,
 * cleaning as named rules (polars fast path, Danfo for notebooks), the seeded
 * generator and the resolution of "the data set" the lab uses.
 */
export type { RetailRow } from './retailRow';

// The data set the lab uses, and its cleaned rows.
export { resolveDataset, resolveDatasetFile, listDatasetFiles, generatedDatasetPath, loadRetailRows, streamRetailRows, rowShortfallNote } from './resolveDataset';
export type { ResolveOptions, ResolvedDataset, LoadRetailRowsOptions, RetailRowStream } from './resolveDataset';

// Cleaning, fast path (nodejs-polars).
export { cleanWithPolars, readRawPolars, parsePolars, cleanParsedPolars } from './polarsEngine';
export type { PolarsCleaning, PolarsRaw } from './polarsEngine';
export { loadCleanRows, toRetailRows, writeCleanRows, RETAIL_ROW_COLUMNS } from './cleanRows';

// Cleaning, notebook path (Danfo).
export { loadRetailDanfo, cleanWithDanfo, dropWhere } from './danfoLazy';
export type { DanfoLoad, DanfoCleaning } from './danfoEngine';

// The rules and the report.
export { DROP_RULES, dropMissingCustomer, dropCancellations, dropNonPositiveQuantity, dropNonPositivePrice, DUPLICATE_KEY } from './cleaningRules';
export type { DropRule } from './cleaningRules';
export { CLEANING_REPORT_FIELDS, pickReport } from './cleaningReport';
export type { CleaningReport, CleaningDetails, CleaningStep } from './cleaningReport';
export type { QuarantinedRow } from './quarantine';

// Layouts and readers.
export { LAYOUT_FAMILIES, RAW_FIELDS, detectFamily } from './layouts';
export type { LayoutId, LayoutFamily, DetectedLayout } from './layouts';
export { readRawTable, splitCsvRecords } from './rawTable';
export type { RawTable } from './rawTable';
export { prepareCsv, decodeToUtf8 } from './csvSource';
export type { SourceEncoding } from './csvSource';
export { parseRawTable } from './parseRows';
export { parseInvoiceDate, parseQuantity, parseNumber, parseCustomerId, isCancellationInvoice, excelSerialToText, totalPriceOf } from './valueParsing';

// The generated default.
export { generateRetailCsv, writeGeneratedDataset, DEFAULT_GENERATED_ROWS, DEFAULT_SEED, GENERATED_HEADER } from './generator';
export type { GenerateOptions } from './generator';
