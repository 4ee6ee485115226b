/**
 * Money as whole numbers. The data has unit prices of £0.001, so pennies are not
 * fine enough: every amount is kept in tenths of a penny (1 = £0.001), an integer,
 * so sums are exact whatever their order and size (a float sum of 384,000 prices
 * drifts by fractions of a penny).
 */
export const MONEY_UNIT = 'tenths of a penny (£0.001)';

/** Units per pound. */
export const UNITS_PER_POUND = 1000;

/** A price in pounds as whole tenths of a penny (2.55 → 2550; 0.001 → 1). */
export function toUnits(pounds: number): number {
  return Math.round(pounds * UNITS_PER_POUND);
}

/** quantity × unit price, exact, in tenths of a penny. */
export function lineAmount(quantity: number, unitPrice: number): number {
  return quantity * toUnits(unitPrice);
}

/** "£1,234.567" (or "-£0.004"): amounts in tenths of a penny shown in pounds, with the third decimal kept. */
export function formatPounds(units: number): string {
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const pounds = Math.floor(abs / UNITS_PER_POUND);
  const rest = abs % UNITS_PER_POUND;
  const decimals = rest % 10 === 0 ? String(rest / 10).padStart(2, '0') : String(rest).padStart(3, '0');
  return `${sign}£${pounds.toLocaleString('en-US')}.${decimals}`;
}
