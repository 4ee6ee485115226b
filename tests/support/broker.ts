import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureLocalBroker, KafkaLab, type ConnectionSettings } from '../../src/internal';

/**
 * Starts the local broker if none answers and leaves a running one alone (the
 * habit of kafkajs' testWithKafka.sh). Every test file calls this first; the
 * first one pays the start-up, the others reuse it.
 */
export async function ensureTestBroker(): Promise<ConnectionSettings> {
  return ensureLocalBroker();
}

/** A fresh name per test, so tests never see each other's topics, groups or offsets. */
export { freshName } from '../../src/internal';

export async function connectTestLab(): Promise<KafkaLab> {
  const connection = await ensureTestBroker();
  return KafkaLab.connect({ connection });
}

/** Rows shaped like cleaned retail rows, made here so Kafka tests do not depend on the data set code. */
export function sampleRows(count: number): Array<Record<string, unknown>> {
  const countries = ['United Kingdom', 'France', 'Germany', 'EIRE', 'Spain'];
  return Array.from({ length: count }, (_, i) => ({
    invoice: String(536365 + Math.floor(i / 4)),
    stockCode: `2${String(i % 97).padStart(4, '0')}`,
    description: `ITEM ${i % 97}`,
    quantity: 1 + (i % 12),
    invoiceDate: '2010-12-01T08:26:00',
    unitPrice: 2.55,
    customerId: String(12346 + (i % 211)),
    country: countries[i % countries.length],
    totalPrice: Number((2.55 * (1 + (i % 12))).toFixed(2)),
  }));
}

export const projectRoot = path.resolve(__dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** Runs the built CLI (`bin/kafka-lab.js`) as a user would. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, options: { cwd?: string } = {}): Promise<CliResult> {
  const began = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'kafka-lab.js'), ...args], {
      cwd: options.cwd ?? projectRoot,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, elapsedMs: Date.now() - began }));
  });
}
