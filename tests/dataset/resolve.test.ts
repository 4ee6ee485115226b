import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { UCI_ROWS, UCI_ROWS_REPORT, tempDir, writeUciCsv } from './support/fixtures';
import { generatedDatasetPath, loadRetailRows, resolveDataset, resolveDatasetFile } from '../../src/internal';
import { LabError } from '../../src/internal';

describe('the data set the lab uses', () => {
  it('is the generated default, cached, when dataset/ has no data file', (t) => {
    const root = tempDir(t);
    const datasetDir = path.join(root, 'dataset');
    const cacheDir = path.join(root, 'cache');
    fs.mkdirSync(datasetDir);
    fs.writeFileSync(path.join(datasetDir, 'README.md'), '# drop your download here\n');
    const options = { datasetDir, cacheDir, generatedRows: 3_000, seed: 5 };
    const resolved = resolveDataset(options);
    assert.deepEqual(resolved, { file: path.join(cacheDir, 'generated-3000-5.csv'), source: 'generated' });
    assert.equal(resolved.file, generatedDatasetPath(3_000, 5, cacheDir));
    const written = fs.statSync(resolved.file).mtimeMs;
    assert.equal(resolveDatasetFile(options), resolved.file);
    assert.equal(fs.statSync(resolved.file).mtimeMs, written, 'the cached file is reused, not rewritten');
    assert.deepEqual(fs.readdirSync(cacheDir), ['generated-3000-5.csv'], 'no temp file is left behind');
  });

  it('is the download in dataset/ when there is one', (t) => {
    const datasetDir = tempDir(t);
    const file = path.join(datasetDir, 'Online Retail.csv');
    writeUciCsv(file, UCI_ROWS);
    assert.deepEqual(resolveDataset({ datasetDir, cacheDir: tempDir(t) }), { file, source: 'dataset-folder' });
  });

  it('refuses to guess between two downloads', (t) => {
    const datasetDir = tempDir(t);
    writeUciCsv(path.join(datasetDir, 'a.csv'), UCI_ROWS);
    writeUciCsv(path.join(datasetDir, 'b.csv'), UCI_ROWS);
    assert.throws(
      () => resolveDataset({ datasetDir }),
      (e: unknown) =>
        e instanceof LabError && /holds 2 data files \(a\.csv, b\.csv\)\. Keep exactly one/.test(e.message),
    );
  });

  it('loadRetailRows returns cleaned rows, the first N when asked', async (t) => {
    const datasetDir = tempDir(t);
    writeUciCsv(path.join(datasetDir, 'data.csv'), UCI_ROWS);
    const all = await loadRetailRows({ datasetDir });
    assert.equal(all.length, UCI_ROWS_REPORT.rowsOut);
    const two = await loadRetailRows({ datasetDir, rows: 2 });
    assert.deepEqual(two, all.slice(0, 2));
    assert.deepEqual(Object.keys(two[0]!), [
      'invoice',
      'stockCode',
      'description',
      'quantity',
      'invoiceDate',
      'unitPrice',
      'customerId',
      'country',
      'totalPrice',
    ]);
    await assert.rejects(loadRetailRows({ datasetDir, rows: -1 }), /Invalid rows: -1/);
  });

  it('loadRetailRows reads the generated default when dataset/ is empty', async (t) => {
    const rows = await loadRetailRows({
      datasetDir: tempDir(t),
      cacheDir: tempDir(t),
      generatedRows: 2_000,
      seed: 9,
      rows: 100,
    });
    assert.equal(rows.length, 100);
    assert.ok(
      rows.every((r) => r.customerId !== '' && r.quantity > 0 && r.unitPrice > 0 && !/^[A-Za-z]/.test(r.invoice)),
    );
    assert.match(rows[0]!.invoiceDate, /^2010-12-\d{2}T\d{2}:\d{2}:00$/);
  });
});
