import type { Command } from 'commander';
import {
  cliNumber,
  invalidOption,
  parseSlowDistribution,
  validateConsumerCount,
  validatePartitionCount,
  validateSlowMs,
  validateSpeedup,
  validateWholeNumber,
} from '../options';
import { replayHeadline, runReplayScenario, type ReplayScenarioResult } from '../scenarios/replay';
import type { ProcessingTime } from '../consume/work';
import { note, printJson } from './output';

export interface ReplayCommandOptions {
  date?: string;
  from?: string;
  to?: string;
  speedup?: number;
  consumers?: number;
  partitions?: number;
  slowMs?: number;
  slowDist?: ProcessingTime;
  scaleTo?: number;
  at?: string;
  input?: string;
  start?: string;
  end?: string;
  json?: boolean;
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description(
      'Replay a trading day by event time (invoice times, sped up) to a group of consumers; lag in messages and seconds, catch-up after scaling, a broker-side witness.',
    )
    .option('--date <YYYY-MM-DD>', 'the trading day to replay (default 2010-12-09)')
    .option('--from <YYYY-MM-DD>', 'first day of a range (with --to)')
    .option('--to <YYYY-MM-DD>', 'last day of a range')
    .option(
      '--speedup <x>',
      'event time runs this many times faster than the wall clock (default 600)',
      cliNumber(validateSpeedup),
    )
    .option('--consumers <n>', 'consumers at the start (default 2)', cliNumber(validateConsumerCount))
    .option('--partitions <n>', 'partitions of the topic (default 6)', cliNumber(validatePartitionCount))
    .option('--slow-ms <ms>', 'processing time per message of every consumer (default 0)', cliNumber(validateSlowMs))
    .option(
      '--slow-dist <dist>',
      'processing time per message drawn from a distribution instead: fixed:MS, exp:MEAN_MS or uniform:MIN-MAX',
      parseSlowDistribution,
    )
    .option(
      '--scale-to <n>',
      'grow the group to this many consumers at --at',
      cliNumber((v) => validateWholeNumber('scaleTo', v, 2)),
    )
    .option('--at <HH:MM>', 'when to grow the group, in event time of the replayed day')
    .option('--input <file>', "a data file instead of the lab's data set (e.g. online-retail-sample.csv)")
    .option('--start <HH:MM>', 'replay only rows from this time of day')
    .option('--end <HH:MM>', 'replay only rows before this time of day')
    .option('--json', 'print one JSON object')
    .action(async (options: ReplayCommandOptions) => {
      if (options.slowMs !== undefined && options.slowDist !== undefined)
        invalidOption('slow-ms/slow-dist', { slowMs: options.slowMs, slowDist: options.slowDist }, 'one of them');
      const result = await runReplayScenario({
        date: options.date,
        from: options.from,
        to: options.to,
        speedup: options.speedup,
        consumers: options.consumers,
        partitions: options.partitions,
        slowMs: options.slowMs,
        processing: options.slowDist,
        scaleTo: options.scaleTo,
        at: options.at,
        input: options.input,
        startTime: options.start,
        endTime: options.end,
      });
      if (options.json) printJson(replayHeadline(result));
      else process.stdout.write(`${replaySummaryText(result)}\n`);
      if (result.missing > 0) {
        note(`${result.missing} messages were never processed.`);
        process.exitCode = 2;
      }
    });
}

/** The human summary of a replay. */
export function replaySummaryText(r: ReplayScenarioResult): string {
  const lines = [
    `Replayed ${r.date}${r.to !== r.from ? ` to ${r.to}` : ''} at ${r.speedup}x: ${r.produced} rows over ${(r.eventSpanSec / 3600).toFixed(2)} h of event time in ${r.wallSec} s; pace error p50 ${r.paceErrorMs.p50} ms, p95 ${r.paceErrorMs.p95} ms, max ${r.paceErrorMs.max} ms (load ${r.loadAverage.join(' ')}).`,
    `${r.consumers} consumer(s)${r.slowMs ? ` at ${r.slowMs} ms a message` : ''}: lag up to ${r.lagMessagesMax} messages, ${r.lagSecondsMax} s (p95 ${r.lagSecondsP95} s); end-to-end p95 ${r.e2eMs.p95} ms.`,
  ];
  if (r.catchUp) {
    lines.push(
      `At ${r.at} the group grew to ${r.scaleTo} with ${r.catchUp.backlogMessages} messages waiting (${r.catchUp.backlogSeconds} s): caught up in ${r.catchUp.actualSec ?? 'never'} s, predicted ${r.catchUp.predictedSec ?? 'never'} s.`,
    );
  }
  lines.push(
    `Produced ${r.produced}, missing ${r.missing}, duplicates ${r.duplicates}, rebalances ${r.rebalances}; witness: ${r.witness.snapshots} snapshots, lag within ${r.witness.agreement.maxAbsDifference} messages of the lab's; ownership changes the snapshots missed: ${r.witness.ownership.missed} of ${r.witness.ownership.labChanges}.`,
  );
  return lines.join('\n');
}
