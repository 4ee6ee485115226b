import { connectionEnvironment } from '../kafka/clientSettings';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { ConnectionSettings } from '../config/connection';
import { LabError } from '../errors';
import { projectRoot } from '../paths';
import { waitUntil } from '../util/waitUntil';
import type { ConsumerWorkerOptions } from './consumerWorker';

export interface ProcessedMessage {
  partition: number;
  offset: number;
  at: number;
}

/**
 * A consumer worker process seen from the lab: what it reported on stdout
 * (assignments, processed messages, confirmed commits) as it happened.
 */
export class WorkerProcess {
  readonly id: string;
  readonly processed: ProcessedMessage[] = [];
  /** partition -> last confirmed committed offset (the next one to read). */
  readonly committed = new Map<number, number>();
  memberId: string | undefined;
  partitions: number[] = [];
  rebalancing = true;
  /** True once the worker confirmed it stopped committing. */
  holding = false;
  exited = false;
  exitSignal: NodeJS.Signals | null = null;
  readonly stderr: string[] = [];
  readonly #child: ChildProcess;
  readonly #closed: Promise<void>;

  constructor(options: ConsumerWorkerOptions, connection: ConnectionSettings) {
    this.id = options.id;
    this.#child = spawn(process.execPath, [workerScript(), JSON.stringify(options)], {
      env: { ...process.env, ...connectionEnvironment(connection) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    readline.createInterface({ input: this.#child.stdout! }).on('line', (text) => this.#onLine(text));
    readline.createInterface({ input: this.#child.stderr! }).on('line', (text) => {
      if (this.stderr.length < 50) this.stderr.push(text);
    });
    this.#closed = new Promise((resolve) =>
      this.#child.on('close', (_code, signal) => {
        this.exited = true;
        this.exitSignal = signal;
        resolve();
      }),
    );
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Processed since the last confirmed commit of each owned partition. */
  uncommitted(): ProcessedMessage[] {
    return this.processed.filter(
      (m) => this.partitions.includes(m.partition) && m.offset >= (this.committed.get(m.partition) ?? 0),
    );
  }

  /** Tells the worker to stop committing (it goes on processing); resolves once it confirms. */
  async holdCommits(timeoutMs = 10_000): Promise<void> {
    this.#child.stdin?.write('hold\n');
    await waitUntil(() => this.holding, timeoutMs, `${this.id} to hold its commits`, 10);
  }

  /** SIGKILL: no commit, no LeaveGroup. Resolves once its stdout is fully read. */
  async kill(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.#closed;
  }

  /** Leaves the group cleanly; SIGKILL after `timeoutMs` if it does not exit. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.exited) return;
    this.#child.stdin?.write('stop\n');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), timeoutMs);
    await this.#closed;
    clearTimeout(timer);
  }

  #onLine(text: string): void {
    let event: { t: string; p?: number; o?: number; partitions?: number[]; memberId?: string; error?: string };
    try {
      event = JSON.parse(text);
    } catch {
      return;
    }
    switch (event.t) {
      case 'm':
        this.processed.push({ partition: event.p!, offset: event.o!, at: Date.now() });
        break;
      case 'holding':
        this.holding = true;
        break;
      case 'c':
        this.committed.set(event.p!, event.o!);
        break;
      case 'assigned':
        this.memberId = event.memberId;
        this.partitions = event.partitions ?? [];
        this.rebalancing = false;
        break;
      case 'rebalancing':
        this.rebalancing = true;
        break;
      case 'crash':
      case 'error':
        if (this.stderr.length < 50) this.stderr.push(`${event.t}: ${event.error}`);
        break;
      default:
    }
  }
}

/** The compiled worker: beside this file when running from dist/, else dist/ of the project. */
function workerScript(): string {
  for (const candidate of [
    path.join(__dirname, 'consumerWorker.js'),
    path.join(projectRoot, 'dist', 'chaos', 'consumerWorker.js'),
  ]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new LabError(
    'INVALID_OPTION',
    'The consumer worker dist/chaos/consumerWorker.js is not built. Run `npm run build` in the project folder first.',
  );
}
