/**
 * What the processor incarnations did, read from their reports and from the
 * output topic: how each ended, what it re-read, and which of its events each
 * isolation level sees.
 */
import type { IncarnationStory } from './ledgerBook';
import { parseEvent } from './ledgerBook';
import type { ProcessorProcess } from './processorProcess';
import type { TopicRecord } from './readTopic';

export type IncarnationEnd = 'killed' | 'fenced' | 'stopped';

export interface IncarnationSummary {
  incarnation: number;
  role: 'processor' | 'zombie';
  end: IncarnationEnd;
  /** Messages it turned into events or dead-lettered (re-reads included). */
  handled: number;
  /** Of those, messages an earlier incarnation had already handled. */
  reRead: number;
  committedChunks: number;
}

export interface Visibility {
  readCommitted: number;
  readUncommitted: number;
  /** Events of aborted transactions: seen only by read_uncommitted readers. */
  onlyUncommitted: number;
  /** Dead letters written in aborted transactions (a poison message re-read after a kill): seen only by read_uncommitted readers of the DLQ. */
  deadLettersOnlyUncommitted: number;
  abortedTransactions: number;
  byIncarnation: Array<{ incarnation: number; readCommitted: number; readUncommitted: number }>;
}

export function storiesOf(
  processes: readonly ProcessorProcess[],
  ends: ReadonlyMap<ProcessorProcess, IncarnationEnd>,
): IncarnationStory[] {
  return processes.map((proc) => {
    const resumedAt = new Map<number, number>();
    for (const map of [proc.processed, proc.deadLettered]) {
      for (const [p, offsets] of map)
        if (offsets.length) resumedAt.set(p, Math.min(resumedAt.get(p) ?? Infinity, offsets[0]));
    }
    return { incarnation: proc.options.incarnation, end: ends.get(proc) ?? 'running', resumedAt };
  });
}

export function summarise(
  processes: readonly ProcessorProcess[],
  ends: ReadonlyMap<ProcessorProcess, IncarnationEnd>,
  zombie?: number,
): IncarnationSummary[] {
  // Highest offset handled so far per partition, by the incarnations before.
  const handledBefore = new Map<number, number>();
  return processes.map((proc) => {
    let reRead = 0;
    const mine = new Map<number, number>();
    for (const map of [proc.processed, proc.deadLettered]) {
      for (const [p, offsets] of map) {
        for (const offset of offsets) {
          if (offset <= (handledBefore.get(p) ?? -1)) reRead += 1;
          mine.set(p, Math.max(mine.get(p) ?? -1, offset));
        }
      }
    }
    for (const [p, max] of mine) handledBefore.set(p, Math.max(handledBefore.get(p) ?? -1, max));
    return {
      incarnation: proc.options.incarnation,
      role: proc.options.incarnation === zombie ? 'zombie' : 'processor',
      end: ends.get(proc) ?? 'stopped',
      handled: proc.handled,
      reRead,
      committedChunks: proc.transactionsCommitted,
    };
  });
}

export function visibilityOf(
  committed: readonly TopicRecord[],
  uncommitted: readonly TopicRecord[],
  deadLettersCommitted: number,
  deadLettersUncommitted: number,
): Visibility {
  const seen = new Set(committed.map((r) => `${r.partition}:${r.offset}`));
  const aborted = new Set<string>();
  const by = new Map<number, { incarnation: number; readCommitted: number; readUncommitted: number }>();
  const row = (incarnation: number) =>
    by.get(incarnation) ?? by.set(incarnation, { incarnation, readCommitted: 0, readUncommitted: 0 }).get(incarnation)!;
  for (const record of committed) {
    const event = parseEvent(record);
    if (event) row(event.writer.incarnation).readCommitted += 1;
  }
  for (const record of uncommitted) {
    const event = parseEvent(record);
    if (!event) continue;
    row(event.writer.incarnation).readUncommitted += 1;
    if (!seen.has(`${record.partition}:${record.offset}`))
      aborted.add(`${event.writer.incarnation}:${event.writer.txn}`);
  }
  return {
    readCommitted: committed.length,
    readUncommitted: uncommitted.length,
    onlyUncommitted: uncommitted.length - committed.length,
    deadLettersOnlyUncommitted: deadLettersUncommitted - deadLettersCommitted,
    abortedTransactions: aborted.size,
    byIncarnation: [...by.values()].sort((a, b) => a.incarnation - b.incarnation),
  };
}
