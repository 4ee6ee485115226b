import type { Command } from 'commander';
import { DEFAULTS, invalidOption } from '../options';
import { runExperiment } from '../scenarios/basicRun';
import { describeRun } from './runCommand';
import { jupyterLabProblem, serveUntilInterrupted, startJupyterLab } from './jupyterLab';
import { note } from './output';

/** Set to 1 (or pass --no-lab) to run the experiment only, for CI and scripts. */
export const NO_LAB_ENV = 'KAFKA_LAB_NO_LAB';

/**
 * `npm start`: the main job on the embedded default. Starts the local broker
 * when no cluster is configured, runs one default experiment, prints its
 * summary, then serves JupyterLab on notebooks/ with the tslab kernel until
 * Ctrl-C (unless --no-lab or KAFKA_LAB_NO_LAB=1).
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'Start the local broker (unless a cluster is configured), run one default experiment with 3 consumers, then open JupyterLab on notebooks/ (Ctrl-C stops it).',
    )
    .option('--no-lab', `run the experiment only, without JupyterLab (also: ${NO_LAB_ENV}=1)`)
    .option('--lab-port <port>', 'port for JupyterLab on 127.0.0.1 (default: a free one)')
    .action(async (options: { lab: boolean; labPort?: string }) => {
      const labPort = options.labPort === undefined ? undefined : Number(options.labPort);
      if (labPort !== undefined && !(Number.isInteger(labPort) && labPort > 0 && labPort < 65536)) {
        invalidOption('--lab-port', options.labPort, 'a port number from 1 to 65535');
      }
      note(
        `Running ${DEFAULTS.rows.toLocaleString('en-US')} retail rows through a ${DEFAULTS.partitions}-partition topic to ${DEFAULTS.consumers} consumers...`,
      );
      const summary = await runExperiment({});
      process.stdout.write(describeRun(summary));

      const env = process.env[NO_LAB_ENV];
      if (!options.lab || (env !== undefined && env !== '' && env !== '0' && env !== 'false')) return;
      const problem = jupyterLabProblem();
      if (problem) {
        note(problem);
        return;
      }
      note('Starting JupyterLab on notebooks/ with the tslab TypeScript kernel...');
      const lab = await startJupyterLab({ port: labPort });
      process.stdout.write(`\nJupyterLab is serving notebooks/ at:\n  ${lab.url}\n`);
      note(
        `Open the URL in a browser, pick a notebook, Run > Run All Cells. Jupyter's log: ${lab.logFile}. Ctrl-C stops it.`,
      );
      await serveUntilInterrupted(lab, (signal) => note(`\n${signal}: stopping JupyterLab...`));
      note('JupyterLab stopped.');
    });
}
