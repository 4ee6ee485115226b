import { formatNumber } from '../format';

/**
 * Sentences about a day replay, computed from its figures: what a notebook
 * says under its charts.
 */

export interface ReplayFigures {
  date: string;
  speedup: number;
  produced: number;
  eventSpanSec: number;
  wallSec: number;
  paceErrorMs: { p50: number; p95: number; max: number };
  consumers: number;
  scaleTo: number | null;
  at: string | null;
  slowMs: number | null;
  lagMessagesMax: number;
  lagSecondsMax: number;
  lagSecondsP95: number;
  loadAverage: number[];
  catchUp: {
    backlogMessages: number;
    backlogSeconds: number;
    predictedSec: number | null;
    actualSec: number | null;
    perConsumerRate: number;
    arrivalRate: number;
    rebalanceSec: number;
  } | null;
  series: {
    groupLag: ReadonlyArray<{ at: number; lagSeconds: number }>;
    ordersPerMinute: ReadonlyArray<{ minute: string; rows: number }>;
  };
  startedAt: number;
}

/** The day, its pace and its peak. */
export function describeReplayPace(r: ReplayFigures): string {
  const hours = (r.eventSpanSec / 3600).toFixed(1);
  const peak = [...r.series.ordersPerMinute].sort((a, b) => b.rows - a.rows)[0];
  return (
    `${formatNumber(r.produced)} rows of ${r.date} (${hours} h of trading) were replayed at ${r.speedup}x in ${r.wallSec} s; ` +
    `the busiest invoice minute, ${peak ? `${peak.minute.slice(11)} with ${peak.rows} lines` : 'none'}, left as one burst. ` +
    `Sends left ${r.paceErrorMs.p50} ms after their schedule at the median, ${r.paceErrorMs.p95} ms at p95 and ${r.paceErrorMs.max} ms at worst ` +
    `(load average ${r.loadAverage[0]} on this machine).`
  );
}

/** Where lag peaked, and how the scale-out went against its prediction. */
export function describeReplayLag(r: ReplayFigures): string {
  const worst = [...r.series.groupLag].sort((a, b) => b.lagSeconds - a.lagSeconds)[0];
  const when = worst
    ? ` ${((worst.at - r.startedAt) / 1000).toFixed(1)} s into the replay (about ${eventClock(r, worst.at)})`
    : '';
  const slow = r.slowMs ? ` at ${r.slowMs} ms a message` : '';
  let text = `With ${r.consumers} consumer${r.consumers === 1 ? '' : 's'}${slow}, lag peaked at ${formatNumber(r.lagMessagesMax)} messages and ${r.lagSecondsMax} s${when} (p95 ${r.lagSecondsP95} s).`;
  const c = r.catchUp;
  if (c && r.scaleTo !== null) {
    if (c.backlogMessages === 0) {
      text += ` At ${r.at} nothing was waiting, so growing to ${r.scaleTo} consumers had nothing to catch up.`;
    } else {
      const predicted =
        c.predictedSec === null
          ? 'that it never would (the grown group could not outpace the arrivals)'
          : `${c.predictedSec} s`;
      const actual = c.actualSec === null ? 'it never caught up' : `it cleared it in ${c.actualSec} s`;
      const off =
        c.predictedSec !== null && c.actualSec
          ? ` (${Math.round((100 * Math.abs(c.actualSec - c.predictedSec)) / c.actualSec)}% off)`
          : '';
      text +=
        ` At ${r.at} lag was ${c.backlogMessages} messages (${c.backlogSeconds} s); scaling from ${r.consumers} to ${r.scaleTo} consumers, ${actual}; ` +
        `the prediction (${c.perConsumerRate} msg/s per consumer against ${c.arrivalRate} msg/s arriving, ${c.rebalanceSec} s of rebalance) said ${predicted}${off}.`;
    }
  }
  return text;
}

function eventClock(r: ReplayFigures, at: number): string {
  const minutes = r.series.ordersPerMinute;
  if (minutes.length === 0) return '?';
  const parse = (minute: string) => Date.parse(`${minute.replace(' ', 'T')}:00Z`);
  const shopTime = parse(minutes[0].minute) + (at - r.startedAt) * r.speedup;
  if (shopTime > parse(minutes[minutes.length - 1].minute) + 60_000)
    return 'after the last row, while the group drained';
  return `${new Date(shopTime).toISOString().slice(11, 16)} shop time`;
}

export interface WitnessFigures {
  witness: {
    snapshots: number;
    requestMs: { p95: number };
    agreement: { compared: number; withinTolerance: number; tolerance: number; maxAbsDifference: number };
    ownership: { labChanges: number; seen: number; missed: number };
  };
}

export function describeWitness(r: WitnessFigures, describeToolMs?: number): string {
  const w = r.witness;
  const tool =
    describeToolMs === undefined
      ? ''
      : ` One run of kafka-consumer-groups --describe took ${(describeToolMs / 1000).toFixed(1)} s here (a JVM start), so the witness asks the same questions through the admin API instead.`;
  return (
    `The broker witness took ${w.snapshots} snapshots (requests p95 ${w.requestMs.p95} ms); in ${w.agreement.withinTolerance} of ${w.agreement.compared} its lag lay within ${w.agreement.tolerance} messages ` +
    `(the most a member may have processed and not yet committed) of the lab's own readings around it, the worst ${w.agreement.maxAbsDifference} outside. ` +
    `Of the ${w.ownership.labChanges} ownership changes the lab recorded, one-second snapshots never saw ${w.ownership.missed}.${tool}`
  );
}

export interface PollDeadlineSentenceFigures {
  mode: string;
  rebalances: number;
  duplicates: number;
  distinct: number;
  messages: number;
  finished: boolean;
  wallSec: number;
  processingMs: number;
  sessionTimeoutMs: number;
  largestBatchMs: number;
  commitEvery: number | 'batch';
}

export function describePollDeadline(naive: PollDeadlineSentenceFigures, fixed: PollDeadlineSentenceFigures): string {
  return (
    `Naive: batches of up to ${(naive.largestBatchMs / 1000).toFixed(1)} s of work against a ${naive.sessionTimeoutMs / 1000} s session timeout; in ${naive.wallSec} s the group went through ` +
    `${naive.rebalances} rebalances and processed ${formatNumber(naive.duplicates)} messages again, ${naive.finished ? 'and finished' : 'and never got its commits through'}. ` +
    `Fixed (commit and heartbeat every ${fixed.commitEvery} messages, ${(((fixed.commitEvery as number) * fixed.processingMs) / 1000).toFixed(2)} s of work): ` +
    `${fixed.rebalances} rebalances, ${fixed.duplicates} duplicates, all ${formatNumber(fixed.messages)} messages done in ${fixed.wallSec} s.`
  );
}
