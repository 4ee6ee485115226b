import { formatNumber, formatPercent, plural } from '../format';

/** Sentences about the data set (notebook 01), computed from the data. */

/** Which cleaning rule removed the most, and how much was kept. */
export function describeCleaning(steps: readonly { rule: string; removed: number; remaining: number }[], rowsIn: number): string {
  if (steps.length === 0) return 'No cleaning steps ran.';
  const biggest = steps.reduce((a, b) => (b.removed > a.removed ? b : a));
  const kept = steps[steps.length - 1].remaining;
  return (
    `Cleaning kept ${formatNumber(kept)} of ${formatNumber(rowsIn)} rows (${formatPercent(kept / Math.max(1, rowsIn))}). ` +
    (biggest.removed > 0 ? `The rule that removed the most is ${biggest.rule}: ${formatNumber(biggest.removed)} rows (${formatPercent(biggest.removed / Math.max(1, rowsIn))} of the input).` : 'No rule removed anything.')
  );
}

/** The leading country's share of revenue. */
export function describeRevenueByCountry(rows: readonly { country: string; totalPrice: number }[]): string {
  const totals = new Map<string, number>();
  let all = 0;
  for (const row of rows) {
    totals.set(row.country, (totals.get(row.country) ?? 0) + row.totalPrice);
    all += row.totalPrice;
  }
  const sorted = [...totals.entries()].sort((a, b) => b[1] - a[1]);
  if (sorted.length === 0 || all === 0) return 'No revenue in these rows.';
  const [first, second] = sorted;
  return (
    `${first[0]} brings ${formatPercent(first[1] / all)} of the revenue (${formatNumber(Math.round(first[1]))} of ${formatNumber(Math.round(all))}) across ${sorted.length} countries` +
    (second ? `; next is ${second[0]} with ${formatPercent(second[1] / all)}. A country key will therefore load one partition far more than the others.` : '.')
  );
}

/** The date range and the busiest day. */
export function describeRowsPerDay(rows: readonly { invoiceDate: string }[]): string {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.invoiceDate.slice(0, 10), (counts.get(row.invoiceDate.slice(0, 10)) ?? 0) + 1);
  const days = [...counts.keys()].sort();
  if (days.length === 0) return 'No rows.';
  const busiest = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
  return `The rows span ${plural(days.length, 'trading day')} from ${days[0]} to ${days[days.length - 1]}, ${formatNumber(Math.round(rows.length / days.length))} rows per day on average; the busiest day, ${busiest[0]}, has ${formatNumber(busiest[1])}.`;
}
