import {
  DROP_RULES,
  dropCancellations,
  dropMissingCustomer,
  dropNonPositivePrice,
  dropNonPositiveQuantity,
} from '../dataset/cleaningRules';
import { isCancellationInvoice } from '../dataset/valueParsing';
import { DEFAULTS } from '../options';
import { lineAmount } from './money';

/**
 * What the processor does with one input message: a revenue event, or a reason
 * to dead-letter it. The row checks are the cleaning rules (src/dataset/cleaningRules.ts)
 * applied to one row, named as those rules are, so a dead letter says which rule
 * the batch side would have dropped it by.
 */
export interface RevenueEvent {
  invoice: string;
  /** 1-based position of the line within its invoice (the input carries it). */
  line: number;
  country: string;
  /** quantity × unit price, in tenths of a penny. */
  amount: number;
}

export type DeadLetterReason = 'not-json' | 'too-large' | 'not-a-row' | `rejected-by-cleaning:${string}`;

export type Classified = { kind: 'event'; event: RevenueEvent } | { kind: 'dead'; reason: DeadLetterReason };

/** A retail row is about 250 bytes; anything over this is not one (and would bloat the output). */
export const DEFAULT_MAX_VALUE_BYTES = DEFAULTS.ledger.maxValueBytes;

export function classify(value: Buffer | null, maxValueBytes = DEFAULT_MAX_VALUE_BYTES): Classified {
  if (value !== null && value.length > maxValueBytes) return { kind: 'dead', reason: 'too-large' };
  let row: Record<string, unknown>;
  try {
    row = JSON.parse(value === null ? '' : value.toString('utf8'));
  } catch {
    return { kind: 'dead', reason: 'not-json' };
  }
  if (!row || typeof row !== 'object' || Array.isArray(row)) return { kind: 'dead', reason: 'not-a-row' };
  const { invoice, line, country, quantity, unitPrice, customerId } = row;
  if (
    typeof invoice !== 'string' ||
    typeof country !== 'string' ||
    !Number.isInteger(line) ||
    !Number.isInteger(quantity) ||
    typeof unitPrice !== 'number' ||
    !Number.isFinite(unitPrice)
  ) {
    return { kind: 'dead', reason: 'not-a-row' };
  }
  const rejectedBy = rejectingRule({ invoice, quantity: quantity as number, unitPrice, customerId });
  if (rejectedBy) return { kind: 'dead', reason: `rejected-by-cleaning:${rejectedBy}` };
  return {
    kind: 'event',
    event: { invoice, line: line as number, country, amount: lineAmount(quantity as number, unitPrice) },
  };
}

/** The first cleaning rule (in pipeline order) that drops this row, if any. */
function rejectingRule(row: {
  invoice: string;
  quantity: number;
  unitPrice: number;
  customerId: unknown;
}): string | undefined {
  const drops: Record<string, boolean> = {
    [dropMissingCustomer.name]: row.customerId === null || row.customerId === undefined || row.customerId === '',
    [dropCancellations.name]: isCancellationInvoice(row.invoice),
    [dropNonPositiveQuantity.name]: row.quantity <= 0,
    [dropNonPositivePrice.name]: row.unitPrice <= 0,
  };
  return DROP_RULES.find((rule) => drops[rule.name])?.name;
}
