import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { kafkaVersion, javaBinary } from '../src/internal';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  os: string;
  node: string;
  java: string;
  kafka: string;
}

/** The machine the figures were measured on. */
export function machineInfo(): MachineInfo {
  const java = spawnSync(javaBinary(), ['-version'], { encoding: 'utf8' });
  const javaLine = `${java.stderr ?? ''}${java.stdout ?? ''}`.split('\n')[0]?.trim() || 'unknown';
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    java: javaLine,
    kafka: kafkaVersion(),
  };
}

/** `uptime`'s line, for the log of every measurement. */
export function uptimeLine(): string {
  const out = spawnSync('uptime', { encoding: 'utf8' });
  if (out.status === 0 && out.stdout) return out.stdout.trim();
  return `load average: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;
}
