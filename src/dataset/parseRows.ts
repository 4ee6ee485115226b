import type { RawTable } from './rawTable';
import { ROW_CHECKS, checkMessage, type QuarantinedRow } from './quarantine';
import { RAW_FIELDS, type RawField } from './layouts';
import { parseCustomerId, parseInvoiceDate, parseNumber, parseQuantity, trimmedText } from './valueParsing';

/** Parsed, not yet cleaned rows, column by column (the input of the cleaning rules). */
export interface ParsedColumns {
  row: number[];
  invoice: string[];
  stockCode: string[];
  /** Trimmed; an empty description is ''. */
  description: string[];
  quantity: number[];
  invoiceDate: string[];
  unitPrice: number[];
  /** null when the row has no customer id. */
  customerId: (string | null)[];
  country: string[];
}

export interface ParsedTable {
  columns: ParsedColumns;
  quarantine: QuarantinedRow[];
}

/** `parse` with its answers remembered per input text. */
function memoized<T>(parse: (text: string) => T): (text: string) => T {
  const answers = new Map<string, T>();
  return (text) => {
    if (answers.has(text)) return answers.get(text) as T;
    const answer = parse(text);
    answers.set(text, answer);
    return answer;
  };
}

/**
 * Parses a raw table value by value (the JavaScript path). Rows that fail a
 * check go to the quarantine with the reason of the first failed check.
 */
export function parseRawTable(raw: RawTable): ParsedTable {
  const c: ParsedColumns = {
    row: [],
    invoice: [],
    stockCode: [],
    description: [],
    quantity: [],
    invoiceDate: [],
    unitPrice: [],
    customerId: [],
    country: [],
  };
  const quarantine: QuarantinedRow[] = [];
  const names = raw.layout.family.columns;
  const values = {} as Record<RawField, string | null>;
  // The data repeats its values (23,000 distinct dates in 541,909 rows): each distinct text is parsed once.
  const quantities = memoized(parseQuantity);
  const dates = memoized(parseInvoiceDate);
  const prices = memoized(parseNumber);
  const customers = memoized(parseCustomerId);
  for (let i = 0; i < raw.rowCount; i++) {
    for (const f of RAW_FIELDS) values[f] = trimmedText(raw.columns[f][i]);
    const quantity = values.quantity === null ? undefined : quantities(values.quantity);
    const date = values.invoiceDate === null ? undefined : dates(values.invoiceDate);
    const price = values.unitPrice === null ? undefined : prices(values.unitPrice);
    const customer = values.customerId === null ? null : customers(values.customerId);
    let reason: string | undefined;
    for (const check of ROW_CHECKS) {
      const v = values[check.field];
      const failed =
        check.kind === 'required'
          ? v === null
          : check.kind === 'integer'
            ? quantity === undefined
            : check.kind === 'date'
              ? date === undefined
              : check.kind === 'number'
                ? price === undefined
                : customer === undefined;
      if (failed) {
        const { prefix, suffix } = checkMessage(check, names[check.field]);
        reason = check.kind === 'required' ? prefix : `${prefix}${v}${suffix}`;
        break;
      }
    }
    if (reason !== undefined) {
      quarantine.push({ row: i + 1, reason });
      continue;
    }
    c.row.push(i + 1);
    c.invoice.push(values.invoice!);
    c.stockCode.push(values.stockCode!);
    c.description.push(values.description ?? '');
    c.quantity.push(quantity!);
    c.invoiceDate.push(date!);
    c.unitPrice.push(price!);
    c.customerId.push(customer ?? null);
    c.country.push(values.country!);
  }
  for (const u of raw.unreadable) quarantine.push(u);
  return { columns: c, quarantine };
}
