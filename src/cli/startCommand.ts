import type { Command } from 'commander';
import { runExperiment } from '../run/experiment';
import { describeRun } from './runCommand';
import { note } from './output';

/**
 * `npm start`: the main job on the embedded default. Starts the local broker
 * when no cluster is configured, runs one default experiment, prints its summary.
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Start the local broker (unless a cluster is configured) and run one default experiment with 3 consumers.')
    .action(async () => {
      note('Running 5,000 retail rows through a 6-partition topic to 3 consumers...');
      const summary = await runExperiment({ consumers: 3, partitions: 6, rows: 5_000 });
      process.stdout.write(describeRun(summary));
    });
}
