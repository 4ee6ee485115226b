import os from 'node:os';

/** Median of the values (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile of an already sorted typed array (p in 0..100). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The 1-minute load average now, as `uptime` prints it. */
export function loadNow(): number {
  return round(os.loadavg()[0], 2);
}

/** What the machine's load was while a measurement ran: 1-minute load average before and after. */
export interface LoadWindow {
  before: number;
  after: number;
}

export async function withLoad<T>(run: () => Promise<T>): Promise<{ value: T; load: LoadWindow }> {
  const before = loadNow();
  const value = await run();
  return { value, load: { before, after: loadNow() } };
}

export function round(value: number, digits = 0): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || !(b > 0)) return null;
  return round(a / b, 3);
}
