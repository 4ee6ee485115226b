/**
 * Strips outputs, execution counts and editor metadata from notebooks/*.ipynb
 * (or the files given), wraps code cells to 100 characters with Biome, and
 * writes each file exactly as JupyterLab would, in place. `--check` only
 * reports and exits 1 when one is not clean. Safe to re-run after a merge.
 *
 *   npm run notebooks:clean
 *   npm run notebooks:clean -- --check
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  cleanNotebook,
  formatCodeCells,
  notebookFiles,
  notebookProblems,
  notebookText,
  readNotebook,
} from './notebookHygiene';

/** `06-group-protocols.ipynb` → `06`: the prefix of ids given to cells that had none. */
function idPrefix(file: string): string {
  return /^(\d+)-/.exec(path.basename(file))?.[1] ?? 'cell';
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const named = argv.filter((arg) => !arg.startsWith('--'));
  const files = named.length ? named.map((f) => path.resolve(f)) : notebookFiles();
  const notebooks = files.map(readNotebook);
  if (check) {
    let dirty = 0;
    files.forEach((file, index) => {
      const problems = notebookProblems(notebooks[index]);
      if (notebookText(cleanNotebook(notebooks[index], idPrefix(file))) !== fs.readFileSync(file, 'utf8')) {
        problems.push('the file is not written as JupyterLab writes it (key order, line lists, indent)');
      }
      if (problems.length) {
        dirty += 1;
        const name = path.relative(process.cwd(), file);
        process.stdout.write(`${name}: not clean\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
      }
    });
    if (dirty) process.stdout.write('Run `npm run notebooks:clean` to fix.\n');
    return dirty ? 1 : 0;
  }
  const { notebooks: formatted, unformatted } = formatCodeCells(notebooks.map((nb, i) => cleanNotebook(nb, idPrefix(files[i]))));
  files.forEach((file, index) => {
    const text = notebookText(formatted[index]);
    const name = path.relative(process.cwd(), file);
    if (text !== fs.readFileSync(file, 'utf8')) {
      fs.writeFileSync(file, text);
      const problems = notebookProblems(notebooks[index]).length;
      process.stdout.write(`cleaned ${name}${problems ? ` (${problems} problem(s))` : ' (formatting)'}\n`);
    }
    for (const problem of notebookProblems(formatted[index])) process.stdout.write(`${name}: still ${problem}\n`);
  });
  if (unformatted.length) process.stdout.write(`Biome could not format: ${unformatted.join(', ')}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
