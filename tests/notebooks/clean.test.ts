import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import fs from 'node:fs';
import { cleanNotebook, MAX_CODE_LINE, notebookFiles, notebookProblems, notebookText, readNotebook, sourceLines } from '../../scripts/notebookHygiene';

test('committed notebooks are clean: no outputs, no execution counts, no machine metadata', () => {
  const files = notebookFiles();
  assert.ok(files.length > 0, 'expected notebooks in notebooks/');
  const dirty = files
    .map((file) => ({ file: path.basename(file), problems: notebookProblems(readNotebook(file)) }))
    .filter((entry) => entry.problems.length > 0);
  assert.deepEqual(dirty, [], `Run \`npm run notebooks:clean\`. ${JSON.stringify(dirty, null, 1)}`);
});

test('notebooks are numbered and open with a title cell', () => {
  for (const file of notebookFiles()) {
    assert.match(path.basename(file), /^\d\d-[a-z0-9-]+\.ipynb$/);
    const first = readNotebook(file).cells[0];
    assert.equal(first.cell_type, 'markdown', `${path.basename(file)} should open with a markdown title cell`);
    assert.match([first.source].flat().join(''), /^# /, `${path.basename(file)}: the first cell should start with "# title"`);
  }
});

test('cleanNotebook strips outputs, counts and editor metadata', () => {
  const dirty = {
    cells: [{ cell_type: 'code', id: 'x', metadata: { scrolled: true, tags: ['a'] }, source: '1', outputs: [{ output_type: 'stream' }], execution_count: 3 }],
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' }, language_info: { version: '5.0' }, vscode: {} },
    nbformat: 4,
    nbformat_minor: 5,
  };
  assert.ok(notebookProblems(dirty).length >= 4);
  const clean = cleanNotebook(dirty);
  assert.deepEqual(notebookProblems(clean), []);
  assert.deepEqual(clean.cells[0].metadata, { tags: ['a'] });
});

test('committed notebooks are written as JupyterLab writes them (sorted keys, line lists, ids)', () => {
  for (const file of notebookFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    const prefix = path.basename(file).slice(0, 2);
    assert.equal(text, notebookText(cleanNotebook(readNotebook(file), prefix)), `${path.basename(file)}: run \`npm run notebooks:clean\``);
  }
});

test('the hygiene check finds what JupyterLab would change and code wider than a cell', () => {
  const notebook = {
    cells: [
      { cell_type: 'code', metadata: {}, source: `const x = "${'a'.repeat(MAX_CODE_LINE)}";\n1`, outputs: [], execution_count: null },
      { cell_type: 'markdown', id: 'm', metadata: {}, source: ['# title\n'] },
    ],
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const problems = notebookProblems(notebook).join('\n');
  assert.match(problems, /language_info should be/);
  assert.match(problems, /cell 1 \(code\) has no id/);
  assert.match(problems, /source is one string/);
  assert.match(problems, new RegExp(`cell 1 \\(code\\) line 1 is ${MAX_CODE_LINE + 13} characters wide`));
  const clean = cleanNotebook(notebook, '09');
  assert.equal(clean.cells[0].id, '09-01');
  assert.deepEqual(clean.cells[0].source, [`const x = "${'a'.repeat(MAX_CODE_LINE)}";\n`, '1']);
  assert.deepEqual(notebookProblems(clean), [`cell 1 (code) line 1 is ${MAX_CODE_LINE + 13} characters wide (at most ${MAX_CODE_LINE})`]);
  assert.deepEqual(sourceLines(''), []);
});
