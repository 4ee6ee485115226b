import { displayBundle } from './kernel';
import { escapeHtml, formatCell, formatNumber } from './format';
import type { FrameLike, MimeBundle } from './types';

/**
 * Tables as HTML (and aligned text) with a row limit, from a Danfo DataFrame or
 * Series, or from plain records.
 */

export interface TableOptions {
  /** Rows shown; the rest are counted in a footer. Default 10. */
  maxRows?: number;
  /** A caption above the table. */
  caption?: string;
  /** Only these columns, in this order. */
  columns?: string[];
}

export interface TableData {
  columns: string[];
  rows: unknown[][];
  totalRows: number;
}

function isFrameLike(value: unknown): value is FrameLike {
  return Boolean(
    value &&
      typeof value === 'object' &&
      Array.isArray((value as FrameLike).columns) &&
      Array.isArray((value as FrameLike).values),
  );
}

/** Normalises a Danfo frame/series or an array of records to columns and rows. */
export function tableData(source: FrameLike | readonly object[], options: TableOptions = {}): TableData {
  const maxRows = options.maxRows ?? 10;
  let columns: string[];
  let rows: unknown[][];
  let totalRows: number;
  if (isFrameLike(source)) {
    const values = source.values as unknown[];
    const twoD = values.length > 0 && Array.isArray(values[0]);
    columns = twoD ? [...source.columns] : [source.columns[0] ?? 'value'];
    totalRows = values.length;
    rows = values.slice(0, maxRows).map((row) => (twoD ? [...(row as unknown[])] : [row]));
  } else {
    const records = source as readonly Record<string, unknown>[];
    const seen = new Set<string>();
    for (const record of records.slice(0, Math.max(maxRows, 1))) for (const key of Object.keys(record)) seen.add(key);
    columns = [...seen];
    totalRows = records.length;
    rows = records.slice(0, maxRows).map((record) => columns.map((column) => record[column]));
  }
  if (options.columns) {
    const indexes = options.columns.map((column) => columns.indexOf(column));
    const missing = options.columns.filter((_, i) => indexes[i] < 0);
    if (missing.length)
      throw new Error(`Unknown table column(s): ${missing.join(', ')}. Available: ${columns.join(', ')}.`);
    rows = rows.map((row) => indexes.map((i) => row[i]));
    columns = [...options.columns];
  }
  return { columns, rows, totalRows };
}

function footer(table: TableData): string {
  return table.totalRows > table.rows.length
    ? `${formatNumber(table.rows.length)} of ${formatNumber(table.totalRows)} rows`
    : `${formatNumber(table.totalRows)} row${table.totalRows === 1 ? '' : 's'}`;
}

/** The HTML of a table (pure). */
export function tableHtml(table: TableData, caption?: string): string {
  const head = table.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('');
  const body = table.rows
    .map(
      (row) =>
        `<tr>${row.map((cell) => `<td${typeof cell === 'number' ? ' style="text-align:right"' : ''}>${escapeHtml(formatCell(cell))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return (
    `<div class="kafka-lab-table">` +
    (caption ? `<p><strong>${escapeHtml(caption)}</strong></p>` : '') +
    `<table class="dataframe"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>` +
    `<p style="font-size:smaller;color:#666">${footer(table)}</p></div>`
  );
}

/** The aligned-text version of a table (pure). */
export function tableText(table: TableData, caption?: string): string {
  const cells = [table.columns, ...table.rows.map((row) => row.map(formatCell))];
  const widths = table.columns.map((_, i) =>
    Math.min(40, Math.max(...cells.map((row) => String(row[i] ?? '').length))),
  );
  const line = (row: unknown[]) =>
    row
      .map((cell, i) =>
        String(cell ?? '')
          .slice(0, 40)
          .padEnd(widths[i]),
      )
      .join('  ')
      .trimEnd();
  return [caption, line(cells[0]), ...cells.slice(1).map(line), `(${footer(table)})`]
    .filter((part) => part !== undefined)
    .join('\n');
}

/** The MIME bundle of a table (pure). */
export function tableBundle(source: FrameLike | readonly object[], options: TableOptions = {}): MimeBundle {
  const table = tableData(source, options);
  return { 'text/html': tableHtml(table, options.caption), 'text/plain': tableText(table, options.caption) };
}

/** Shows a Danfo DataFrame/Series or an array of records as a table with a row limit. */
export function showTable(source: FrameLike | readonly object[], options: TableOptions = {}): void {
  displayBundle(tableBundle(source, options));
}
