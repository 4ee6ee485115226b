import type { Command } from 'commander';
import { runChaosScenario, validateScenarioName } from '../scenarios/chaos/index';
import { CHAOS_SCENARIOS, type ChaosReport } from '../chaos/report';
import { note, printJson } from './output';

export function registerChaosCommand(program: Command): void {
  program
    .command('chaos')
    .description(
      'Run a fault scenario against real brokers and account for every message (produced, received, missing, duplicates).',
    )
    .requiredOption('--scenario <name>', `one of: ${CHAOS_SCENARIOS.join(', ')}`)
    .option('--json', 'print one JSON object')
    .action(async (options: { scenario: string; json?: boolean }) => {
      validateScenarioName(options.scenario);
      // Progress goes to stderr, so stdout stays one JSON document with --json.
      const report = await runChaosScenario(options.scenario, { onNote: note });
      if (options.json) printJson(report);
      else process.stdout.write(describeChaos(report));
      if (!report.passed) process.exitCode = 2;
    });
}

/** A few lines a person reads in the terminal. */
export function describeChaos(report: ChaosReport): string {
  return [
    `${report.scenario}: ${report.passed ? 'PASSED' : 'FAILED'} in ${(report.durationMs / 1000).toFixed(1)} s`,
    `produced ${report.produced}, received ${report.received}, missing ${report.missing}, duplicates ${report.duplicates} (expected ${report.expectedDuplicates})`,
    report.explanation,
    '',
  ].join('\n');
}
