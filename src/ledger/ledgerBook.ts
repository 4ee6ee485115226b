import type { OrderLine } from './inputTopic';
import { lineAmount } from './money';
import type { OutputEvent } from './processorWorker';
import type { TopicRecord } from './readTopic';

/**
 * The books: the batch (cleaned rows) against the stream (the output topic,
 * read_committed), per country and in total, every amount in tenths of a penny;
 * each order line (invoice, line) counted once, copies beyond the first listed.
 */
export interface CountryLedger {
  country: string;
  batch: number;
  stream: number;
  diff: number;
}

export interface EventCopy {
  /** Which incarnation wrote it, in which of its transactions (or chunks, at-least-once). */
  incarnation: number;
  txn: number;
  sourcePartition: number;
  sourceOffset: number;
  outputPartition: number;
  outputOffset: number;
}

export interface DuplicateLine {
  invoice: string;
  line: number;
  country: string;
  amount: number;
  copies: number;
  /** copies − 1 times the amount: what the duplicate adds to the stream's revenue. */
  extraAmount: number;
  writers: EventCopy[];
  explanation: string;
}

export interface PartitionBalance {
  partition: number;
  input: number;
  processed: number;
  deadLettered: number;
  /** input = processed + deadLettered */
  balanced: boolean;
}

export interface DeadLetter {
  reason: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: number;
  bytes: number;
  /** The first 60 characters of the value, for the table. */
  preview: string;
}

export interface Books {
  revenueBatch: number;
  revenueStream: number;
  revenueDiff: number;
  perCountry: CountryLedger[];
  /** Events read_committed, counting every copy. */
  output: number;
  /** Distinct order lines in the output. */
  distinctLines: number;
  duplicates: number;
  duplicateAmount: number;
  duplicateList: DuplicateLine[];
  missing: number;
  missingList: Array<{ invoice: string; line: number; country: string; amount: number }>;
  perPartition: PartitionBalance[];
  processed: number;
  deadLettered: number;
  /** Dead letters written more than once (at-least-once can do that too). */
  deadLetterCopies: number;
  deadLetters: DeadLetter[];
}

/** What a duplicate's writers were doing, for its explanation: how each incarnation ended and where the next resumed. */
export interface IncarnationStory {
  incarnation: number;
  end: 'killed' | 'fenced' | 'stopped' | 'running';
  /** The first input offset it processed per partition: where it resumed (the committed offset then). */
  resumedAt: Map<number, number>;
}

export function parseEvent(record: TopicRecord): OutputEvent | undefined {
  try {
    return JSON.parse(record.value?.toString('utf8') ?? '') as OutputEvent;
  } catch {
    return undefined;
  }
}

export function keepBooks(input: {
  lines: readonly OrderLine[];
  committed: readonly TopicRecord[];
  dlq: readonly TopicRecord[];
  inputEnds: ReadonlyMap<number, number>;
  stories: readonly IncarnationStory[];
}): Books {
  const batchBy = new Map<string, number>();
  let revenueBatch = 0;
  for (const row of input.lines) {
    const amount = lineAmount(row.quantity, row.unitPrice);
    revenueBatch += amount;
    batchBy.set(row.country, (batchBy.get(row.country) ?? 0) + amount);
  }

  const streamBy = new Map<string, number>();
  const copies = new Map<string, { event: OutputEvent; writers: EventCopy[] }>();
  const processedOffsets = new Map<number, Set<number>>();
  let revenueStream = 0;
  for (const record of input.committed) {
    const event = parseEvent(record);
    if (!event) continue;
    revenueStream += event.amount;
    streamBy.set(event.country, (streamBy.get(event.country) ?? 0) + event.amount);
    const key = `${event.invoice}/${event.line}`;
    const entry = copies.get(key) ?? { event, writers: [] };
    entry.writers.push({
      incarnation: event.writer.incarnation,
      txn: event.writer.txn,
      sourcePartition: event.source.partition,
      sourceOffset: event.source.offset,
      outputPartition: record.partition,
      outputOffset: record.offset,
    });
    copies.set(key, entry);
    const offsets = processedOffsets.get(event.source.partition) ?? new Set<number>();
    offsets.add(event.source.offset);
    processedOffsets.set(event.source.partition, offsets);
  }

  const duplicateList: DuplicateLine[] = [];
  for (const { event, writers } of copies.values()) {
    if (writers.length < 2) continue;
    duplicateList.push({
      invoice: event.invoice,
      line: event.line,
      country: event.country,
      amount: event.amount,
      copies: writers.length,
      extraAmount: event.amount * (writers.length - 1),
      writers,
      explanation: explainDuplicate(writers, input.stories),
    });
  }
  duplicateList.sort(
    (a, b) =>
      a.writers[0].sourcePartition - b.writers[0].sourcePartition ||
      a.writers[0].sourceOffset - b.writers[0].sourceOffset,
  );

  const missingList = input.lines
    .filter((row) => !copies.has(`${row.invoice}/${row.line}`))
    .map((row) => ({
      invoice: row.invoice,
      line: row.line,
      country: row.country,
      amount: lineAmount(row.quantity, row.unitPrice),
    }));

  const deadLetters: DeadLetter[] = [];
  const deadOffsets = new Map<number, Set<number>>();
  for (const record of input.dlq) {
    const h = record.headers;
    const sourcePartition = Number(h['dlq.source.partition']);
    const sourceOffset = Number(h['dlq.source.offset']);
    const offsets = deadOffsets.get(sourcePartition) ?? new Set<number>();
    if (offsets.has(sourceOffset)) continue;
    offsets.add(sourceOffset);
    deadOffsets.set(sourcePartition, offsets);
    const text = record.value?.toString('utf8') ?? '';
    deadLetters.push({
      reason: h['dlq.reason'] ?? '?',
      sourceTopic: h['dlq.source.topic'] ?? '?',
      sourcePartition,
      sourceOffset,
      bytes: record.value?.length ?? 0,
      preview: text.length > 60 ? `${text.slice(0, 57)}...` : text,
    });
  }
  deadLetters.sort((a, b) => a.sourcePartition - b.sourcePartition || a.sourceOffset - b.sourceOffset);

  const perPartition = [...input.inputEnds.entries()]
    .sort(([a], [b]) => a - b)
    .map(([partition, end]) => {
      const processed = processedOffsets.get(partition)?.size ?? 0;
      const deadLettered = deadOffsets.get(partition)?.size ?? 0;
      return { partition, input: end, processed, deadLettered, balanced: processed + deadLettered === end };
    });

  const countries = [...new Set([...batchBy.keys(), ...streamBy.keys()])];
  const perCountry = countries
    .map((country) => {
      const batch = batchBy.get(country) ?? 0;
      const stream = streamBy.get(country) ?? 0;
      return { country, batch, stream, diff: stream - batch };
    })
    .sort((a, b) => b.batch - a.batch || a.country.localeCompare(b.country));

  const duplicates = duplicateList.reduce((sum, d) => sum + d.copies - 1, 0);
  return {
    revenueBatch,
    revenueStream,
    revenueDiff: revenueStream - revenueBatch,
    perCountry,
    output: input.committed.length,
    distinctLines: copies.size,
    duplicates,
    duplicateAmount: duplicateList.reduce((sum, d) => sum + d.extraAmount, 0),
    duplicateList,
    missing: missingList.length,
    missingList: missingList.slice(0, 50),
    perPartition,
    processed: perPartition.reduce((sum, p) => sum + p.processed, 0),
    deadLettered: deadLetters.length,
    deadLetterCopies: input.dlq.length - deadLetters.length,
    deadLetters,
  };
}

/** "p2 wrote it (input p1@340) and was killed before committing; p3 resumed partition 1 at offset 300 and wrote it again." */
function explainDuplicate(writers: readonly EventCopy[], stories: readonly IncarnationStory[]): string {
  const parts: string[] = [];
  for (let i = 0; i < writers.length; i += 1) {
    const w = writers[i];
    const story = stories.find((s) => s.incarnation === w.incarnation);
    if (i === 0) {
      parts.push(
        `p${w.incarnation} wrote it from input partition ${w.sourcePartition} offset ${w.sourceOffset} and was ${story?.end ?? 'stopped'} before its offsets were committed`,
      );
    } else {
      const resumed = story?.resumedAt.get(w.sourcePartition);
      parts.push(
        `p${w.incarnation} resumed partition ${w.sourcePartition} at the committed offset ${resumed ?? '?'} and wrote it again`,
      );
    }
  }
  return `${parts.join('; ')}.`;
}
