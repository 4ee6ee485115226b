import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../paths';

/** What `broker start` leaves behind so that later commands find the running broker. */
export interface LocalBrokerState {
  name: string;
  kafkaVersion: string;
  bootstrap: string;
  nodes: Array<{ nodeId: number; pid: number; port: number; controllerPort: number; logFile: string }>;
  dataDir: string;
  startedAt: string;
  /** Set for a SASL broker: the client.properties that connects to it. */
  clientProperties?: string;
}

export const DEFAULT_BROKER_NAME = 'local';

export function brokerHome(name = DEFAULT_BROKER_NAME): string {
  return path.join(cacheDir, 'broker', name);
}

function stateFile(name: string): string {
  return path.join(brokerHome(name), 'state.json');
}

export function readLocalBrokerState(name = DEFAULT_BROKER_NAME): LocalBrokerState | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(name), 'utf8')) as LocalBrokerState;
  } catch {
    return undefined;
  }
}

export function writeLocalBrokerState(state: LocalBrokerState): void {
  const file = stateFile(state.name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

export function clearLocalBrokerState(name = DEFAULT_BROKER_NAME): void {
  fs.rmSync(stateFile(name), { force: true });
}

/** True while a process with this pid exists (signal 0 only checks). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
