/** Orderings shared by the Kafka side and the notebook side. */

/** "consumer-2" before "consumer-10". */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Ascending numbers, for `sort`. */
export function byNumber(a: number, b: number): number {
  return a - b;
}
