import { LabError } from '../errors';

/** Which field of a retail row becomes the message key (and so picks the partition). */
export type KeyStrategy = 'none' | 'invoice' | 'customer' | 'country' | 'stockCode';

export const keyStrategies: readonly KeyStrategy[] = ['none', 'invoice', 'customer', 'country', 'stockCode'];

const keyFields: Record<Exclude<KeyStrategy, 'none'>, string> = {
  invoice: 'invoice',
  customer: 'customerId',
  country: 'country',
  stockCode: 'stockCode',
};

export function validateKeyStrategy(key: unknown): asserts key is KeyStrategy {
  if (!keyStrategies.includes(key as KeyStrategy)) {
    throw new LabError('INVALID_OPTION', `Invalid key strategy ${JSON.stringify(key)}. Use one of: ${keyStrategies.join(', ')}.`);
  }
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
