import type { Command } from 'commander';
import {
  cliChoice,
  cliNumber,
  DEFAULTS,
  KEY_STRATEGIES,
  validateCommitMode,
  validateConsumerCount,
  validateKeyStrategy,
  validatePartitionCount,
  validateRowCount,
  validateStartFrom,
  type KeyStrategy,
} from '../options';
import { runExperiment, type ExperimentSummary } from '../scenarios/basicRun';
import { formatRate, plural } from '../notebook/format';
import { note, printJson } from './output';
import { wholeNumber } from './options';

export interface RunCommandOptions {
  consumers: number;
  partitions: number;
  rows?: number;
  key: KeyStrategy;
  from: 'earliest' | 'latest';
  commit: 'auto' | 'after-processing';
  timeout: number;
  input?: string;
  json?: boolean;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Produce retail rows to a fresh topic and consume them with N consumers in one group; report who got what.')
    .option('--consumers <n>', 'consumers in the group (1-100)', cliNumber(validateConsumerCount), DEFAULTS.consumers)
    .option('--partitions <n>', 'partitions of the topic (1-1000)', cliNumber(validatePartitionCount), DEFAULTS.partitions)
    .option('--input <file>', 'csv or xlsx file in any layout the lab reads (default: the data set the lab uses: dataset/ or the generated default)')
    // No commander default: a count the user gave that the data cannot fill gets a note, the default does not.
    .option('--rows <n>', `rows of the cleaned data set to send (default: ${DEFAULTS.rows}; all of them, with a note, if it has fewer)`, cliNumber(validateRowCount))
    .option('--key <strategy>', `message key: ${KEY_STRATEGIES.join(', ')}`, cliChoice(validateKeyStrategy), DEFAULTS.runKey)
    .option('--from <position>', 'where a new group starts: earliest or latest', cliChoice(validateStartFrom), DEFAULTS.from)
    .option('--commit <mode>', 'auto or after-processing', cliChoice(validateCommitMode), DEFAULTS.commit)
    .option('--timeout <seconds>', 'give up waiting for messages after this long', wholeNumber('--timeout', 1), DEFAULTS.receiveTimeoutMs / 1000)
    .option('--json', 'print one JSON object')
    .action(async (options: RunCommandOptions) => {
      const summary = await runExperiment({
        consumers: options.consumers,
        partitions: options.partitions,
        rows: options.rows,
        input: options.input,
        key: options.key,
        from: options.from,
        commit: options.commit,
        timeoutMs: options.timeout * 1000,
        // On stderr in both modes, as soon as it is known; the JSON carries it in `notes` too.
        onNote: (message) => note(`Note: ${message}`),
        onProgress: options.json
          ? undefined
          : (p) => {
              const rate = formatRate(p.produced, p.elapsedMs, 'msg/s');
              note(`produced ${p.produced}${p.total ? `/${p.total}` : ''}${rate ? ` (${rate})` : ''}`);
            },
      });
      if (options.json) printJson(jsonSummary(summary));
      else process.stdout.write(describeRun(summary));
      if (summary.missing > 0 || summary.timedOut) process.exitCode = 2;
    });
}

/** The `--json` shape: the headline figures first, the detail after. */
export function jsonSummary(summary: ExperimentSummary) {
  return {
    topic: summary.topic,
    groupId: summary.groupId,
    partitions: summary.partitions,
    key: summary.key,
    from: summary.from,
    commit: summary.commit,
    produced: summary.produced,
    received: summary.received,
    missing: summary.missing,
    duplicates: summary.duplicates,
    consumers: summary.consumers.map((c) => ({ id: c.id, partitions: c.partitions, received: c.received, idle: c.idle })),
    idleConsumers: summary.idleConsumers,
    produceMsgsPerSec: summary.produceMsgsPerSec,
    endToEndMs: summary.endToEndMs,
    timedOut: summary.timedOut,
    notes: summary.notes,
    perPartition: summary.accounting.perPartition,
    connection: summary.connection,
    dataset: summary.dataset,
  };
}

/** A few lines a person reads in the terminal. */
export function describeRun(summary: ExperimentSummary): string {
  const lines = [
    `Data: ${summary.dataset.rows} cleaned rows of ${{ generated: 'the generated default', 'dataset-folder': 'your download', input: 'the given file' }[summary.dataset.source]} (${summary.dataset.file})` +
      (summary.dataset.requestedRows !== null && summary.dataset.rows < summary.dataset.requestedRows ? `: all it has, ${summary.dataset.requestedRows} were asked for` : ''),
    `Topic ${summary.topic} (${plural(summary.partitions, 'partition')}, key ${summary.key}), group ${summary.groupId}, via ${summary.connection}`,
    `Produced ${summary.produced}, received ${summary.received}, missing ${summary.missing}, duplicates ${summary.duplicates}` +
      ` (produce ${summary.produceMsgsPerSec} msg/s, last message after ${(summary.endToEndMs / 1000).toFixed(1)} s)${summary.timedOut ? ' TIMED OUT' : ''}`,
    ...summary.consumers.map(
      (c) => {
        const owner = `  ${c.id.padEnd(12)} partitions [${c.partitions.join(', ')}]`;
        return `${owner.padEnd(44)}received ${c.received}${c.idle ? '  (idle: owns no partition)' : ''}`;
      },
    ),
  ];
  if (summary.idleConsumers.length > 0) {
    lines.push(`${plural(summary.idleConsumers.length, 'consumer')} idle: a group cannot use more consumers than the topic has partitions (${summary.partitions}).`);
  }
  return `${lines.join('\n')}\n`;
}
