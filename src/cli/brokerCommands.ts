import type { Command } from 'commander';
import {
  localBrokerStatus,
  SASL_BROKER_NAME,
  SASL_USER,
  TLS_BROKER_NAME,
  startLocalBroker,
  stopLocalBroker,
} from '../broker/localBroker';
import { runKafkaTool } from '../broker/kafkaTools';
import { kafkaVersion } from '../broker/kafkaRuntime';
import { DEFAULT_BROKER_NAME, readLocalBrokerState } from '../broker/brokerState';
import { note, printJson } from './output';
import { wholeNumber } from './options';

function brokerName(options: { sasl?: boolean; tls?: boolean }): string {
  return options.tls ? TLS_BROKER_NAME : options.sasl ? SASL_BROKER_NAME : DEFAULT_BROKER_NAME;
}

export function registerBrokerCommands(program: Command): void {
  const broker = program
    .command('broker')
    .description('Run real Apache Kafka (KRaft) on this machine, bound to 127.0.0.1.');

  broker
    .command('start')
    .description('Start the local broker (formats storage on first use); reuses one that is already up.')
    .option('--brokers <n>', 'number of KRaft nodes', wholeNumber('--brokers', 1), 1)
    .option('--sasl', 'a separate broker with a SASL_PLAINTEXT listener and PLAIN users (port 9192)')
    .option(
      '--tls',
      'a separate broker with a SASL_SSL listener (generated CA; PLAIN and SCRAM-SHA-512 users; port KAFKA_LAB_TLS_PORT or 9492)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (options: { brokers: number; sasl?: boolean; tls?: boolean; json?: boolean }) => {
      const result = await startLocalBroker({ brokers: options.brokers, sasl: options.sasl, tls: options.tls });
      const { state } = result;
      if (options.json) {
        printJson({
          bootstrap: state.bootstrap,
          started: result.started,
          elapsedMs: result.elapsedMs,
          kafkaVersion: state.kafkaVersion,
          logFiles: state.nodes.map((n) => n.logFile),
          clientProperties: state.clientProperties ?? null,
        });
        return;
      }
      const verb = result.started
        ? `Started Apache Kafka ${state.kafkaVersion} in ${(result.elapsedMs / 1000).toFixed(1)} s`
        : 'Reusing the running local broker';
      note(`${verb}. Logs: ${state.nodes.map((n) => n.logFile).join(', ')}`);
      if (state.clientProperties) {
        note(
          `${options.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT'}, PLAIN user "${SASL_USER}"; connect with KAFKA_CLIENT_PROPERTIES=${state.clientProperties}`,
        );
      }
      process.stdout.write(`${state.bootstrap}\n`);
      // The TLS broker exists to be reached through its client.properties: print that path on stdout too.
      if (options.tls && state.clientProperties) process.stdout.write(`${state.clientProperties}\n`);
    });

  broker
    .command('status')
    .description('Say whether the local broker is running and answering.')
    .option('--sasl', 'the SASL broker instead of the plain one')
    .option('--tls', 'the TLS (SASL_SSL) broker instead of the plain one')
    .option('--json', 'print the result as JSON')
    .action(async (options: { sasl?: boolean; tls?: boolean; json?: boolean }) => {
      const status = await localBrokerStatus(brokerName(options));
      if (options.json) {
        printJson({
          running: status.running,
          answering: status.answering,
          kafkaVersion: status.state?.kafkaVersion ?? kafkaVersion(),
          bootstrap: status.state?.bootstrap ?? null,
          pids: status.state?.nodes.map((n) => n.pid) ?? [],
        });
      } else if (!status.running) {
        process.stdout.write(
          `The local broker (Apache Kafka ${kafkaVersion()}) is not running. Start it with \`npx kafka-lab broker start\`.\n`,
        );
      } else {
        const pids = status.state!.nodes.map((n) => n.pid).join(', ');
        process.stdout.write(
          `The local broker (Apache Kafka ${status.state!.kafkaVersion}) is ${status.answering ? 'running' : 'running but NOT answering'} at ${status.state!.bootstrap} (pid ${pids}). Logs: ${status.state!.nodes.map((n) => n.logFile).join(', ')}\n`,
        );
      }
      if (status.running && !status.answering) process.exitCode = 1;
    });

  broker
    .command('stop')
    .description('Stop the local broker cleanly; no JVM is left behind.')
    .option('--sasl', 'the SASL broker instead of the plain one')
    .option('--tls', 'the TLS (SASL_SSL) broker instead of the plain one')
    .action(async (options: { sasl?: boolean; tls?: boolean }) => {
      const name = brokerName(options);
      const logs = readLocalBrokerState(name)?.nodes.map((n) => n.logFile) ?? [];
      const stopped = await stopLocalBroker(name);
      process.stdout.write(
        stopped ? `Stopped the local broker. Logs kept: ${logs.join(', ')}\n` : 'No local broker was running.\n',
      );
    });

  program
    .command('kafka-tool')
    .description("Run one of Kafka's own tools from the same jars, e.g. kafka-consumer-groups --describe --all-groups.")
    .argument('<tool>', 'tool name, e.g. kafka-topics, kafka-consumer-groups, kafka-producer-perf-test')
    .argument('[args...]', "the tool's own arguments")
    .allowUnknownOption()
    .helpOption(false)
    .action(async (tool: string, args: string[]) => {
      // Point the tools at the local broker unless the user names a server.
      const state = readLocalBrokerState();
      const namesServer = args.some(
        (arg) =>
          arg === '--bootstrap-server' || arg === '--bootstrap-controller' || arg.startsWith('--bootstrap-server='),
      );
      const needsServer = ![
        'kafka-producer-perf-test',
        'kafka-storage',
        'kafka-dump-log',
        'kafka-e2e-latency',
      ].includes(tool);
      const extra =
        state && needsServer && !namesServer && args.length > 0 && !args.includes('--help')
          ? ['--bootstrap-server', state.bootstrap]
          : [];
      process.exitCode = await runKafkaTool(tool, [...args, ...extra]);
    });
}
