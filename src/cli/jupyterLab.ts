import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { LabError } from '../errors';
import { projectRoot } from '../paths';
import { waitUntil } from '../util/waitUntil';

/**
 * JupyterLab on `notebooks/`, from the project's own Python environment
 * (`.venv`, made by `npm run setup:python`) with the tslab kernel it registered.
 * Bound to 127.0.0.1, no browser, a fresh token; stopped with SIGTERM so
 * Jupyter shuts its kernels down instead of asking on the terminal.
 */

export const venvDir = path.join(projectRoot, '.venv');
export const notebooksDir = path.join(projectRoot, 'notebooks');
const jupyterBin = path.join(venvDir, 'bin', 'jupyter');
const tslabKernelSpec = path.join(venvDir, 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json');

/** Why JupyterLab cannot start here, with the fix; undefined when it can. */
export function jupyterLabProblem(): string | undefined {
  if (!fs.existsSync(jupyterBin)) {
    return `JupyterLab is not set up: ${path.relative(projectRoot, jupyterBin)} does not exist. Create the notebook environment with \`npm run setup:python\`, then run \`npm start\` again.`;
  }
  if (!fs.existsSync(tslabKernelSpec)) {
    return `The tslab TypeScript kernel is not registered in ${path.relative(projectRoot, venvDir)} (${path.relative(projectRoot, tslabKernelSpec)} is missing). Run \`npm run setup:python\` to register it.`;
  }
  return undefined;
}

/** A free TCP port on 127.0.0.1, as the OS hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface JupyterLabOptions {
  /** Default: a free port. */
  port?: number;
  /** Default: a random token. */
  token?: string;
  /** How long to wait for the server to answer. Default 60 s. */
  startTimeoutMs?: number;
  /** Where Jupyter's own log goes (default: .cache/jupyterlab.log). */
  logFile?: string;
  /** The folder JupyterLab serves (default: notebooks/). */
  rootDir?: string;
  /**
   * Sets `window.jupyterapp` in the page (`--LabApp.expose_app_in_browser`), so
   * a browser test can run JupyterLab's own commands (run all, save).
   */
  exposeAppInBrowser?: boolean;
}

export interface RunningJupyterLab {
  url: string;
  port: number;
  token: string;
  logFile: string;
  process: ChildProcess;
  /** Resolves with the exit code when the server has exited. */
  exited: Promise<number | null>;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it. */
  stop(): Promise<void>;
}

/** Starts JupyterLab and resolves once its API answers with the token. */
export async function startJupyterLab(options: JupyterLabOptions = {}): Promise<RunningJupyterLab> {
  const problem = jupyterLabProblem();
  if (problem) throw new LabError('CONFIG_INVALID', problem);
  const port = options.port ?? (await freePort());
  const token = options.token ?? randomBytes(24).toString('hex');
  const logFile = options.logFile ?? path.join(projectRoot, '.cache', 'jupyterlab.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    jupyterBin,
    [
      'lab',
      '--no-browser',
      '--ip=127.0.0.1',
      `--port=${port}`,
      '--port-retries=0',
      `--ServerApp.root_dir=${options.rootDir ?? notebooksDir}`,
      `--IdentityProvider.token=${token}`,
      '--MultiKernelManager.default_kernel_name=tslab',
      ...(options.exposeAppInBrowser ? ['--LabApp.expose_app_in_browser=True'] : []),
      // Containers often run as root, which Jupyter refuses without this flag.
      ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    ],
    {
      cwd: notebooksDir,
      // Its own process group: Ctrl-C reaches only us, and we stop Jupyter with SIGTERM (no y/n prompt).
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, PATH: `${path.join(venvDir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}` },
    },
  );
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code ?? -1;
  });

  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntil(
      async () => {
        if (exitCode !== undefined) {
          throw new LabError('CONFIG_INVALID', `JupyterLab exited (code ${exitCode}) before it answered. Its log: ${logFile}\n${tailOf(logFile)}`);
        }
        try {
          const response = await fetch(`${base}/api/status`, { headers: { Authorization: `token ${token}` } });
          return response.ok;
        } catch {
          return false;
        }
      },
      options.startTimeoutMs ?? 60_000,
      `JupyterLab to answer on ${base} (log: ${logFile})`,
      250,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `${base}/lab?token=${token}`, port, token, logFile, process: child, exited, stop };
}

function tailOf(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Keeps JupyterLab in the foreground until Ctrl-C (SIGINT) or SIGTERM, then
 * stops it cleanly. Resolves when it has exited.
 */
export async function serveUntilInterrupted(lab: RunningJupyterLab, onStop?: (signal: string) => void): Promise<void> {
  let stopping: Promise<void> | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    onStop?.(signal);
    stopping = lab.stop();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  try {
    await lab.exited;
    await stopping;
  } finally {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  }
}
