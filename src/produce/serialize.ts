import pl from 'nodejs-polars';
import type { KeyStrategy } from '../options';
import { keyFieldOf, keyOf } from './keyStrategy';

/**
 * Rows -> message values and keys, a chunk at a time: every value of a chunk
 * lives in one Buffer (one native allocation), and each message is a zero-copy
 * `subarray` of it. Values are `{"seq":n,...row}`, byte for byte what
 * `JSON.stringify({ seq: n, ...row })` gives, whichever path made them.
 */
export interface MessageChunk {
  /** Sequence number of the first row (the rows' place in the stream). */
  firstSeq: number;
  values: Buffer[];
  /** null: no key (empty field, or strategy 'none'). */
  keys: Array<string | null>;
}

const NEWLINE = 10;

/** Cuts a buffer of newline-separated JSON values into zero-copy slices (JSON text never holds a raw newline). */
export function splitLines(buffer: Buffer, expected: number): Buffer[] {
  const out = new Array<Buffer>(expected);
  let start = 0;
  let n = 0;
  while (start < buffer.length) {
    let end = buffer.indexOf(NEWLINE, start);
    if (end < 0) end = buffer.length;
    out[n++] = buffer.subarray(start, end);
    start = end + 1;
  }
  out.length = n;
  return out;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * `JSON.stringify({ seq, ...row })`, without building the merged object for
 * every row: the row's own JSON with `"seq":n` put in front. Rows for which the
 * two could differ (a "seq" or integer-like key of their own, a toJSON, not a
 * plain object, no keys) take the spread.
 */
export function jsonValue(seq: number, row: Record<string, unknown>): string {
  const json = JSON.stringify(row);
  if (
    typeof json === 'string' &&
    json.length > 2 &&
    json.charCodeAt(0) === 123 /* { */ &&
    !(json.charCodeAt(2) >= 48 && json.charCodeAt(2) <= 57) /* first key not a digit */ &&
    !hasOwn.call(row, 'seq') &&
    typeof (row as { toJSON?: unknown }).toJSON !== 'function'
  ) {
    return `{"seq":${seq},${json.slice(1)}`;
  }
  return JSON.stringify({ seq, ...row });
}

/** Row objects -> one chunk: each row's JSON, joined and encoded once, then sliced. */
export function encodeObjects(rows: readonly object[], firstSeq: number, strategy: KeyStrategy): MessageChunk {
  const keyFor = keyOf(strategy);
  const texts = new Array<string>(rows.length);
  const keys = new Array<string | null>(rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as Record<string, unknown>;
    texts[i] = jsonValue(firstSeq + i, row);
    keys[i] = keyFor(row);
  }
  return { firstSeq, values: splitLines(Buffer.from(texts.join('\n')), rows.length), keys };
}

/** The cleaned data set's columns and types: the frames polars can serialise byte for byte as the object path does. */
const FRAME_SCHEMA: Record<string, 'text' | 'int' | 'float'> = {
  invoice: 'text',
  stockCode: 'text',
  description: 'text',
  quantity: 'int',
  invoiceDate: 'text',
  unitPrice: 'float',
  customerId: 'text',
  country: 'text',
  totalPrice: 'float',
};
const FLOAT_FIELDS = Object.keys(FRAME_SCHEMA).filter((name) => FRAME_SCHEMA[name] === 'float');
/**
 * Polars writes a whole float as `22.0`, JavaScript as `22`. A float field's
 * name with an unescaped quote before it cannot occur inside a JSON string
 * (quotes in strings are escaped), so this finds only real values.
 */
const WHOLE_FLOAT = new RegExp(`("(?:${FLOAT_FIELDS.join('|')})":-?\\d+)\\.0(?=[,}])`, 'g');

/** True when the frame has exactly the cleaned row's columns, in order, with the expected types. */
export function isRetailFrame(df: pl.DataFrame): boolean {
  const names = df.columns;
  const wanted = Object.keys(FRAME_SCHEMA);
  if (names.length !== wanted.length || names.some((name, i) => name !== wanted[i])) return false;
  const types = df.dtypes;
  return wanted.every((name, i) => {
    const type = String(types[i]).replace(/^DataType\((.*)\)$/, '$1');
    const kind = FRAME_SCHEMA[name];
    if (kind === 'text') return type === 'Utf8' || type === 'String' || type === 'Categorical';
    if (kind === 'int') return /^U?Int(8|16|32|64)$/.test(type);
    return type === 'Float64';
  });
}

/**
 * A frame of cleaned rows -> one chunk, serialised by polars in one call
 * (NDJSON with the sequence number as the first column), sliced per line.
 * No row object and no per-row JSON.stringify.
 */
export function encodeFrame(df: pl.DataFrame, firstSeq: number, strategy: KeyStrategy): MessageChunk {
  const withSeq = df.withRowIndex('seq', firstSeq);
  let text = (withSeq.writeJSON({ format: 'lines' }) as Buffer).toString('utf8');
  text = text.replace(WHOLE_FLOAT, '$1');
  const values = splitLines(Buffer.from(text), df.height);
  const field = keyFieldOf(strategy);
  const keys: Array<string | null> =
    field === null
      ? new Array<string | null>(df.height).fill(null)
      : (df.getColumn(field).cast(pl.Utf8).toArray() as Array<string | null>).map((key) =>
          key === null || key === '' ? null : key,
        );
  return { firstSeq, values, keys };
}
