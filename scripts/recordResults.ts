/**
 * Runs one `kafka-lab ... --json` command and keeps what it printed as a
 * results file under docs/results/, with the command, the date and the machine,
 * so that every figure the README quotes has a file (and a command) behind it.
 *
 *   node --import tsx scripts/recordResults.ts <name> -- <kafka-lab arguments, ending in --json>
 *   e.g. node --import tsx scripts/recordResults.ts chaos-consumer-crash -- chaos --scenario consumer-crash --json
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const projectRoot = path.resolve(__dirname, '..');
export const resultsDir = path.join(projectRoot, 'docs', 'results');

function main(argv: string[]): void {
  const separator = argv.indexOf('--');
  const name = argv[0];
  const args = separator >= 0 ? argv.slice(separator + 1) : [];
  if (!name || !/^[a-z0-9-]+$/.test(name) || args.length === 0 || !args.includes('--json')) {
    process.stderr.write(
      'Usage: node --import tsx scripts/recordResults.ts <name: a-z0-9-> -- <kafka-lab arguments including --json>\n',
    );
    process.exit(64);
  }
  const loadBefore = os.loadavg()[0];
  const started = new Date();
  const run = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'kafka-lab.js'), ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0 && run.status !== 2) {
    process.stderr.write(`kafka-lab ${args.join(' ')} exited with ${run.status}; nothing recorded.\n`);
    process.exit(run.status ?? 1);
  }
  const result = JSON.parse(run.stdout) as unknown;
  const file = path.join(resultsDir, `${name}.json`);
  fs.mkdirSync(resultsDir, { recursive: true });
  const record = {
    command: `npx kafka-lab ${args.join(' ')}`,
    date: started.toISOString(),
    machine: {
      cpus: os.cpus().length,
      node: process.version,
      loadAverage1m: [Math.round(loadBefore * 100) / 100, Math.round(os.loadavg()[0] * 100) / 100],
    },
    exitCode: run.status,
    result,
  };
  fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(`${path.relative(projectRoot, file)}\n`);
}

main(process.argv.slice(2));
