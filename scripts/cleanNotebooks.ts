/**
 * Strips outputs, execution counts and editor metadata from notebooks/*.ipynb
 * (or the files given), in place. `--check` only reports and exits 1 when one
 * is not clean.
 *
 *   npm run notebooks:clean
 *   npm run notebooks:clean -- --check
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanNotebook, notebookFiles, notebookProblems, notebookText, readNotebook } from './notebookHygiene';

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const files = argv.filter((arg) => !arg.startsWith('--'));
  let dirty = 0;
  for (const file of files.length ? files.map((f) => path.resolve(f)) : notebookFiles()) {
    const notebook = readNotebook(file);
    const problems = notebookProblems(notebook);
    const text = notebookText(cleanNotebook(notebook));
    const name = path.relative(process.cwd(), file);
    if (check) {
      if (problems.length) {
        dirty += 1;
        process.stdout.write(`${name}: not clean\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
      }
    } else if (text !== fs.readFileSync(file, 'utf8')) {
      fs.writeFileSync(file, text);
      process.stdout.write(`cleaned ${name}${problems.length ? ` (${problems.length} problem(s))` : ' (formatting)'}\n`);
    }
  }
  if (check && dirty) process.stdout.write(`Run \`npm run notebooks:clean\` to fix.\n`);
  return check && dirty ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
