import type { Command } from 'commander';
import {
  cliChoice,
  cliNumber,
  DEFAULTS,
  KEY_STRATEGIES,
  validateConsumerCount,
  validateGroupType,
  validateKeyStrategy,
  validateLockTimeout,
  validatePartitionCount,
  validateRate,
  validateRowCount,
  validateWholeNumber,
  type GroupType,
  type KeyStrategy,
} from '../options';
import { queueHeadline, runQueueScenario } from '../scenarios/queue';
import { note, printJson, writeJsonFile } from './output';

interface QueueCommandOptions {
  consumers: number;
  partitions: number;
  rows: number;
  groupType: GroupType;
  kill: number;
  key: KeyStrategy;
  rate: number;
  lockTimeout: number;
  json?: boolean;
  out?: string;
}

export function registerQueueCommand(program: Command): void {
  program
    .command('queue')
    .description(
      "Queues versus logs: N consumers on P partitions as a share group (KIP-932) or a consumer group, on Kafka's Java client; optionally kill members mid-stream.",
    )
    .option('--consumers <n>', 'members of the group', cliNumber(validateConsumerCount), DEFAULTS.queue.consumers)
    .option('--partitions <n>', 'partitions of the topic', cliNumber(validatePartitionCount), DEFAULTS.queue.partitions)
    .option('--rows <n>', 'retail rows to send', cliNumber(validateRowCount), DEFAULTS.queue.rows)
    .option('--group-type <type>', 'share or consumer', cliChoice(validateGroupType), DEFAULTS.queue.groupType)
    .option(
      '--kill <n>',
      'members to kill with SIGKILL mid-stream (checked against --consumers by the scenario)',
      cliNumber((kill) => validateWholeNumber('kill', kill, 0)),
      DEFAULTS.queue.kill,
    )
    .option(
      '--key <key>',
      `message key: ${KEY_STRATEGIES.join(', ')}`,
      cliChoice(validateKeyStrategy),
      DEFAULTS.queue.key,
    )
    .option(
      '--rate <n>',
      'messages per second',
      cliNumber((rate) => validateRate('rate', rate)),
      DEFAULTS.queue.ratePerSec,
    )
    .option(
      '--lock-timeout <ms>',
      'share groups: record lock duration (share.record.lock.duration.ms)',
      cliNumber(validateLockTimeout),
      DEFAULTS.queue.lockTimeoutMs,
    )
    .option('--json', 'print one JSON object')
    .option(
      '--out <file>',
      'also write the JSON object to this file (README figures are recorded with scripts/recordResults.ts instead, which adds the command and date)',
    )
    .action(async (options: QueueCommandOptions) => {
      const result = await runQueueScenario({
        groupType: options.groupType,
        consumers: options.consumers,
        partitions: options.partitions,
        rows: options.rows,
        kill: options.kill,
        key: options.key,
        ratePerSec: options.rate,
        lockTimeoutMs: options.lockTimeout,
        onStep: (step) => note(`[queue, ${options.groupType}] ${step}`),
      });
      const headline = queueHeadline(result);
      if (options.out) writeJsonFile(options.out, headline);
      if (options.json) {
        printJson(headline);
      } else {
        const h = headline;
        process.stdout.write(
          `${h.groupType} group, ${h.consumers.length} consumers on ${h.partitions} partitions: produced ${h.produced}, received ${h.received}, ` +
            `missing ${h.missing}, duplicates ${h.duplicates}, redelivered ${h.redelivered} (max delivery count ${h.maxDeliveryCount}), ` +
            `idle consumers ${h.idleConsumers}, per-key order violations ${h.orderViolations.count}${h.killed.length ? `; killed ${h.killed.join(', ')}` : ''}\n`,
        );
        for (const c of h.consumers) {
          const where = `  ${c.id.padEnd(12)} partitions [${c.partitions.join(', ')}]`.padEnd(40);
          process.stdout.write(`${where}received ${c.received}${c.killed ? ' (killed)' : ''}\n`);
        }
      }
      if (headline.missing > 0) process.exitCode = 2;
    });
}
