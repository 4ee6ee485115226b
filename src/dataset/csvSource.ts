import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse/sync';
import { LabError } from '../errors';
import { detectFamily, layoutIdOf, type DetectedLayout } from './layouts';

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'iso-8859-1' | 'xlsx';

/** A CSV file made ready for either engine: UTF-8 without BOM, layout known, a truncated tail set aside. */
export interface PreparedCsv {
  file: string;
  encoding: SourceEncoding;
  header: string[];
  layout: DetectedLayout;
  /** The whole text as UTF-8, header included, without a BOM and without a truncated last line. */
  body: Buffer;
  /** The last line when the file was cut off in the middle of a row; it is quarantined, not parsed. */
  truncatedTail?: { text: string; fields: number; reason: string };
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Returns the bytes as UTF-8 and the encoding they came in. A UTF-8 BOM is
 * removed; bytes that are not valid UTF-8 are read as ISO-8859-1 (the Kaggle
 * data.csv), whose every byte is one character.
 */
export function decodeToUtf8(bytes: Buffer): { body: Buffer; encoding: SourceEncoding } {
  if (bytes.subarray(0, 3).equals(BOM)) return { body: bytes.subarray(3), encoding: 'utf-8-bom' };
  if (isUtf8(bytes)) return { body: bytes, encoding: 'utf-8' };
  return { body: Buffer.from(bytes.toString('latin1'), 'utf8'), encoding: 'iso-8859-1' };
}

/** The first `n` lines of a buffer, as text. */
function firstLines(body: Buffer, n: number): string {
  let end = 0;
  for (let i = 0; i < n; i++) {
    const next = body.indexOf(0x0a, end);
    if (next < 0) return body.toString('utf8');
    end = next + 1;
  }
  return body.subarray(0, end).toString('utf8');
}

function parseLoose(text: string): string[][] {
  return parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
}

function countFields(line: string): { fields: number; unclosedQuote: boolean } {
  try {
    const rows = parse(line, { relax_column_count: true, relax_quotes: true }) as string[][];
    return { fields: rows[0]?.length ?? 0, unclosedQuote: false };
  } catch {
    return { fields: line.split(',').length, unclosedQuote: true };
  }
}

/**
 * Reads a CSV download, checks it is not empty, detects its encoding and
 * layout from the header, and sets aside a last line cut off mid-row (a file
 * that ends without a newline in a row with too few fields or an open quote).
 */
export function prepareCsv(file: string): PreparedCsv {
  const bytes = fs.readFileSync(file);
  const { body: decoded, encoding } = decodeToUtf8(bytes);
  if (decoded.toString('utf8', 0, Math.min(decoded.length, 4096)).trim() === '') {
    throw new LabError('DATASET_INVALID', `${file} is empty. Expected a header line such as InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country followed by data rows.`);
  }
  let header: string[];
  try {
    header = (parseLoose(firstLines(decoded, 1))[0] ?? []).map((h) => h.trim());
  } catch (error) {
    throw new LabError('DATASET_INVALID', `${file}: cannot read its header line (${(error as Error).message}). Expected a CSV header such as InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country.`, { cause: error });
  }
  const family = detectFamily(header, file);

  let body = decoded;
  let truncatedTail: PreparedCsv['truncatedTail'];
  const endsWithNewline = body[body.length - 1] === 0x0a;
  if (!endsWithNewline) {
    const lastNewline = body.lastIndexOf(0x0a);
    if (lastNewline > 0) {
      const text = body.toString('utf8', lastNewline + 1).replace(/\r$/, '');
      const { fields, unclosedQuote } = countFields(text);
      if (unclosedQuote || fields < header.length) {
        body = body.subarray(0, lastNewline + 1);
        truncatedTail = {
          text,
          fields,
          reason: unclosedQuote
            ? 'the last line ends inside a quoted field: the file looks truncated'
            : `the last line has ${fields} of ${header.length} fields: the file looks truncated`,
        };
      }
    }
  }

  let sample: string[][];
  try {
    sample = parseLoose(firstLines(body, 2));
  } catch {
    sample = [header]; // the first row is unreadable; the engines quarantine or report it
  }
  if (sample.length < 2 && !truncatedTail) {
    throw new LabError('DATASET_INVALID', `${file} has a header but no data rows. Download the full data set, or delete the file to use the generated default.`);
  }
  const firstDate = sample[1]?.[family.indexes.invoiceDate];
  const layout: DetectedLayout = { id: layoutIdOf(family.family, 'csv', firstDate), ...family };
  return { file, encoding, header, layout, body, truncatedTail };
}
