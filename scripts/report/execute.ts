/**
 * Runs one notebook headless with the project's Jupyter (.venv) and the tslab
 * kernel, then converts the executed notebook to an offline HTML report.
 * Shared by `npm run report` and the notebook tests.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..', '..');
export const jupyterBin = path.join(projectRoot, '.venv', 'bin', 'jupyter');
export const offlineTemplate = path.join(__dirname, 'offline.html.j2');

export interface ExecuteOptions {
  /** Where the executed `.ipynb` and the `.html` go. */
  outDir: string;
  /** Notebook parameters, passed as KAFKA_LAB_PARAMS. */
  params?: Record<string, unknown>;
  /** JSON-lines file the notebook's `recordResult` calls append to. */
  resultsFile?: string;
  /** Per-cell timeout, seconds. Default 600. */
  cellTimeoutSec?: number;
  /** Skip the HTML conversion. */
  html?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface ErrorOutput {
  cell: number;
  ename: string;
  evalue: string;
}

export interface ExecuteResult {
  notebook: string;
  ok: boolean;
  seconds: number;
  executed?: string;
  html?: string;
  /** Error outputs found in the executed notebook. */
  errors: ErrorOutput[];
  /** Why nbconvert failed, when it did (last lines of its stderr). */
  failure?: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: projectRoot, env, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stderr: String(stderr) + (error && !stderr ? String(error.message) : '') });
    });
  });
}

/** Throws with the fix when the notebook Python environment is missing. */
export function assertJupyter(): void {
  if (!fs.existsSync(jupyterBin)) {
    throw new Error(
      `Jupyter is not installed at ${path.relative(projectRoot, jupyterBin)}. Run \`node scripts/setupPython.js\` (or \`npm install\`, which runs it) first.`,
    );
  }
}

/** The error outputs of an executed notebook. */
export function errorOutputs(executedFile: string): ErrorOutput[] {
  const notebook = JSON.parse(fs.readFileSync(executedFile, 'utf8')) as {
    cells: { outputs?: { output_type: string; ename?: string; evalue?: string }[] }[];
  };
  return notebook.cells.flatMap((cell, index) =>
    (cell.outputs ?? [])
      .filter((output) => output.output_type === 'error')
      .map((output) => ({ cell: index + 1, ename: output.ename ?? '', evalue: output.evalue ?? '' })),
  );
}

function tail(text: string, lines = 25): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

export async function executeNotebook(notebookFile: string, options: ExecuteOptions): Promise<ExecuteResult> {
  assertJupyter();
  const started = Date.now();
  const name = path.basename(notebookFile, '.ipynb');
  fs.mkdirSync(options.outDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    KAFKA_LAB_PARAMS: JSON.stringify(options.params ?? {}),
    KAFKA_LAB_NOTEBOOK: name,
    ...(options.resultsFile ? { KAFKA_LAB_RESULTS_FILE: path.resolve(options.resultsFile) } : {}),
  };
  const executed = path.join(options.outDir, `${name}.ipynb`);
  const execution = await run(
    jupyterBin,
    [
      'nbconvert',
      '--execute',
      '--to',
      'notebook',
      '--ExecutePreprocessor.kernel_name=tslab',
      `--ExecutePreprocessor.timeout=${options.cellTimeoutSec ?? 600}`,
      '--output-dir',
      options.outDir,
      '--output',
      name,
      notebookFile,
    ],
    env,
  );
  const seconds = () => (Date.now() - started) / 1000;
  if (execution.code !== 0 || !fs.existsSync(executed)) {
    return { notebook: name, ok: false, seconds: seconds(), errors: [], failure: tail(execution.stderr) };
  }
  const errors = errorOutputs(executed);
  let html: string | undefined;
  if (options.html ?? true) {
    const conversion = await run(
      jupyterBin,
      [
        'nbconvert',
        '--to',
        'html',
        '--template-file',
        offlineTemplate,
        '--output-dir',
        options.outDir,
        '--output',
        name,
        executed,
      ],
      env,
    );
    if (conversion.code !== 0) {
      return {
        notebook: name,
        ok: false,
        seconds: seconds(),
        executed,
        errors,
        failure: `HTML conversion failed:\n${tail(conversion.stderr)}`,
      };
    }
    html = path.join(options.outDir, `${name}.html`);
  }
  return { notebook: name, ok: errors.length === 0, seconds: seconds(), executed, html, errors };
}
