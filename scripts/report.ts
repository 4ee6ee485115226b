/**
 * npm run report [-- options]
 *
 * Executes every notebooks/*.ipynb headless against the broker (the local one
 * is started when no cluster is configured) and writes, into reports/, the
 * executed notebook and an offline HTML report for each, plus reports/index.html.
 *
 *   --<parameter> <value>     set a notebook parameter for every run (e.g. --rows 20000)
 *   --<parameter> a,b,c       one run per value (e.g. --consumers 1,3,6), into
 *                             reports/<parameter>-<value>/, plus reports/comparison.html
 *   --notebooks 01,02         only notebooks whose names start with these
 *   --out <dir>               instead of reports/
 *   --cell-timeout <seconds>  per cell, default 600
 *   --no-build                do not rebuild dist/ first
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureLocalBroker, resolveConnection } from '../src/internal';
import { readResults } from '../src/internal';
import { notebookFiles } from './notebookHygiene';
import { assertJupyter, executeNotebook, projectRoot } from './report/execute';
import { comparisonPage, indexPage, type ReportRun } from './report/pages';

interface Cli {
  params: Record<string, unknown>;
  sweep?: { name: string; values: unknown[] };
  notebooks?: string[];
  out: string;
  cellTimeoutSec: number;
  build: boolean;
}

function parseValue(raw: string): unknown {
  return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Parsed by hand rather than with commander: any `--<name>` is a notebook
 * parameter, and the names are declared by each notebook's own parameters
 * cell, not known here.
 */
export function parseCli(argv: string[]): Cli {
  const cli: Cli = { params: {}, out: path.join(projectRoot, 'reports'), cellTimeoutSec: 600, build: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument "${arg}". Options look like --consumers 1,3,6.`);
    const [flag, inline] = arg.slice(2).split('=', 2);
    if (flag === 'no-build') {
      cli.build = false;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${flag} needs a value.`);
    if (flag === 'notebooks') cli.notebooks = value.split(',').map((v) => v.trim());
    else if (flag === 'out') cli.out = path.resolve(value);
    else if (flag === 'cell-timeout') cli.cellTimeoutSec = Number(value);
    else if (value.includes(',')) {
      if (cli.sweep)
        throw new Error(`Only one parameter can take several values; got --${cli.sweep.name} and --${flag}.`);
      cli.sweep = { name: camelCase(flag), values: value.split(',').map(parseValue) };
    } else cli.params[camelCase(flag)] = parseValue(value);
  }
  return cli;
}

function build(): void {
  process.stdout.write('Building dist/ (tsc) ...\n');
  const result = spawnSync(
    process.execPath,
    [path.join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    { cwd: projectRoot, encoding: 'utf8' },
  );
  if (result.status !== 0) {
    process.stdout.write(
      `${result.stdout}\nWarning: tsc reported errors (above); notebooks run against what it emitted.\n`,
    );
  }
}

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  assertJupyter();
  if (cli.build) build();

  let connection = resolveConnection();
  if (connection.isLocal) connection = await ensureLocalBroker();
  const connectionText = connection.describe();
  process.stdout.write(`Kafka: ${connectionText}\n`);

  const notebooks = notebookFiles().filter(
    (file) => !cli.notebooks || cli.notebooks.some((prefix) => path.basename(file).startsWith(prefix)),
  );
  if (notebooks.length === 0) throw new Error('No notebook matched. Notebooks live in notebooks/*.ipynb.');

  fs.mkdirSync(cli.out, { recursive: true });
  const plans = cli.sweep
    ? cli.sweep.values.map((value) => ({
        label: `${cli.sweep!.name}=${value}`,
        dir: `${cli.sweep!.name}-${value}`,
        params: { ...cli.params, [cli.sweep!.name]: value },
      }))
    : [{ label: 'default', dir: '', params: cli.params }];

  const runs: ReportRun[] = [];
  for (const plan of plans) {
    const outDir = path.join(cli.out, plan.dir);
    fs.mkdirSync(outDir, { recursive: true });
    const resultsFile = path.join(outDir, 'results.jsonl');
    fs.rmSync(resultsFile, { force: true });
    const run: ReportRun = { ...plan, results: [], recorded: [] };
    for (const file of notebooks) {
      process.stdout.write(`[${plan.label}] ${path.basename(file)} ... `);
      const result = await executeNotebook(file, {
        outDir,
        params: plan.params,
        resultsFile,
        cellTimeoutSec: cli.cellTimeoutSec,
      });
      run.results.push(result);
      process.stdout.write(
        result.ok
          ? `ok (${result.seconds.toFixed(1)} s) → ${path.relative(projectRoot, result.html ?? result.executed ?? outDir)}\n`
          : `FAILED (${result.seconds.toFixed(1)} s)\n${result.failure ?? result.errors.map((e) => `  cell ${e.cell}: ${e.ename}: ${e.evalue}`).join('\n')}\n`,
      );
    }
    run.recorded = readResults(resultsFile);
    runs.push(run);
  }

  fs.writeFileSync(path.join(cli.out, 'index.html'), indexPage(runs, connectionText, new Date()));
  if (cli.sweep && runs.length > 1) {
    fs.writeFileSync(path.join(cli.out, 'comparison.html'), comparisonPage(runs, cli.sweep.name, connectionText));
    process.stdout.write(`Comparison: ${path.relative(projectRoot, path.join(cli.out, 'comparison.html'))}\n`);
  }
  const failed = runs.flatMap((run) =>
    run.results.filter((result) => !result.ok).map((result) => `${run.label}/${result.notebook}`),
  );
  process.stdout.write(`Index: ${path.relative(projectRoot, path.join(cli.out, 'index.html'))}\n`);
  if (failed.length) process.stdout.write(`${failed.length} notebook run(s) failed: ${failed.join(', ')}\n`);
  return failed.length ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
