import { formatNumber } from '../format';

/** One protocol's pause figures from one client (a rebalanceHeadline fits). */
export interface ClientFigures {
  protocol: string;
  client: string;
  pauseMsP95: number;
  pauseMsTotal: number;
  rebalances: number;
  missing: number;
  duplicates: number;
}

/** Below this, two p95 pauses are both "quick" and their ratio means nothing. */
const NOISE_MS = 100;

/** How far apart two clients' p95 pauses are, as a factor of at least 1. */
export function pauseRatio(a: ClientFigures, b: ClientFigures): number {
  const low = Math.max(NOISE_MS, Math.min(a.pauseMsP95, b.pauseMsP95));
  const high = Math.max(NOISE_MS, Math.max(a.pauseMsP95, b.pauseMsP95));
  return high / low;
}

/**
 * Whether two implementations of one protocol agree on its pauses. Where they
 * differ by more than 2x the sentence says so plainly: the figure then belongs to
 * the client as much as to the protocol, and neither is "Kafka's behaviour".
 */
export function describeClientAgreement(
  pairs: ReadonlyArray<{ reference: ClientFigures; java: ClientFigures }>,
): string {
  if (pairs.length === 0) return 'No protocol ran on both clients, so there is nothing to compare.';
  return pairs
    .map(({ reference, java }) => {
      const ratio = pauseRatio(reference, java);
      const figures = `${reference.client} p95 pause ${formatNumber(reference.pauseMsP95)} ms, Java ${formatNumber(java.pauseMsP95)} ms`;
      if (ratio <= 2)
        return `${reference.protocol}: the two clients agree (${figures}, within 2x), so the pause is the protocol's.`;
      const slower = reference.pauseMsP95 > java.pauseMsP95 ? reference.client : 'Java';
      return (
        `${reference.protocol}: the clients DIFFER by more than 2x (${figures}; ${slower} ${formatNumber(Math.round(ratio * 10) / 10)}x slower), ` +
        `so these pauses come from the client as much as from the protocol: neither figure is simply Kafka's behaviour.`
      );
    })
    .join(' ');
}
