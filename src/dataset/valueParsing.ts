/**
 * Parsing of single raw values into canonical ones. The regular expressions
 * are shared with the polars engine (Rust regex and JavaScript agree on them),
 * so both engines accept and quarantine exactly the same values.
 * Dates are parsed as plain calendar fields: no local time zone is involved.
 */

/** A decimal number: `6`, `-12`, `2.55`, `.5`, `1e3`. Not `inf`, `NaN`, `0x10` or ``. */
export const NUMBER_PATTERN = '^[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$';
/** A customer id: digits, optionally followed by a float tail such as `.0` (`17850.0`). */
export const CUSTOMER_ID_PATTERN = '^([0-9]+)(?:\\.0*)?$';
/** A cancellation or adjustment invoice starts with a letter (`C536379`, `A563185`). */
export const CANCELLATION_PATTERN = '^[A-Za-z]';

const numberRe = new RegExp(NUMBER_PATTERN);
const customerRe = new RegExp(CUSTOMER_ID_PATTERN);
const cancellationRe = new RegExp(CANCELLATION_PATTERN);

/** `2010-12-01 08:26:00`, `2010-12-01T08:26`, `2010-12-01 08:26:00.000`: groups year, month, day, hour, minute, second. */
export const ISO_DATE_INPUT =
  '^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\\.0+)?)?$';
/** `12/1/2010 8:26` (month/day/year, the Kaggle data.csv), optional seconds: groups month, day, year, hour, minute, second. */
export const MDY_DATE_INPUT = '^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}) ([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$';
/** The common case, already canonical but for the space: `2010-12-01 08:26:00`. */
export const CANONICAL_SPACE_DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$';
/**
 * A valid calendar date and time in canonical form `2010-12-01T08:26:00`
 * (month lengths and leap years included), checked by pattern so that both
 * engines judge every date the same way.
 */
export const VALID_CANONICAL_DATE =
  '^(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))' +
  '|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)' +
  'T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$';

const isoDateRe = new RegExp(ISO_DATE_INPUT);
const mdyDateRe = new RegExp(MDY_DATE_INPUT);
const validDateRe = new RegExp(VALID_CANONICAL_DATE);

const pad2 = (s: string | undefined): string => (s === undefined ? '00' : s.padStart(2, '0'));

/**
 * Parses an InvoiceDate in any of the layouts' text forms into the canonical
 * ISO local string `2010-12-01T08:26:00`; undefined when it is not a valid
 * date. Plain text work: no time zone is involved.
 */
export function parseInvoiceDate(raw: string): string | undefined {
  let canonical: string | undefined;
  const iso = isoDateRe.exec(raw);
  const mdy = iso ? null : mdyDateRe.exec(raw);
  if (iso) canonical = `${iso[1]}-${pad2(iso[2])}-${pad2(iso[3])}T${pad2(iso[4])}:${iso[5]}:${pad2(iso[6])}`;
  else if (mdy) canonical = `${mdy[3]}-${pad2(mdy[1])}-${pad2(mdy[2])}T${pad2(mdy[4])}:${mdy[5]}:${pad2(mdy[6])}`;
  return canonical !== undefined && validDateRe.test(canonical) ? canonical : undefined;
}

/** A raw value trimmed, or null when nothing is left: how both engines read every field. */
export function trimmedText(value: string | null | undefined): string | null {
  const t = value?.trim();
  return t ? t : null;
}

export function parseNumber(raw: string): number | undefined {
  if (!numberRe.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** An integer quantity, or undefined when the text is not one. */
export function parseQuantity(raw: string): number | undefined {
  const value = parseNumber(raw);
  return value !== undefined && Number.isInteger(value) ? value : undefined;
}

/** `17850.0` and `17850` both become `17850`; anything else is undefined. */
export function parseCustomerId(raw: string): string | undefined {
  const match = customerRe.exec(raw);
  return match ? match[1] : undefined;
}

export function isCancellationInvoice(invoice: string): boolean {
  return cancellationRe.test(invoice);
}

/**
 * An Excel serial date (days since 1899-12-30, or since 1904-01-01 in
 * 1904-based workbooks) as text `YYYY-MM-DD HH:MM:SS`, rounded to the second.
 */
export function excelSerialToText(serial: number, date1904 = false): string {
  const days = serial + (date1904 ? 1462 : 0);
  const seconds = Math.round(days * 86400);
  const iso = new Date((seconds - 25569 * 86400) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** quantity × unitPrice rounded to cents (half away from zero, as polars rounds). */
export function totalPriceOf(quantity: number, unitPrice: number): number {
  const cents = quantity * unitPrice * 100;
  return (cents < 0 ? -Math.round(-cents) : Math.round(cents)) / 100;
}

/** Sums cent-rounded amounts exactly (as integer cents) and returns the total rounded to cents. */
export function sumCents(values: Iterable<number>): number {
  let cents = 0;
  for (const v of values) cents += Math.round(v * 100);
  return cents / 100;
}
