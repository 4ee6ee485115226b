// Dates in these tests must not depend on the machine's zone: pin an awkward one
// (UTC−3:30) so that any accidental use of local time shows up as a shifted date.
process.env.TZ = 'America/St_Johns';

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { parse } from 'csv-parse/sync';
import { SAMPLE_FILE } from '../../support/sample';

/** The shared real sample: tests skip without it, and fail under CI=true (tests/support/requirements.ts). */
export { SAMPLE_FILE };
export const hasSample = fs.existsSync(SAMPLE_FILE);

/** The report `dataset clean --json` must print for the sample (issue 3). */
export const SAMPLE_REPORT = {
  rowsIn: 39641,
  rowsOut: 24723,
  missingCustomer: 13783,
  cancellations: 684,
  nonPositiveQuantity: 753,
  nonPositivePrice: 202,
  duplicates: 485,
  quarantined: 0,
  invoices: 1342,
  customers: 860,
  countries: 22,
  revenue: 543962.28,
};

export const UCI_HEADER = [
  'InvoiceNo',
  'StockCode',
  'Description',
  'Quantity',
  'InvoiceDate',
  'UnitPrice',
  'CustomerID',
  'Country',
];
export const ORII_HEADER = [
  'Invoice',
  'StockCode',
  'Description',
  'Quantity',
  'InvoiceDate',
  'Price',
  'Customer ID',
  'Country',
];

/** A fresh temporary folder, removed after the test. */
export function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retail-dataset-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return `${rows.map((r) => r.map(csvField).join(',')).join('\n')}\n`;
}

/**
 * A handful of rows in the UCI-workbook CSV form that exercise every rule:
 * a good row, a duplicate of it, a missing customer, a cancellation, a
 * zero price, a negative quantity, a description with spaces and a comma.
 */
export const UCI_ROWS: string[][] = [
  [
    '536365',
    '85123A',
    'WHITE HANGING HEART T-LIGHT HOLDER',
    '6',
    '2010-12-01 08:26:00',
    '2.55',
    '17850.0',
    'United Kingdom',
  ],
  ['536365', '71053', 'WHITE METAL LANTERN ', '6', '2010-12-01 08:26:00', '3.39', '17850.0', 'United Kingdom'],
  ['536365', '71053', 'WHITE METAL LANTERN', '6', '2010-12-01 08:26:00', '3.39', '17850.0', 'United Kingdom'],
  ['536366', '22633', 'HAND WARMER UNION JACK', '6', '2010-12-01 08:28:00', '1.85', '', 'United Kingdom'],
  ['C536379', 'D', 'Discount', '-1', '2010-12-01 09:41:00', '27.5', '14527.0', 'United Kingdom'],
  ['536414', '22139', '', '56', '2010-12-01 11:52:00', '0.0', '', 'United Kingdom'],
  [
    '536367',
    '84879',
    'ASSORTED COLOUR BIRD ORNAMENT',
    '32',
    '2010-12-01 08:34:00',
    '1.69',
    '13047.0',
    'United Kingdom',
  ],
  ['536370', '22728', 'ALARM CLOCK BAKELIKE PINK', '24', '2010-12-01 08:45:00', '3.75', '12583.0', 'France'],
  ['536370', 'POST', 'POSTAGE', '3', '2010-12-01 08:45:00', '18.0', '12583.0', 'France'],
  [
    '536373',
    '21730',
    'GLASS STAR FROSTED T-LIGHT HOLDER',
    '-6',
    '2010-12-01 09:02:00',
    '4.25',
    '17850.0',
    'United Kingdom',
  ],
  [
    '536380',
    '22961',
    'JAM MAKING SET PRINTED, SMALL',
    '24',
    '2010-12-01 09:41:00',
    '1.45',
    '17809.0',
    'United Kingdom',
  ],
  [
    '536381',
    '22139',
    'RETROSPOT TEA SET CERAMIC 11 PC ',
    '1',
    '2010-12-01 09:41:00',
    '0.0',
    '15311.0',
    'United Kingdom',
  ],
];

/** What cleaning UCI_ROWS must give. */
export const UCI_ROWS_REPORT = {
  rowsIn: 12,
  rowsOut: 6,
  missingCustomer: 2,
  cancellations: 1,
  nonPositiveQuantity: 2,
  nonPositivePrice: 2,
  duplicates: 1,
  quarantined: 0,
  invoices: 4,
  customers: 4,
  countries: 2,
  // 15.30 + 20.34 + 54.08 + 90.00 + 54.00 + 34.80
  revenue: 268.52,
};

/** `2010-12-01 08:26:00` → `12/1/2010 8:26` (the Kaggle data.csv form). */
export function kaggleDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):\d{2}$/.exec(iso);
  if (!m) return iso;
  return `${Number(m[2])}/${Number(m[3])}/${m[1]} ${Number(m[4])}:${m[5]}`;
}

/** Rows in the UCI-workbook form → the Kaggle data.csv form (M/D/YYYY dates, integer customer ids). */
export function toKaggleRows(rows: readonly string[][]): string[][] {
  return rows.map((r) => [r[0]!, r[1]!, r[2]!, r[3]!, kaggleDate(r[4]!), r[5]!, r[6]!.replace(/\.0$/, ''), r[7]!]);
}

/** Writes the Kaggle layout as the download is: ISO-8859-1 bytes. */
export function writeKaggleCsv(file: string, rows: readonly string[][]): void {
  fs.writeFileSync(file, Buffer.from(toCsv([UCI_HEADER, ...toKaggleRows(rows)]), 'latin1'));
}

export function writeUciCsv(file: string, rows: readonly string[][]): void {
  fs.writeFileSync(file, toCsv([UCI_HEADER, ...rows]));
}

export function writeOnlineRetailIICsv(file: string, rows: readonly string[][]): void {
  fs.writeFileSync(file, toCsv([ORII_HEADER, ...rows]));
}

/** Excel's serial day number for `YYYY-MM-DD HH:MM:SS`, computed without any time zone. */
export function excelSerial(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(iso)!;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return ms / 86_400_000 + 25569;
}

/** One sheet as the workbooks hold it: numbers as numbers, dates as date-formatted serials, empty cells empty. */
function sheetOf(header: readonly string[], rows: readonly string[][]): XLSX.WorkSheet {
  const aoa: unknown[][] = [header.slice()];
  for (const r of rows) {
    const asNumber = (v: string): unknown => (v === '' ? null : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
    aoa.push([
      asNumber(r[0]!),
      asNumber(r[1]!),
      r[2] === '' ? null : r[2],
      Number(r[3]),
      excelSerial(r[4]!),
      Number(r[5]),
      r[6] === '' ? null : Number(r[6]),
      r[7],
    ]);
  }
  const sheet = XLSX.utils.aoa_to_sheet(aoa);
  for (let i = 1; i < aoa.length; i++) {
    const cell = sheet[XLSX.utils.encode_cell({ r: i, c: 4 })];
    if (cell) cell.z = 'yyyy-mm-dd hh:mm:ss';
  }
  return sheet;
}

/** Writes a workbook with one sheet per entry, e.g. Online Retail II's two years. */
export function writeWorkbook(
  file: string,
  header: readonly string[],
  sheets: Record<string, readonly string[][]>,
): void {
  const book = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) XLSX.utils.book_append_sheet(book, sheetOf(header, rows), name);
  XLSX.writeFile(book, file);
}

/** The sample's data rows (header dropped). */
export function readSampleRows(): string[][] {
  return (parse(fs.readFileSync(SAMPLE_FILE), { relax_column_count: true }) as string[][]).slice(1);
}
