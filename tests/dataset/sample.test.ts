import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  ORII_HEADER,
  SAMPLE_FILE,
  SAMPLE_REPORT,
  readSampleRows,
  tempDir,
  writeKaggleCsv,
  writeOnlineRetailIICsv,
  writeWorkbook,
} from './support/fixtures';
import pl from 'nodejs-polars';
import { skipUnless } from '../support/requirements';
import {
  CLEANING_REPORT_FIELDS,
  RETAIL_ROW_COLUMNS,
  cleanWithDanfo,
  cleanWithPolars,
  loadCleanRows,
  pickReport,
} from '../../src/internal';
import { projectRoot } from '../../src/internal';

const skipWithoutSample = skipUnless('sample');

/** Runs the real CLI module (src, through tsx) and returns its stdout. */
function kafkaLab(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const script = `require(${JSON.stringify(path.join(projectRoot, 'src', 'cli', 'main.ts'))}).main(['node', 'kafka-lab', ...${JSON.stringify(args)}])`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'Pacific/Kiritimati' },
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe('the shared real sample gives the numbers of issue 3', { skip: skipWithoutSample }, () => {
  it('`dataset clean --json` prints exactly the report fields and numbers', () => {
    const { stdout, stderr, status } = kafkaLab(['dataset', 'clean', '--input', SAMPLE_FILE, '--json']);
    assert.equal(status, 0, stderr);
    const report = JSON.parse(stdout);
    assert.deepEqual(Object.keys(report), [...CLEANING_REPORT_FIELDS]);
    assert.deepEqual(report, SAMPLE_REPORT);
  });

  it('the fast path and Danfo agree on the sample, row for row', () => {
    const fast = cleanWithPolars(SAMPLE_FILE);
    assert.deepEqual(pickReport(fast.report), SAMPLE_REPORT);
    assert.equal(fast.layout, 'uci-workbook-csv');
    const danfo = cleanWithDanfo(SAMPLE_FILE);
    assert.deepEqual(pickReport(danfo.report), SAMPLE_REPORT);
    assert.deepEqual(danfo.steps, fast.steps);
    assert.deepEqual(danfo.df.column('row').values, fast.df.getColumn('row').toArray());
    assert.deepEqual(danfo.df.column('totalPrice').values, fast.df.getColumn('totalPrice').toArray());
    assert.deepEqual(danfo.df.column('invoiceDate').values, fast.df.getColumn('invoiceDate').toArray());
  });

  it('converted to the Kaggle layout (ISO-8859-1, 12/1/2010 8:26, integer ids) gives the same numbers', (t) => {
    const file = path.join(tempDir(t), 'data.csv');
    writeKaggleCsv(file, readSampleRows());
    const { stdout, status, stderr } = kafkaLab(['dataset', 'clean', '--input', file, '--json']);
    assert.equal(status, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), SAMPLE_REPORT);
    const fast = cleanWithPolars(file);
    assert.equal(fast.layout, 'kaggle-ecommerce-csv');
    assert.equal(fast.encoding, 'iso-8859-1');
    assert.deepEqual(pickReport(cleanWithDanfo(file).report), SAMPLE_REPORT);
  });

  it('converted to Online Retail II headers gives the same numbers', (t) => {
    const file = path.join(tempDir(t), 'online_retail_II.csv');
    writeOnlineRetailIICsv(file, readSampleRows());
    const { stdout, status, stderr } = kafkaLab(['dataset', 'clean', '--input', file, '--json']);
    assert.equal(status, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), SAMPLE_REPORT);
    assert.equal(cleanWithPolars(file).layout, 'online-retail-ii-csv');
  });

  it('converted to an Online Retail II workbook split over two sheets gives the same numbers', (t) => {
    const file = path.join(tempDir(t), 'online_retail_II.xlsx');
    const rows = readSampleRows();
    writeWorkbook(file, ORII_HEADER, { 'Year 2009-2010': rows.slice(0, 20000), 'Year 2010-2011': rows.slice(20000) });
    const fast = cleanWithPolars(file);
    assert.equal(fast.layout, 'online-retail-ii-xlsx');
    assert.deepEqual(pickReport(fast.report), SAMPLE_REPORT);
  });

  it('`--out` writes the cleaned rows as CSV and as Parquet', (t) => {
    const dir = tempDir(t);
    const csv = path.join(dir, 'clean.csv');
    const parquet = path.join(dir, 'clean.parquet');
    for (const out of [csv, parquet]) {
      const { status, stderr } = kafkaLab(['dataset', 'clean', '--input', SAMPLE_FILE, '--json', '--out', out]);
      assert.equal(status, 0, stderr);
    }
    const again = cleanWithPolars(csv);
    assert.equal(again.layout, 'lab-cleaned-csv');
    assert.deepEqual(pickReport(again.report), {
      ...SAMPLE_REPORT,
      rowsIn: SAMPLE_REPORT.rowsOut,
      missingCustomer: 0,
      cancellations: 0,
      nonPositiveQuantity: 0,
      nonPositivePrice: 0,
      duplicates: 0,
    });
    const table = pl.readParquet(parquet);
    assert.deepEqual(table.columns, [...RETAIL_ROW_COLUMNS]);
    assert.deepEqual(
      table.dtypes.map(String).filter((dtype) => dtype.includes('Categorical')),
      [],
      'text is written as plain strings',
    );
    assert.equal(table.height, SAMPLE_REPORT.rowsOut);
    assert.deepEqual(table.head(1).toRecords()[0], loadCleanRows(SAMPLE_FILE)[0]);
  });
});
