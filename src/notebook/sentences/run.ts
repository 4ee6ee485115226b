import type { KeyOrderReport } from '../../observe/keyOrder';
import { readGroupTimeline } from '../../observe/groupTimeline';
import type { PartitionLoad } from '../charts/partitionLoad';
import { formatNumber, formatPercent, naturalCompare } from '../format';
import type { GroupEvent, LagSample, ReceivedRecord } from '../types';

/**
 * Sentences of interpretation, computed from the data (never written in
 * advance), so a notebook can say what happened in this run.
 */

/** How the messages spread over the consumers, naming idle ones. */
export function describeSpread(records: readonly Pick<ReceivedRecord, 'consumer' | 'partition'>[], consumers?: readonly string[]): string {
  const ids = [...new Set([...(consumers ?? []), ...records.map((record) => record.consumer)])].sort(naturalCompare);
  if (ids.length === 0) return 'No consumer received anything.';
  const counts = new Map<string, { messages: number; partitions: Set<number> }>();
  for (const id of ids) counts.set(id, { messages: 0, partitions: new Set() });
  for (const record of records) {
    const entry = counts.get(record.consumer)!;
    entry.messages += 1;
    entry.partitions.add(record.partition);
  }
  const total = records.length;
  const busy = ids.filter((id) => counts.get(id)!.messages > 0);
  const idle = ids.filter((id) => counts.get(id)!.messages === 0);
  const shares = busy.map((id) => counts.get(id)!.messages);
  const parts = busy.map((id) => {
    const entry = counts.get(id)!;
    const partitions = [...entry.partitions].sort((a, b) => a - b);
    return `${id} ${formatNumber(entry.messages)} (${formatPercent(entry.messages / total)}, partition${partitions.length === 1 ? '' : 's'} ${partitions.join(', ')})`;
  });
  let sentence = `${ids.length} consumer${ids.length === 1 ? '' : 's'} received ${formatNumber(total)} messages: ${parts.join('; ')}.`;
  if (busy.length > 1) {
    const ratio = Math.max(...shares) / Math.min(...shares);
    sentence += ratio < 1.2 ? ' The load is close to even.' : ` The busiest consumer got ${ratio.toFixed(1)}× as many as the least busy one, because partitions carry different amounts of data.`;
  }
  if (idle.length) {
    sentence += ` ${idle.join(', ')} received nothing: a partition goes to at most one consumer of a group, so consumers beyond the partition count stay idle.`;
  }
  return sentence;
}

/** What the produced-versus-received accounting says. */
export function describeAccounting(accounting: { produced: number; received: number; missing: number; duplicates: number }): string {
  const { produced, received, missing, duplicates } = accounting;
  if (missing === 0 && duplicates === 0) {
    return `All ${formatNumber(produced)} produced messages arrived exactly once (${formatNumber(received)} received, none missing, no duplicates).`;
  }
  const parts = [`${formatNumber(produced)} produced, ${formatNumber(received)} received`];
  if (missing) parts.push(`${formatNumber(missing)} missing (${formatPercent(missing / Math.max(1, produced))})`);
  if (duplicates) parts.push(`${formatNumber(duplicates)} delivered more than once`);
  return `${parts.join('; ')}.`;
}

/** Rebalances and who sat idle, from group events. */
export function describeOwnership(events: readonly GroupEvent[], end?: number): string {
  const { windows, spans: intervals, consumers } = readGroupTimeline(events, { end });
  const idle = [...new Set(intervals.filter((interval) => interval.partitions.length === 0).map((interval) => interval.consumer))].sort(naturalCompare);
  const paused = windows.reduce((sum, window) => sum + (window.end - window.start), 0);
  let sentence = `${consumers.length} consumer${consumers.length === 1 ? '' : 's'} took part; the group rebalanced ${windows.length} time${windows.length === 1 ? '' : 's'}`;
  sentence += windows.length ? `, spending ${(paused / 1000).toFixed(2)} s in rebalances in total (${(paused / windows.length / 1000).toFixed(2)} s on average), during which the eager protocol revokes every partition.` : '.';
  if (idle.length) sentence += ` ${idle.join(', ')} ${idle.length === 1 ? 'was' : 'were'} idle at some point, owning no partition.`;
  return sentence;
}

/** The peak and the final lag. */
export function describeLag(samples: readonly LagSample[]): string {
  if (samples.length === 0) return 'No lag samples were taken.';
  const totals = new Map<number, number>();
  for (const sample of samples) totals.set(sample.at, (totals.get(sample.at) ?? 0) + sample.lag);
  const times = [...totals.keys()].sort((a, b) => a - b);
  const t0 = times[0];
  let peakAt = t0;
  for (const at of times) if (totals.get(at)! > totals.get(peakAt)!) peakAt = at;
  const last = totals.get(times[times.length - 1])!;
  return (
    `Total lag peaked at ${formatNumber(totals.get(peakAt)!)} messages ${((peakAt - t0) / 1000).toFixed(1)} s after sampling began` +
    (last === 0 ? ' and was back to 0 at the end: the consumers caught up.' : ` and was ${formatNumber(last)} at the last sample.`)
  );
}

/** How uneven the load over partitions is, per series. */
export function describePartitionLoad(loads: readonly PartitionLoad[]): string {
  const series = [...new Set(loads.map((load) => load.series ?? 'messages'))];
  const sentences = series.map((name) => {
    const own = loads.filter((load) => (load.series ?? 'messages') === name);
    const total = own.reduce((sum, load) => sum + load.messages, 0);
    if (own.length === 0 || total === 0) return `${name}: no messages.`;
    const hottest = own.reduce((a, b) => (b.messages > a.messages ? b : a));
    const mean = total / own.length;
    const ratio = hottest.messages / mean;
    return `${name}: the busiest partition p${hottest.partition} holds ${formatPercent(hottest.messages / total)} of ${formatNumber(total)} messages, ${ratio.toFixed(1)}× the mean${ratio >= 1.5 ? ' (a hot partition)' : ''}.`;
  });
  return sentences.join(' ');
}

/** What the key-order check found. */
export function describeKeyOrder(report: KeyOrderReport): string {
  let sentence =
    report.outOfOrder === 0 && report.producedOutOfOrder === 0
      ? `Checked ${formatNumber(report.messages)} keyed messages over ${formatNumber(report.keys)} keys: within each partition every key arrived in offset and produce order.`
      : `Checked ${formatNumber(report.messages)} keyed messages: ${report.outOfOrder} went backwards in offset and ${report.producedOutOfOrder} in produce time within a partition.`;
  if (report.keysOnSeveralPartitions) {
    sentence += ` ${formatNumber(report.keysOnSeveralPartitions)} key${report.keysOnSeveralPartitions === 1 ? '' : 's'} (e.g. ${report.examples.join(', ')}) landed in more than one partition, so their order across partitions is no longer guaranteed.`;
  }
  return sentence;
}

/** Whether a key keeps each country on few consumers. */
export function describeCountryMix(records: readonly Pick<ReceivedRecord, 'consumer' | 'value'>[]): string {
  const consumersOf = new Map<string, Set<string>>();
  for (const record of records) {
    const value = record.value as { country?: unknown } | undefined;
    const country = value && typeof value.country === 'string' ? value.country : 'unknown';
    const set = consumersOf.get(country) ?? new Set<string>();
    set.add(record.consumer);
    consumersOf.set(country, set);
  }
  const consumers = new Set(records.map((record) => record.consumer)).size;
  if (consumersOf.size === 0) return 'No messages to look at.';
  const everywhere = [...consumersOf.values()].filter((set) => set.size === consumers).length;
  const single = [...consumersOf.values()].filter((set) => set.size === 1).length;
  return `Of ${consumersOf.size} countries, ${everywhere} reached every consumer and ${single} reached only one: a key sends all messages of one key to one partition, so a country appears wherever its customers' (or invoices') keys hash.`;
}

/**
 * When messages arrived and how long each took from produce to receive. The
 * sentence says what that time measures: with `consumersReadyAt` (when every
 * partition first had a consumer, `group.readyAt`) it is delivery latency for
 * messages produced after that, and the time the others waited in the topic is
 * reported apart; without it the sentence says the figure may include waiting.
 */
export function describeTimeline(
  records: readonly Pick<ReceivedRecord, 'producedAt' | 'receivedAt'>[],
  options: { consumersReadyAt?: number } = {},
): string {
  if (records.length === 0) return 'Nothing was received.';
  const ready = options.consumersReadyAt;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  let waited = 0;
  let longestWaitMs = 0;
  const latencies: number[] = [];
  for (const record of records) {
    first = Math.min(first, record.receivedAt);
    last = Math.max(last, record.receivedAt);
    // A message produced before the consumers were ready is delivered from the moment they were.
    const from = ready !== undefined && record.producedAt < ready ? ready : record.producedAt;
    if (from !== record.producedAt) {
      waited += 1;
      longestWaitMs = Math.max(longestWaitMs, from - record.producedAt);
    }
    latencies.push(record.receivedAt - from);
  }
  latencies.sort((a, b) => a - b);
  const median = formatNumber(Math.round(latencies[Math.floor(latencies.length / 2)]));
  const p99 = formatNumber(Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]));
  const arrived = `Messages arrived over ${((last - first) / 1000).toFixed(2)} s`;
  if (ready === undefined) {
    return `${arrived}; the median time from produce to receive was ${median} ms (99th percentile ${p99} ms), including any time a message waited in the topic before its consumer started.`;
  }
  if (waited === 0) {
    return (
      `${arrived}. The consumers were running before the first message was produced, so no message waited for a consumer: ` +
      `from the producer sending a message's batch to a consumer receiving it took ${median} ms at the median (99th percentile ${p99} ms).`
    );
  }
  return (
    `${arrived}. ${formatNumber(waited)} of ${formatNumber(records.length)} messages were produced before the consumers were ready and waited in the topic for up to ${(longestWaitMs / 1000).toFixed(1)} s; ` +
    `counting from produce, or for those from when the consumers were ready, delivery took ${median} ms at the median (99th percentile ${p99} ms).`
  );
}
