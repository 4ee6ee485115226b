import { Command, CommanderError } from 'commander';
import { redactSecrets } from '../config/secret';
import { LabError } from '../errors';
import { registerBrokerCommands } from './brokerCommands';
import { registerChaosCommand } from './chaosCommand';
import { registerLedgerCommand } from './ledgerCommand';
import { registerDatasetCommands } from './datasetCommands';
import { registerQueueCommand } from './queueCommand';
import { registerRebalanceCommand } from './rebalanceCommand';
import { registerReplayCommand } from './replayCommand';
import { registerRunCommand } from './runCommand';
import { registerStartCommand } from './startCommand';

/**
 * The `kafka-lab` command line. Each concept registers its own subcommands from
 * its own file; this file only assembles them.
 */
export function buildProgram(): Command {
  const program = new Command('kafka-lab')
    .description('Stream the Online Retail data set through real Apache Kafka and see what each consumer receives.')
    .showHelpAfterError()
    .exitOverride();
  registerBrokerCommands(program);
  registerDatasetCommands(program);
  registerRunCommand(program);
  registerRebalanceCommand(program);
  registerReplayCommand(program);
  registerQueueCommand(program);
  registerStartCommand(program);
  registerChaosCommand(program);
  registerLedgerCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    // A LabError's message is written for the user; anything else (a Kafka client
    // error) is shown by its message too. Either way no secret the process has seen.
    const message = error instanceof LabError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`${redactSecrets(message)}\n`);
    process.exitCode = 1;
  }
}
