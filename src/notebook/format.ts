/** Small formatting helpers shared by tables, progress lines and sentences. */

/** `12345.678` → `12,345.68`; integers without decimals. Locale pinned to en-US. */
export function formatNumber(value: number, fractionDigits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { maximumFractionDigits: Number.isInteger(value) ? 0 : fractionDigits });
}

/** `1 consumer`, `3 consumers`, `1,200 messages`: a count and its noun, singular only for 1. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

/**
 * A rate needs time to mean something: over a few milliseconds it is noise
 * (6,925 messages already waiting, drained in 1 ms, read "6,925,000
 * messages/s"). Below this much elapsed time no rate is shown.
 */
export const MIN_RATE_ELAPSED_MS = 1000;

/**
 * `count` per second over `elapsedMs` as `1,998 msg/s`, or undefined when
 * less than MIN_RATE_ELAPSED_MS has passed (say nothing rather than noise).
 */
export function formatRate(count: number, elapsedMs: number, unit: string): string | undefined {
  if (!(elapsedMs >= MIN_RATE_ELAPSED_MS)) return undefined;
  return `${formatNumber(Math.round((count * 1000) / elapsedMs))} ${unit}`;
}

/** `0.3456` → `34.6%`. */
export function formatPercent(fraction: number, fractionDigits = 1): string {
  if (!Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(fractionDigits)}%`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A cell value as table text. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value, 3);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(formatCell).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export { naturalCompare } from '../util/compare';
