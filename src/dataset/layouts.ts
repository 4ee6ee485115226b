import { LabError } from '../errors';

/** The raw columns every layout maps to, before any value is parsed. */
export const RAW_FIELDS = [
  'invoice',
  'stockCode',
  'description',
  'quantity',
  'invoiceDate',
  'unitPrice',
  'customerId',
  'country',
] as const;
export type RawField = (typeof RAW_FIELDS)[number];

/** A header family: the column names a download uses for the eight canonical fields. */
export interface LayoutFamily {
  family: 'online-retail' | 'online-retail-ii' | 'lab-cleaned';
  label: string;
  columns: Record<RawField, string>;
}

export const LAYOUT_FAMILIES: readonly LayoutFamily[] = [
  {
    family: 'online-retail',
    label: 'Online Retail (Kaggle "E-Commerce Data" data.csv, UCI workbook or its CSV export)',
    columns: {
      invoice: 'InvoiceNo',
      stockCode: 'StockCode',
      description: 'Description',
      quantity: 'Quantity',
      invoiceDate: 'InvoiceDate',
      unitPrice: 'UnitPrice',
      customerId: 'CustomerID',
      country: 'Country',
    },
  },
  {
    family: 'online-retail-ii',
    label: 'Online Retail II (CSV or the two-sheet .xlsx workbook)',
    columns: {
      invoice: 'Invoice',
      stockCode: 'StockCode',
      description: 'Description',
      quantity: 'Quantity',
      invoiceDate: 'InvoiceDate',
      unitPrice: 'Price',
      customerId: 'Customer ID',
      country: 'Country',
    },
  },
  {
    family: 'lab-cleaned',
    label: 'rows cleaned by this lab (`dataset clean --out`)',
    columns: {
      invoice: 'invoice',
      stockCode: 'stockCode',
      description: 'description',
      quantity: 'quantity',
      invoiceDate: 'invoiceDate',
      unitPrice: 'unitPrice',
      customerId: 'customerId',
      country: 'country',
    },
  },
];

/**
 * The concrete layouts the lab recognises. The header tells the family; the
 * first dates and the file type tell which download it is.
 */
export type LayoutId =
  | 'kaggle-ecommerce-csv'
  | 'uci-workbook-csv'
  | 'online-retail-ii-csv'
  | 'uci-online-retail-xlsx'
  | 'online-retail-ii-xlsx'
  | 'lab-cleaned-csv';

export interface DetectedLayout {
  id: LayoutId;
  family: LayoutFamily;
  /** For each canonical field, the index of its column in the header. */
  indexes: Record<RawField, number>;
  /** Header columns that belong to no canonical field (ignored). */
  extraColumns: string[];
}

/** Column names compare without case, spaces, underscores or a byte-order mark. */
export function normaliseColumnName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function describeExpected(): string {
  return LAYOUT_FAMILIES.map((f) => `${f.label}: ${RAW_FIELDS.map((k) => f.columns[k]).join(', ')}`).join('; ');
}

/**
 * Finds the layout family whose eight columns all appear in `header`. Throws a
 * DATASET_INVALID error naming the columns found and the layouts expected.
 */
export function detectFamily(
  header: readonly string[],
  source: string,
): { family: LayoutFamily; indexes: Record<RawField, number>; extraColumns: string[] } {
  const normalised = header.map(normaliseColumnName);
  let closest: { family: LayoutFamily; missing: string[] } | undefined;
  for (const family of LAYOUT_FAMILIES) {
    const indexes = {} as Record<RawField, number>;
    const missing: string[] = [];
    for (const field of RAW_FIELDS) {
      const at = normalised.indexOf(normaliseColumnName(family.columns[field]));
      if (at < 0) missing.push(family.columns[field]);
      indexes[field] = at;
    }
    if (missing.length === 0) {
      const used = new Set(Object.values(indexes));
      const extraColumns = header.filter((_, i) => !used.has(i));
      return { family, indexes, extraColumns };
    }
    if (!closest || missing.length < closest.missing.length) closest = { family, missing };
  }
  const found = header.length === 0 ? '(none)' : header.map((h) => JSON.stringify(h)).join(', ');
  let hint = '';
  if (header.length === 1 && /[;\t|]/.test(header[0] ?? '')) {
    const sep = (header[0] ?? '').match(/[;\t|]/)?.[0] ?? '';
    hint = ` The header looks ${sep === '\t' ? 'tab' : `'${sep}'`}-delimited: the lab reads comma-separated files, so re-export it as CSV with commas.`;
  } else if (closest && closest.missing.length < RAW_FIELDS.length) {
    hint = ` Closest layout is ${closest.family.family}, which also needs: ${closest.missing.join(', ')}.`;
  }
  throw new LabError(
    'DATASET_INVALID',
    `${source} does not match any known Online Retail layout. Columns found: ${found}. Layouts expected: ${describeExpected()}.${hint}`,
  );
}

/** Which date style the first non-empty InvoiceDate value shows. */
export function dateStyleOf(sample: string | undefined): 'month-day-year' | 'iso' | 'unknown' {
  if (!sample) return 'unknown';
  if (/^\s*\d{1,2}\/\d{1,2}\/\d{4}/.test(sample)) return 'month-day-year';
  if (/^\s*\d{4}-\d{1,2}-\d{1,2}/.test(sample)) return 'iso';
  return 'unknown';
}

/** Names the concrete layout from the family, the file type and the first date. */
export function layoutIdOf(family: LayoutFamily, fileType: 'csv' | 'xlsx', firstDate: string | undefined): LayoutId {
  if (family.family === 'lab-cleaned') return 'lab-cleaned-csv';
  if (family.family === 'online-retail-ii')
    return fileType === 'xlsx' ? 'online-retail-ii-xlsx' : 'online-retail-ii-csv';
  if (fileType === 'xlsx') return 'uci-online-retail-xlsx';
  return dateStyleOf(firstDate) === 'month-day-year' ? 'kaggle-ecommerce-csv' : 'uci-workbook-csv';
}
