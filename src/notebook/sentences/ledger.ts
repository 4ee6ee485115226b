/**
 * Sentences computed from ledger runs, for notebooks and reports: every figure
 * in them comes from the result they are given.
 */
import { formatPounds } from '../../ledger/money';
import type { LedgerResult } from '../../scenarios/ledger';
import { formatNumber } from '../format';

const n = (value: number, one: string, many = `${one}s`) => `${formatNumber(value)} ${value === 1 ? one : many}`;

/** "at-least-once counted £1,234.56 twice across 412 events" or "exactly-once matched the batch to the penny". */
export function describeLedgerRun(r: LedgerResult): string {
  const kills = `${n(r.processorKills, 'kill')}`;
  if (r.revenueDiff === 0 && r.duplicates === 0 && r.missing === 0) {
    return `${r.guarantee} matched the batch to the penny (${formatPounds(r.revenueStream)} both ways) through ${kills}, with no duplicates and nothing missing.`;
  }
  const parts = [];
  if (r.duplicates > 0)
    parts.push(`counted ${formatPounds(r.duplicateAmount)} twice across ${n(r.duplicates, 'event')}`);
  if (r.missing > 0) parts.push(`lost ${n(r.missing, 'order line')}`);
  return `${r.guarantee} ${parts.join(' and ')} through ${kills}: the stream says ${formatPounds(r.revenueStream)}, the batch ${formatPounds(r.revenueBatch)} (difference ${formatPounds(r.revenueDiff)}).`;
}

/** Both guarantees with the same kills, in one sentence. */
export function describeLedgerComparison(alo: LedgerResult, eos: LedgerResult): string {
  return `With the same ${n(alo.processorKills, 'kill')}, ${describeLedgerRun(alo).replace(/\.$/, '')}; ${describeLedgerRun(eos)}`;
}

export function describeKills(r: LedgerResult): string {
  const killed = r.incarnations.filter((i) => i.end === 'killed');
  const eos = r.guarantee === 'exactly-once';
  return (
    `The processor was killed ${n(r.processorKills, 'time')} with SIGKILL and restarted each time; ` +
    `the restarted processors re-read ${n(r.reRead, 'message')} that a killed one had already handled` +
    (eos
      ? `, and ${n(r.abortedTransactions, 'transaction')} ${r.abortedTransactions === 1 ? 'was' : 'were'} aborted (${killed.length} left open by the kills${r.zombie ? ', one held by the zombie' : ''}), so those re-reads wrote nothing twice.`
      : `: with no transaction to abort, everything written before a kill stayed, and each re-read message was written again.`)
  );
}

export function describeVisibility(r: LedgerResult): string {
  const v = r.visibility;
  if (v.onlyUncommitted === 0)
    return `${r.guarantee}: read_committed and read_uncommitted readers see the same ${n(v.readCommitted, 'event')}: nothing was written in a transaction.`;
  return (
    `${r.guarantee}: a read_uncommitted reader sees ${n(v.readUncommitted, 'event')}, a read_committed reader ${formatNumber(v.readCommitted)}: ` +
    `the ${n(v.onlyUncommitted, 'event')} of ${n(v.abortedTransactions, 'aborted transaction')} are visible only to read_uncommitted.`
  );
}

export function describeFencing(r: LedgerResult): string {
  const z = r.zombie;
  if (!z) return `${r.guarantee}: no zombie in this run (fencing needs a transactional.id).`;
  if (!z.fencedError) return `Processor p${z.incarnation} was NOT fenced by p${z.fencedBy}.`;
  return (
    `Processor p${z.incarnation} held a transaction open while p${z.fencedBy} started with the same transactional.id; p${z.fencedBy}'s initTransactions aborted that transaction, ` +
    `and p${z.incarnation}'s next write failed with "${z.fencedError}". It had written ${n(z.writtenVisibleUncommitted, 'event')}: ${z.visibleToReadCommitted === 0 ? 'none' : formatNumber(z.visibleToReadCommitted)} visible to read_committed readers.`
  );
}

export function describeDeadLetters(r: LedgerResult): string {
  const reasons = new Map<string, number>();
  for (const d of r.deadLetters) reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
  const balanced = r.perPartition.every((p) => p.balanced);
  return (
    `${n(r.deadLettered, 'message')} went to ${r.dlqTopic} (${[...reasons].map(([why, count]) => `${count} ${why}`).join(', ') || 'none'}); ` +
    `input ${formatNumber(r.input)} = ${formatNumber(r.processed)} processed + ${formatNumber(r.deadLettered)} dead-lettered` +
    `${balanced ? ', in every partition' : ' does NOT hold in every partition'}.`
  );
}

/** One row per country: the batch, and the stream and difference of each run, in pounds (text, exact). */
export function ledgerTableRows(runs: readonly LedgerResult[]): Array<Record<string, string>> {
  const countries = runs[0]?.perCountry.map((c) => c.country) ?? [];
  const rows = countries.map((country) => {
    const row: Record<string, string> = {
      country,
      batch: formatPounds(runs[0].perCountry.find((c) => c.country === country)!.batch),
    };
    for (const run of runs) {
      const c = run.perCountry.find((x) => x.country === country);
      row[`${run.guarantee} stream`] = formatPounds(c?.stream ?? 0);
      row[`${run.guarantee} diff`] = formatPounds(c?.diff ?? 0);
    }
    return row;
  });
  const total: Record<string, string> = { country: 'TOTAL', batch: formatPounds(runs[0]?.revenueBatch ?? 0) };
  for (const run of runs) {
    total[`${run.guarantee} stream`] = formatPounds(run.revenueStream);
    total[`${run.guarantee} diff`] = formatPounds(run.revenueDiff);
  }
  return [...rows, total];
}

/** Whether the listed duplicates are the whole difference between stream and batch. */
export function describeDuplicates(r: LedgerResult): string {
  if (r.duplicates === 0) return `${r.guarantee}: no order line was written twice.`;
  const whole = r.duplicateAmount === r.revenueDiff;
  return (
    `The ${n(r.duplicateList.length, 'listed duplicate')} add up to ${formatPounds(r.duplicateAmount)} over ${n(r.duplicates, 'extra event')}; ` +
    `the stream's difference from the batch is ${formatPounds(r.revenueDiff)}: ${whole ? 'the duplicates are the whole difference.' : 'NOT the whole difference.'}`
  );
}
