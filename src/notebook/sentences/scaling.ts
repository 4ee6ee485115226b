import type { ConsumerTime, ScaleStep, ScalingScenarioResult } from '../../scenarios/scaling';
import { formatNumber, plural } from '../format';
import type { ReceivedRecord } from '../types';

/** Sentences of notebook 03 (scaling a group while the stream runs), computed from the data. */

/** What scaling did: peak size, idle consumers, the slowest settle. */
export function describeScaling(steps: readonly ScaleStep[], partitions: number, times: readonly ConsumerTime[] = []): string {
  if (steps.length === 0) return 'The group was not scaled.';
  const peak = Math.max(...steps.map((step) => step.consumers));
  const changes = steps.slice(1);
  const settle = changes.map((step) => step.settleMs).sort((a, b) => a - b);
  const slowest = changes.reduce((a, b) => (b.settleMs > a.settleMs ? b : a), changes[0] ?? steps[0]);
  let sentence = `The group went from ${steps[0].consumers} to ${peak} consumer${peak === 1 ? '' : 's'} and back to ${steps[steps.length - 1].consumers} in ${plural(changes.length, 'step')} over a topic with ${plural(partitions, 'partition')}.`;
  if (changes.length) {
    sentence += ` Each change took ${formatNumber(settle[Math.floor(settle.length / 2)] / 1000)} s (median) to settle into a new assignment; the slowest was ${slowest.action} (${formatNumber(slowest.settleMs / 1000)} s).`;
  }
  const idle = times.filter((time) => time.ownedS === 0);
  if (peak > partitions) {
    sentence += ` With ${plural(peak, 'consumer')} for ${plural(partitions, 'partition')}, ${peak - partitions} had to sit idle at the peak`;
    const atPeak = steps.find((step) => step.consumers === peak)?.idle;
    sentence += atPeak ? ` (${atPeak})` : '';
    sentence += idle.length
      ? `; ${idle.map((time) => time.consumer).join(', ')} never owned a partition and received ${formatNumber(idle.reduce((sum, time) => sum + time.messages, 0))} messages.`
      : '. Which ones is up to the assignor at each rebalance, so an idle consumer may get partitions back when another leaves.';
  }
  return sentence;
}

/** The stream's rate versus what each consumer handled at its busiest second. */
export function describeThroughput(records: readonly Pick<ReceivedRecord, 'consumer' | 'receivedAt'>[], options: { t0?: number; bucketMs?: number } = {}): string {
  if (records.length === 0) return 'Nothing was received.';
  const bucketMs = options.bucketMs ?? 1000;
  const t0 = options.t0 ?? Math.min(...records.map((record) => record.receivedAt));
  const perBucket = new Map<string, Map<number, number>>();
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const record of records) {
    const bucket = Math.floor((record.receivedAt - t0) / bucketMs);
    const own = perBucket.get(record.consumer) ?? new Map<number, number>();
    own.set(bucket, (own.get(bucket) ?? 0) + 1);
    perBucket.set(record.consumer, own);
    first = Math.min(first, record.receivedAt);
    last = Math.max(last, record.receivedAt);
  }
  const overall = (records.length * 1000) / Math.max(1, last - first);
  const peaks = [...perBucket.entries()].map(([consumer, buckets]) => {
    const [bucket, count] = [...buckets.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
    return { consumer, at: (bucket * bucketMs) / 1000, rate: (count * 1000) / bucketMs };
  });
  const busiest = peaks.reduce((a, b) => (b.rate > a.rate ? b : a));
  return (
    `The group as a whole took in ${formatNumber(Math.round(overall))} messages per second on average; ` +
    `the busiest single consumer was ${busiest.consumer} with ${formatNumber(Math.round(busiest.rate))} msg/s around ${formatNumber(busiest.at)} s. ` +
    `Each added consumer takes a share of the same stream, so per-consumer rates drop as the group grows and rise again as it shrinks.`
  );
}

/** What streams into the scaling scenario's topic, and who owns what at the start. */
export function describeScalingStart(result: Pick<ScalingScenarioResult, 'rowCount' | 'topic' | 'partitions' | 'key' | 'ratePerSec' | 'start'>): string {
  const first = result.start[0];
  const owns = first ? `; ${first.id} owns ${first.partitions.map((p) => `p${p}`).join(' ')}` : '';
  return `Streaming ${formatNumber(result.rowCount)} retail rows (repeated) into ${result.topic} (${result.partitions} partitions, keyed by ${result.key}) at ${formatNumber(result.ratePerSec)} msg/s${owns}.`;
}

/** How much was produced while the group changed. */
export function describeScalingStream(result: Pick<ScalingScenarioResult, 'produced' | 'produceDurationMs' | 'steps'>): string {
  return `Produced ${formatNumber(result.produced)} messages in ${(result.produceDurationMs / 1000).toFixed(1)} s while the group changed ${result.steps.length - 1} times.`;
}
