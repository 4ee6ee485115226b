import { randomBytes } from 'node:crypto';

/**
 * Retail-shaped rows made in code, for scenarios that must not depend on a data
 * set being present (the group-protocol and fault scenarios). Generated lazily:
 * a scenario produces until it is done, then stops the stream with an AbortSignal.
 */
export function* syntheticRetailRows(limit = Infinity): Generator<Record<string, unknown>> {
  const countries = ['United Kingdom', 'France', 'Germany', 'EIRE', 'Spain', 'Netherlands'];
  for (let i = 0; i < limit; i += 1) {
    const quantity = 1 + (i % 12);
    yield {
      invoice: String(536365 + Math.floor(i / 4)),
      stockCode: `2${String(i % 97).padStart(4, '0')}`,
      description: `ITEM ${i % 97}`,
      quantity,
      invoiceDate: '2010-12-01T08:26:00',
      unitPrice: 2.55,
      customerId: String(12346 + (i % 211)),
      country: countries[i % countries.length],
      totalPrice: Number((2.55 * quantity).toFixed(2)),
    };
  }
}

/** A fresh topic or group name (`<prefix>-<time>-<random>`), so runs never see each other's offsets. */
export function freshName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
