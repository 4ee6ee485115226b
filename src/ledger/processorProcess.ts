import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { ConnectionSettings } from '../config/connection';
import { LabError } from '../errors';
import { projectRoot } from '../paths';
import { connectionEnvironment } from '../kafka/clientSettings';
import type { ProcessorOptions } from './processorWorker';

/** One processor incarnation seen from the lab: what it reported on stdout, as it happened. */
export class ProcessorProcess {
  readonly options: ProcessorOptions;
  /** Input offsets turned into events, per partition, in order. */
  readonly processed = new Map<number, number[]>();
  readonly deadLettered = new Map<number, number[]>();
  /** partition -> next offset to read, as committed (transaction or offset commit) by this incarnation. */
  readonly committed = new Map<number, number>();
  handled = 0;
  transactionsCommitted = 0;
  ready = false;
  paused = false;
  holding = false;
  fenced: string | undefined;
  readyAt: number | undefined;
  firstHandledAt: number | undefined;
  exited = false;
  exitSignal: NodeJS.Signals | null = null;
  exitCode: number | null = null;
  readonly stderr: string[] = [];
  readonly #child: ChildProcess;
  readonly #closed: Promise<void>;

  constructor(options: ProcessorOptions, connection: ConnectionSettings) {
    this.options = options;
    this.#child = spawn(process.execPath, [processorScript(), JSON.stringify(options)], {
      env: { ...process.env, ...connectionEnvironment(connection) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    readline.createInterface({ input: this.#child.stdout! }).on('line', (text) => this.#onLine(text));
    readline.createInterface({ input: this.#child.stderr! }).on('line', (text) => {
      if (this.stderr.length < 50) this.stderr.push(text);
    });
    // A processor that exits while the lab writes to it (a fenced zombie, a kill)
    // must not crash the lab with EPIPE.
    this.#child.stdin?.on('error', () => undefined);
    this.#closed = new Promise((resolve) => {
      // A spawn that fails (EAGAIN on a loaded machine) counts as an exit with an
      // error, not an uncaught throw.
      this.#child.on('error', (error) => {
        if (this.stderr.length < 50) this.stderr.push(`could not run the processor: ${error.message}`);
        this.exited = true;
        resolve();
      });
      this.#child.on('close', (code, signal) => {
        this.exited = true;
        this.exitSignal = signal;
        this.exitCode = code;
        resolve();
      });
    });
  }

  get id(): string {
    return this.options.id;
  }

  /** SIGKILL: no commit, no abort, no LeaveGroup. Resolves once its stdout is fully read. */
  async kill(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.#closed;
  }

  /** Releases a zombie holding its first transaction. */
  release(): void {
    this.#child.stdin?.write('go\n');
  }

  /** Leaves the group cleanly; SIGKILL after `timeoutMs` if it does not exit. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.exited) return;
    this.#child.stdin?.write('stop\n');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), timeoutMs);
    await this.#closed;
    clearTimeout(timer);
  }

  closed(): Promise<void> {
    return this.#closed;
  }

  /** The last lines of stderr and any error it reported, for a failure message. */
  describeFailure(): string {
    return this.stderr.slice(-5).join(' | ') || `exit code ${this.exitCode}, signal ${this.exitSignal}`;
  }

  #onLine(text: string): void {
    let event: { t: string; p?: number; o?: number; error?: string };
    try {
      event = JSON.parse(text);
    } catch {
      return;
    }
    switch (event.t) {
      case 'm':
      case 'd': {
        const into = event.t === 'm' ? this.processed : this.deadLettered;
        const list = into.get(event.p!) ?? [];
        list.push(event.o!);
        into.set(event.p!, list);
        this.handled += 1;
        this.firstHandledAt ??= Date.now();
        break;
      }
      case 'c':
        this.committed.set(event.p!, event.o!);
        this.transactionsCommitted += 1;
        break;
      case 'ready':
        this.ready = true;
        this.readyAt = Date.now();
        break;
      case 'paused':
        this.paused = true;
        break;
      case 'holding':
        this.holding = true;
        break;
      case 'fenced':
        this.fenced = event.error ?? 'fenced';
        break;
      case 'error':
        if (this.stderr.length < 50) this.stderr.push(`error: ${event.error}`);
        break;
      default:
    }
  }
}

/** The compiled worker: beside this file when running from dist/, else dist/ of the project. */
function processorScript(): string {
  for (const candidate of [
    path.join(__dirname, 'processorWorker.js'),
    path.join(projectRoot, 'dist', 'ledger', 'processorWorker.js'),
  ]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new LabError(
    'INVALID_OPTION',
    'The ledger processor dist/ledger/processorWorker.js is not built. Run `npm run build` in the project folder first.',
  );
}
