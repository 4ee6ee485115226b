import type { KeyStrategy } from '../options';

export { KEY_STRATEGIES as keyStrategies, type KeyStrategy } from '../options';

const keyFields: Record<Exclude<KeyStrategy, 'none'>, string> = {
  invoice: 'invoice',
  customer: 'customerId',
  country: 'country',
  stockCode: 'stockCode',
};

/** The row field a strategy keys by, or null for 'none'. */
export function keyFieldOf(strategy: KeyStrategy): string | null {
  return strategy === 'none' ? null : keyFields[strategy];
}

/** Returns the function that turns a row into its key; an empty field gives no key. */
export function keyOf(strategy: KeyStrategy): (row: Record<string, unknown>) => string | null {
  if (strategy === 'none') return () => null;
  const field = keyFields[strategy];
  return (row) => {
    const value = row[field];
    return value === undefined || value === null || value === '' ? null : String(value);
  };
}
