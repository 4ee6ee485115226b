import path from 'node:path';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { LabError } from '../errors';
import { RAW_FIELDS, type DetectedLayout, type RawField } from './layouts';
import { prepareCsv, type PreparedCsv, type SourceEncoding } from './csvSource';
import { readXlsxRaw } from './xlsxSource';

/**
 * A file's rows as text, one array per canonical field, before any value is
 * parsed. `null` is an empty or absent field.
 */
export interface RawTable {
  file: string;
  layout: DetectedLayout;
  encoding: SourceEncoding;
  columns: Record<RawField, (string | null)[]>;
  rowCount: number;
  /** Rows that could not even be split into fields (a truncated last line). */
  unreadable: { row: number; reason: string }[];
}

export type FileType = 'csv' | 'xlsx';

/** csv (also .txt) or xlsx, from the file's extension. */
export function fileTypeOf(file: string): FileType {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm' || ext === '.xls') return 'xlsx';
  if (ext === '.csv' || ext === '.txt' || ext === '') return 'csv';
  throw new LabError('DATASET_INVALID', `${file}: cannot read files of type ${ext}. Give a .csv or .xlsx Online Retail download.`);
}

/** Throws a clear error when the input file does not exist. */
export function assertReadable(file: string): void {
  if (!fs.existsSync(file)) {
    throw new LabError('DATASET_INVALID', `Data file ${file} does not exist. Check the path, or run \`npx kafka-lab dataset generate --out ${file}\` to make one.`);
  }
  if (fs.statSync(file).isDirectory()) {
    throw new LabError('DATASET_INVALID', `${file} is a folder. Give the path of a .csv or .xlsx file.`);
  }
}

function emptyColumns(): Record<RawField, (string | null)[]> {
  return Object.fromEntries(RAW_FIELDS.map((f) => [f, [] as (string | null)[]])) as unknown as Record<RawField, (string | null)[]>;
}

/** Splits a prepared CSV with csv-parse (the JavaScript path, used by the Danfo engine). */
export function rawTableFromCsv(prepared: PreparedCsv): RawTable {
  const records = parse(prepared.body, {
    relax_column_count: true,
    skip_empty_lines: true,
    from_line: 2,
  }) as string[][];
  const columns = emptyColumns();
  const { indexes } = prepared.layout;
  for (const field of RAW_FIELDS) {
    const at = indexes[field];
    const out = columns[field];
    for (let i = 0; i < records.length; i++) {
      const value = records[i]![at];
      out.push(value === undefined || value === '' ? null : value);
    }
  }
  const unreadable = prepared.truncatedTail ? [{ row: records.length + 1, reason: prepared.truncatedTail.reason }] : [];
  return {
    file: prepared.file,
    layout: prepared.layout,
    encoding: prepared.encoding,
    columns,
    rowCount: records.length,
    unreadable,
  };
}

/** Reads any supported file into a RawTable with the JavaScript readers (csv-parse, SheetJS). */
export function readRawTable(file: string): RawTable {
  assertReadable(file);
  return fileTypeOf(file) === 'xlsx' ? readXlsxRaw(file) : rawTableFromCsv(prepareCsv(file));
}
