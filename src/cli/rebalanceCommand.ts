import type { Command } from 'commander';
import {
  cliChoice,
  cliNumber,
  DEFAULTS,
  validatePartitionCount,
  validateProtocol,
  validateRate,
  validateRebalanceConsumers,
  type GroupProtocol,
} from '../options';
import { rebalanceHeadline, runRebalanceScenario } from '../scenarios/groupProtocols';
import { plural } from '../notebook/format';
import { note, printJson } from './output';

export interface RebalanceCommandOptions {
  protocol: GroupProtocol;
  static?: boolean;
  consumers: number;
  partitions: number;
  rate: number;
  json?: boolean;
}

export function registerRebalanceCommand(program: Command): void {
  program
    .command('rebalance')
    .description('Run the group-protocol scenario (consumers join one at a time, one leaves, one restarts) on a steady stream; measure every rebalance.')
    .requiredOption('--protocol <protocol>', `eager, cooperative-sticky or consumer (KIP-848)`, cliChoice(validateProtocol))
    .option('--static', 'static membership (group.instance.id): a restart within the session timeout causes no rebalance')
    .option('--consumers <n>', 'consumers at the peak (at least 2)', cliNumber(validateRebalanceConsumers), DEFAULTS.rebalance.consumers)
    .option('--partitions <n>', 'partitions of the topic', cliNumber(validatePartitionCount), DEFAULTS.rebalance.partitions)
    .option('--rate <n>', 'messages per second of the steady stream', cliNumber((rate) => validateRate('rate', rate)), DEFAULTS.rebalance.ratePerSec)
    .option('--json', 'print one JSON object')
    .action(async (options: RebalanceCommandOptions) => {
      const result = await runRebalanceScenario({
        protocol: options.protocol,
        staticMembership: options.static ?? false,
        consumers: options.consumers,
        partitions: options.partitions,
        ratePerSec: options.rate,
        onStep: (step) => note(`[${options.protocol}${options.static ? ', static' : ''}] ${step}`),
      });
      const headline = rebalanceHeadline(result);
      if (options.json) {
        printJson({
          ...headline,
          topic: result.topic,
          groupId: result.groupId,
          steps: result.steps.map((s) => ({ step: s.step, atMs: s.at - result.startedAt })),
          rebalanceList: result.records.map((r) => ({
            index: r.index,
            atMs: r.start - result.startedAt,
            durationMs: r.durationMs,
            isRebalance: r.isRebalance,
            trigger: r.trigger,
            lost: r.lost,
            gained: r.gained,
            moved: r.moved,
            pauses: r.pauses.map((p) => ({ partition: p.partition, ms: p.ms })),
            processedDuringWindow: r.processedDuringWindow,
          })),
        });
      } else {
        process.stdout.write(
          `${headline.protocol}${headline.static ? ' (static)' : ''} via ${headline.client}: ${plural(headline.rebalances, 'rebalance')}, ` +
            `${plural(headline.partitionsMoved, 'partition')} moved (${headline.partitionsRevoked} revoked), pause total ${headline.pauseMsTotal} ms, ` +
            `p95 ${headline.pauseMsP95} ms, max ${headline.pauseMsMax} ms; produced ${headline.produced}, missing ${headline.missing}, duplicates ${headline.duplicates}\n`,
        );
      }
      if (headline.missing > 0) process.exitCode = 2;
    });
}
