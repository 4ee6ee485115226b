import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { kafkaToolCommand } from '../broker/kafkaTools';
import type { ConnectionSettings } from '../config/connection';

/** What Kafka's own console consumer (Java) read from the output topic. */
export interface IndependentReading {
  tool: 'kafka-console-consumer';
  isolation: 'read_committed';
  events: number;
  /** Sum of the events' amounts, in tenths of a penny. */
  revenue: number;
  /** Same count and sum as the lab's own read_committed reader. */
  agrees: boolean;
}

/**
 * Reads a topic with Kafka's console consumer and `--isolation-level read_committed`,
 * summing the `amount` of every JSON value: a second opinion from a reader that
 * shares no code with the lab. It exits after `idleMs` without a new record
 * (call it once everything is written). Local plaintext brokers only: it takes
 * no security settings.
 */
export function readWithConsoleConsumer(
  connection: ConnectionSettings,
  topic: string,
  expected: { events: number; revenue: number },
  idleMs = 8_000,
): Promise<IndependentReading> {
  const { command, args } = kafkaToolCommand('kafka-console-consumer', [
    '--bootstrap-server',
    connection.bootstrapServers.join(','),
    '--topic',
    topic,
    '--from-beginning',
    '--isolation-level',
    'read_committed',
    '--timeout-ms',
    String(idleMs),
  ]);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let events = 0;
    let revenue = 0;
    let stderr = '';
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      events += 1;
      revenue += (JSON.parse(line) as { amount: number }).amount;
    });
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (events === 0 && code !== 0) reject(new Error(`kafka-console-consumer failed (exit ${code}): ${stderr}`));
      else
        resolve({
          tool: 'kafka-console-consumer',
          isolation: 'read_committed',
          events,
          revenue,
          agrees: events === expected.events && revenue === expected.revenue,
        });
    });
  });
}
