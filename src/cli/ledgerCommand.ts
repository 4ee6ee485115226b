import type { Command } from 'commander';
import { formatPounds } from '../ledger/money';
import {
  cliChoice,
  cliNumber,
  DEFAULTS,
  GUARANTEES,
  validateGuarantee,
  validateKillCount,
  validateKillEvery,
  validatePartitionCount,
  validatePoisonCount,
  validateRowCount,
} from '../options';
import { runLedger, validateLedgerOptions, type LedgerOptions, type LedgerResult } from '../scenarios/ledger';
import { note, printJson } from './output';

export function registerLedgerCommand(program: Command): void {
  program
    .command('ledger')
    .description(
      'Run order lines through a consume-transform-produce processor that is killed and restarted, then compare batch and stream revenue to the tenth of a penny.',
    )
    .requiredOption('--guarantee <guarantee>', GUARANTEES.join(' or '), cliChoice(validateGuarantee))
    .option(
      '--kills <n>',
      'SIGKILL the processor N times, at evenly spaced points of the input',
      cliNumber(validateKillCount),
    )
    .option('--kill-every <seconds>', 'or SIGKILL it every S seconds of processing', cliNumber(validateKillEvery))
    .option('--rows <n>', 'the first N cleaned rows (default: all of the data set)', cliNumber(validateRowCount))
    .option('--input <file>', "a data set file (any layout the lab reads); default: the lab's data set")
    .option(
      '--partitions <n>',
      `partitions of the input and output topics (default ${DEFAULTS.ledger.partitions})`,
      cliNumber(validatePartitionCount),
    )
    .option(
      '--poison <n>',
      `poison messages to dead-letter (default ${DEFAULTS.ledger.poison})`,
      cliNumber(validatePoisonCount),
    )
    .option('--no-zombie', 'exactly-once: skip the zombie-fencing demonstration')
    .option('--verify', "also sum the output with Kafka's console consumer (isolation.level=read_committed)")
    .option('--json', 'print one JSON object')
    .action(
      async (flags: {
        guarantee: string;
        kills?: number;
        killEvery?: number;
        rows?: number;
        input?: string;
        partitions?: number;
        poison?: number;
        zombie: boolean;
        verify?: boolean;
        json?: boolean;
      }) => {
        const options: LedgerOptions = {
          guarantee: flags.guarantee,
          kills: flags.kills,
          killEverySeconds: flags.killEvery,
          rows: flags.rows,
          input: flags.input,
          partitions: flags.partitions,
          poison: flags.poison,
          zombie: flags.zombie,
          verify: flags.verify,
          onNote: note,
        };
        validateLedgerOptions(options); // the combinations (--kills with --kill-every) before any connection
        const result = await runLedger(options);
        if (flags.json) printJson(result);
        else process.stdout.write(describeLedger(result));
        const broken =
          result.guarantee === 'exactly-once' &&
          (result.revenueDiff !== 0 || result.duplicates !== 0 || result.missing !== 0);
        if (broken || result.independentReader?.agrees === false) process.exitCode = 2;
      },
    );
}

/** A few lines a person reads in the terminal. */
export function describeLedger(r: LedgerResult): string {
  return [
    `${r.guarantee} (${r.client}): ${r.input} input messages = ${r.processed} processed + ${r.deadLettered} dead-lettered; ${r.processorKills} kills, ${r.abortedTransactions} aborted transactions, ${r.fenced} fenced, ${r.reRead} re-read`,
    `revenue batch ${formatPounds(r.revenueBatch)}, stream ${formatPounds(r.revenueStream)}, diff ${formatPounds(r.revenueDiff)}; ${r.duplicates} duplicates (${formatPounds(r.duplicateAmount)}), ${r.missing} missing`,
    ...(r.independentReader
      ? [
          `kafka-console-consumer (read_committed): ${r.independentReader.events} events, ${formatPounds(r.independentReader.revenue)}${r.independentReader.agrees ? ', the same' : ', NOT the same'}`,
        ]
      : []),
    ...r.duplicateList
      .slice(0, 5)
      .map(
        (d) =>
          `  duplicate ${d.invoice}/${d.line} ${d.country} ${formatPounds(d.amount)} x${d.copies}: ${d.explanation}`,
      ),
    '',
  ].join('\n');
}
