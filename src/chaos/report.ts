/**
 * What every fault scenario reports: the figures the issue asks for, a verdict,
 * and one sentence that says what happened, computed from those figures.
 */
import type { Accounting } from '../observe/accounting';

export const CHAOS_SCENARIOS = ['consumer-churn', 'broker-loss', 'broker-restart', 'consumer-crash'] as const;
export type ChaosScenarioName = (typeof CHAOS_SCENARIOS)[number];

export interface ChaosFigures {
  /** Messages the producer wrote (acknowledged). */
  produced: number;
  /** Distinct produced messages that reached a consumer. */
  received: number;
  missing: number;
  /** Arrivals beyond the first of the same message. */
  duplicates: number;
  /** Duplicates the scenario's delivery guarantee allows, derived from what happened (not a tolerance). */
  expectedDuplicates: number;
}

/** The figures of a scenario that allows no duplicates, read off the lab's accounting. */
export function figuresFromAccounting(accounting: Pick<Accounting, 'produced' | 'received' | 'missing' | 'duplicates'>): ChaosFigures {
  const { produced, received, missing, duplicates } = accounting;
  return { produced, received, missing, duplicates, expectedDuplicates: 0 };
}

export interface ChaosReport extends ChaosFigures {
  scenario: ChaosScenarioName;
  /** Nothing missing, duplicates exactly as expected, and the scenario's own checks held. */
  passed: boolean;
  explanation: string;
  durationMs: number;
  topic: string;
  groupId: string;
}

/** Human-facing progress lines (stderr in the CLI); silent by default. */
export type ChaosNote = (line: string) => void;

export interface ChaosCommonOptions {
  /** Messages per second of the paced producer. */
  ratePerSec?: number;
  onNote?: ChaosNote;
}

import { plural } from '../notebook/format';

export { plural };

/** "0 missing and 0 duplicates" or what went wrong, for the explanation sentences. */
export function deliverySummary(figures: ChaosFigures): string {
  const missing = figures.missing === 0 ? 'none missing' : `${plural(figures.missing, 'message')} MISSING`;
  const duplicates =
    figures.duplicates === figures.expectedDuplicates
      ? figures.duplicates === 0
        ? 'no duplicates'
        : `${plural(figures.duplicates, 'duplicate')}, exactly the ${figures.expectedDuplicates} expected`
      : `${plural(figures.duplicates, 'duplicate')} where ${figures.expectedDuplicates} were expected`;
  return `${figures.received.toLocaleString('en-US')} of ${plural(figures.produced, 'message')} arrived (${missing}, ${duplicates})`;
}
