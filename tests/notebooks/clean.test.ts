import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { cleanNotebook, notebookFiles, notebookProblems, readNotebook } from '../../scripts/notebookHygiene';

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
