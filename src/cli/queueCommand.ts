import type { Command } from 'commander';
import { invalidOption } from '../errors';
import { keyStrategies, type KeyStrategy } from '../produce/keyStrategy';
import { GROUP_TYPES, QUEUE_DEFAULTS, queueHeadline, runQueueScenario, type GroupType } from '../scenarios/queue';
import { note, printJson, writeJsonFile } from './output';

function wholeNumber(name: string, min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) invalidOption(name, value, `a whole number of at least ${min}`);
    return parsed;
  };
}

function groupType(value: string): GroupType {
  if (!GROUP_TYPES.includes(value as GroupType)) invalidOption('--group-type', value, GROUP_TYPES.join(' or '));
  return value as GroupType;
}

function key(value: string): KeyStrategy {
  if (!keyStrategies.includes(value as KeyStrategy)) invalidOption('--key', value, keyStrategies.join(', '));
  return value as KeyStrategy;
}

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
    .description('Queues versus logs: N consumers on P partitions as a share group (KIP-932) or a consumer group, on Kafka\'s Java client; optionally kill members mid-stream.')
    .option('--consumers <n>', 'members of the group', wholeNumber('--consumers', 1), QUEUE_DEFAULTS.consumers)
    .option('--partitions <n>', 'partitions of the topic', wholeNumber('--partitions', 1), QUEUE_DEFAULTS.partitions)
    .option('--rows <n>', 'retail rows to send', wholeNumber('--rows', 1), QUEUE_DEFAULTS.rows)
    .option('--group-type <type>', 'share or consumer', groupType, QUEUE_DEFAULTS.groupType)
    .option('--kill <n>', 'members to kill with SIGKILL mid-stream', wholeNumber('--kill', 0), QUEUE_DEFAULTS.kill)
    .option('--key <key>', `message key: ${keyStrategies.join(', ')}`, key, QUEUE_DEFAULTS.key)
    .option('--rate <n>', 'messages per second', wholeNumber('--rate', 1), QUEUE_DEFAULTS.ratePerSec)
    .option('--lock-timeout <ms>', 'share groups: record lock duration (share.record.lock.duration.ms)', wholeNumber('--lock-timeout', 1000), QUEUE_DEFAULTS.lockTimeoutMs)
    .option('--json', 'print one JSON object')
    .option('--out <file>', 'also write the JSON object to this file (e.g. docs/results/queue-share.json)')
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
          process.stdout.write(`  ${c.id.padEnd(12)} partitions [${c.partitions.join(', ')}]`.padEnd(40) + `received ${c.received}${c.killed ? ' (killed)' : ''}\n`);
        }
      }
      if (headline.missing > 0) process.exitCode = 2;
    });
}
