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
  /**
   * The whole text as UTF-8, header included, without a BOM and without a
   * truncated last line; undefined when the file on disk is already that.
   */
  body?: Buffer;
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

const CHUNK = 4 * 1024 * 1024;

/** Where the complete UTF-8 sequences of `buf[0, end)` end (an incomplete last sequence is left out). */
function completeSequencesEnd(buf: Buffer, end: number): number {
  let i = end - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && (buf[i]! & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return end;
  const lead = buf[i]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return end - i >= need ? end : i;
}

/** Whether a file is valid UTF-8, read in 4 MB chunks (the whole file never sits in memory). */
export function isFileUtf8(fd: number, size: number): boolean {
  const buf = Buffer.alloc(CHUNK + 4);
  let carried = 0;
  for (let position = 0; position < size; ) {
    const read = fs.readSync(fd, buf, carried, CHUNK, position);
    if (read === 0) break;
    position += read;
    const end = carried + read;
    const cut = position >= size ? end : completeSequencesEnd(buf, end);
    if (!isUtf8(buf.subarray(0, cut))) return false;
    buf.copy(buf, 0, cut, end);
    carried = end - cut;
  }
  return carried === 0;
}

function readRange(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const read = fs.readSync(fd, buf, 0, length, position);
  return buf.subarray(0, read);
}

/**
 * Reads a CSV download, checks it is not empty, detects its encoding and
 * layout from the header, and sets aside a last line cut off mid-row (a file
 * that ends without a newline in a row with too few fields or an open quote).
 * A plain UTF-8 file is only sampled (head, tail, a chunked UTF-8 check): the
 * engines read it from disk. Otherwise `body` holds the repaired UTF-8 text.
 */
export function prepareCsv(file: string): PreparedCsv {
  const fd = fs.openSync(file, 'r');
  let plain: boolean;
  let head: Buffer;
  let tail: Buffer;
  const size = fs.fstatSync(fd).size;
  try {
    head = readRange(fd, 0, Math.min(size, 65536));
    tail = readRange(fd, Math.max(0, size - 65536), Math.min(size, 65536));
    plain = !head.subarray(0, 3).equals(BOM) && isFileUtf8(fd, size);
  } finally {
    fs.closeSync(fd);
  }
  let decoded: Buffer | undefined;
  let encoding: SourceEncoding = 'utf-8';
  if (!plain) {
    const result = decodeToUtf8(fs.readFileSync(file));
    decoded = result.body;
    encoding = result.encoding;
    head = decoded.subarray(0, 65536);
    tail = decoded.subarray(Math.max(0, decoded.length - 65536));
  }
  if (head.toString('utf8', 0, Math.min(head.length, 4096)).trim() === '') {
    throw new LabError(
      'DATASET_INVALID',
      `${file} is empty. Expected a header line such as InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country followed by data rows.`,
    );
  }
  let header: string[];
  try {
    header = (parseLoose(firstLines(head, 1))[0] ?? []).map((h) => h.trim());
  } catch (error) {
    throw new LabError(
      'DATASET_INVALID',
      `${file}: cannot read its header line (${(error as Error).message}). Expected a CSV header such as InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country.`,
      { cause: error },
    );
  }
  const family = detectFamily(header, file);

  let truncatedTail: PreparedCsv['truncatedTail'];
  const totalLength = decoded ? decoded.length : size;
  if (tail[tail.length - 1] !== 0x0a) {
    const lastNewline = tail.lastIndexOf(0x0a);
    const tailStart = totalLength - tail.length;
    if (lastNewline >= 0 && tailStart + lastNewline > 0) {
      const text = tail.toString('utf8', lastNewline + 1).replace(/\r$/, '');
      const { fields, unclosedQuote } = countFields(text);
      if (unclosedQuote || fields < header.length) {
        decoded = (decoded ?? fs.readFileSync(file)).subarray(0, tailStart + lastNewline + 1);
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
    sample = parseLoose(firstLines(decoded ? decoded.subarray(0, 65536) : head, 2));
  } catch {
    sample = [header]; // the first row is unreadable; the engines quarantine or report it
  }
  if (sample.length < 2 && !truncatedTail) {
    throw new LabError(
      'DATASET_INVALID',
      `${file} has a header but no data rows. Download the full data set, or delete the file to use the generated default.`,
    );
  }
  const firstDate = sample[1]?.[family.indexes.invoiceDate];
  const layout: DetectedLayout = { id: layoutIdOf(family.family, 'csv', firstDate), ...family };
  return { file, encoding, header, layout, body: decoded, truncatedTail };
}

/** The UTF-8 text of a prepared CSV, header included (read from disk when it needed no repair). */
export function csvBody(prepared: PreparedCsv): Buffer {
  return prepared.body ?? fs.readFileSync(prepared.file);
}
