import type * as XLSXTypes from '@e965/xlsx';
import fs from 'node:fs';
import { LabError } from '../errors';
import { detectFamily, layoutIdOf, RAW_FIELDS, type DetectedLayout, type RawField } from './layouts';
import { excelSerialToText } from './valueParsing';
import type { RawTable } from './rawTable';

function cellText(value: unknown, field: RawField, date1904: boolean): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    return field === 'invoiceDate' ? excelSerialToText(value, date1904) : String(value);
  }
  if (value instanceof Date) {
    // Only produced when a caller asks SheetJS for Date cells; read its UTC fields, never the local zone.
    const iso = value.toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  const text = String(value);
  return text === '' ? null : text;
}

/**
 * Reads an Online Retail workbook (the UCI `Online Retail.xlsx`, or Online
 * Retail II with its two sheets, Year 2009-2010 and Year 2010-2011). Every
 * non-empty sheet is read, in order, and must have the same layout.
 */
export function readXlsxRaw(file: string): RawTable {
  if (fs.statSync(file).size === 0) {
    throw new LabError('DATASET_INVALID', `${file} is empty. Expected an Online Retail .xlsx workbook.`);
  }
  // SheetJS loads on first use: CSV readers never pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const XLSX = require('@e965/xlsx') as typeof XLSXTypes;
  let workbook: XLSXTypes.WorkBook;
  try {
    workbook = XLSX.read(fs.readFileSync(file), { type: 'buffer', cellDates: false, dense: true });
  } catch (error) {
    throw new LabError(
      'DATASET_INVALID',
      `${file} is not a readable .xlsx workbook (${(error as Error).message}). Re-download it, or export it as CSV.`,
      { cause: error },
    );
  }
  const date1904 = Boolean(workbook.Workbook?.WBProps?.date1904);
  const columns = Object.fromEntries(RAW_FIELDS.map((f) => [f, [] as (string | null)[]])) as unknown as Record<
    RawField,
    (string | null)[]
  >;
  let layout: DetectedLayout | undefined;
  let sheetsRead = 0;
  for (const name of workbook.SheetNames) {
    const sheet = workbook.Sheets[name];
    if (!sheet) continue;
    const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: null, blankrows: false });
    if (rows.length === 0) continue;
    const header = (rows[0] ?? []).map((h) => (h === null || h === undefined ? '' : String(h).trim()));
    const family = detectFamily(header, `${file} (sheet "${name}")`);
    if (layout && layout.family.family !== family.family.family) {
      throw new LabError(
        'DATASET_INVALID',
        `${file}: sheet "${name}" has the ${family.family.family} layout but an earlier sheet has ${layout.family.family}. Keep one layout per workbook.`,
      );
    }
    layout ??= { id: layoutIdOf(family.family, 'xlsx', undefined), ...family };
    for (const field of RAW_FIELDS) {
      const at = family.indexes[field];
      const out = columns[field];
      for (let r = 1; r < rows.length; r++) out.push(cellText(rows[r]![at], field, date1904));
    }
    sheetsRead++;
  }
  if (!layout || sheetsRead === 0) {
    throw new LabError(
      'DATASET_INVALID',
      `${file} has no sheet with data. Expected an Online Retail workbook with a header row and data rows.`,
    );
  }
  const rowCount = columns.invoice.length;
  if (rowCount === 0) {
    throw new LabError(
      'DATASET_INVALID',
      `${file} has a header but no data rows. Download the full data set, or delete the file to use the generated default.`,
    );
  }
  return { file, layout, encoding: 'xlsx', columns, rowCount, unreadable: [] };
}
