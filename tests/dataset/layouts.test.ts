import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ORII_HEADER,
  UCI_HEADER,
  UCI_ROWS,
  UCI_ROWS_REPORT,
  tempDir,
  toCsv,
  writeKaggleCsv,
  writeOnlineRetailIICsv,
  writeUciCsv,
  writeWorkbook,
} from './support/fixtures';
import { cleanWithDanfo, cleanWithPolars, loadCleanRows, pickReport } from '../../src/internal';

const FIRST_ROW = {
  invoice: '536365',
  stockCode: '85123A',
  description: 'WHITE HANGING HEART T-LIGHT HOLDER',
  quantity: 6,
  invoiceDate: '2010-12-01T08:26:00',
  unitPrice: 2.55,
  customerId: '17850',
  country: 'United Kingdom',
  totalPrice: 15.3,
};

function checkBothEngines(file: string, layout: string, encoding: string): void {
  const fast = cleanWithPolars(file);
  assert.equal(fast.layout, layout);
  assert.equal(fast.encoding, encoding);
  assert.deepEqual(pickReport(fast.report), UCI_ROWS_REPORT);
  const rows = loadCleanRows(file);
  assert.deepEqual(rows[0], FIRST_ROW);
  assert.deepEqual(
    rows.map((r) => r.description),
    [
      'WHITE HANGING HEART T-LIGHT HOLDER',
      'WHITE METAL LANTERN',
      'ASSORTED COLOUR BIRD ORNAMENT',
      'ALARM CLOCK BAKELIKE PINK',
      'POSTAGE',
      'JAM MAKING SET PRINTED, SMALL',
    ],
  );
  const danfo = cleanWithDanfo(file);
  assert.equal(danfo.layout, layout);
  assert.deepEqual(pickReport(danfo.report), UCI_ROWS_REPORT);
}

describe('layouts are detected from the header and read into the canonical row', () => {
  it('reads the UCI-workbook CSV (UTF-8, 2010-12-01 08:26:00, 17850.0)', (t) => {
    const file = path.join(tempDir(t), 'online-retail.csv');
    writeUciCsv(file, UCI_ROWS);
    checkBothEngines(file, 'uci-workbook-csv', 'utf-8');
  });

  it('reads the Kaggle "E-Commerce Data" data.csv (ISO-8859-1, 12/1/2010 8:26, integer ids)', (t) => {
    const file = path.join(tempDir(t), 'data.csv');
    const rows = UCI_ROWS.map((r) => r.slice());
    rows[6]![2] = 'ASSORTED COLOUR BIRD ORNAMENT'; // unchanged; the pound sign below makes the file non-UTF-8
    rows.push([
      '536385',
      'GIFT_0001_20',
      'Dotcomgiftshop Gift Voucher £20.00',
      '1',
      '2010-12-01 09:56:00',
      '17.02',
      '',
      'United Kingdom',
    ]);
    writeKaggleCsv(file, rows);
    assert.ok(fs.readFileSync(file).includes(Buffer.from([0xa3])), 'the fixture holds the ISO-8859-1 pound sign');
    const fast = cleanWithPolars(file);
    assert.equal(fast.layout, 'kaggle-ecommerce-csv');
    assert.equal(fast.encoding, 'iso-8859-1');
    assert.deepEqual(pickReport(fast.report), { ...UCI_ROWS_REPORT, rowsIn: 13, missingCustomer: 3 });
    assert.deepEqual(loadCleanRows(file)[0], FIRST_ROW);
    const danfo = cleanWithDanfo(file);
    assert.deepEqual(pickReport(danfo.report), pickReport(fast.report));
  });

  it('keeps the pound sign of an ISO-8859-1 file as £', (t) => {
    const file = path.join(tempDir(t), 'data.csv');
    writeKaggleCsv(file, [
      [
        '536385',
        'GIFT_0001_20',
        'Gift Voucher £20.00',
        '1',
        '2010-12-01 09:56:00',
        '17.02',
        '12583.0',
        'United Kingdom',
      ],
    ]);
    assert.equal(loadCleanRows(file)[0]!.description, 'Gift Voucher £20.00');
  });

  it('reads Online Retail II CSV (Invoice, Price, Customer ID)', (t) => {
    const file = path.join(tempDir(t), 'online_retail_II.csv');
    writeOnlineRetailIICsv(file, UCI_ROWS);
    checkBothEngines(file, 'online-retail-ii-csv', 'utf-8');
  });

  it('reads columns in any order and ignores extra ones (a pandas index column)', (t) => {
    const file = path.join(tempDir(t), 'reordered.csv');
    const order = [7, 0, 6, 1, 2, 3, 4, 5];
    fs.writeFileSync(
      file,
      toCsv([
        ['', ...order.map((i) => UCI_HEADER[i]!)],
        ...UCI_ROWS.map((r, n) => [String(n), ...order.map((i) => r[i]!)]),
      ]),
    );
    checkBothEngines(file, 'uci-workbook-csv', 'utf-8');
  });

  it('reads the UCI Online Retail .xlsx workbook (dates as Excel serials)', (t) => {
    const file = path.join(tempDir(t), 'Online Retail.xlsx');
    writeWorkbook(file, UCI_HEADER, { 'Online Retail': UCI_ROWS });
    checkBothEngines(file, 'uci-online-retail-xlsx', 'xlsx');
  });

  it('reads both sheets of the Online Retail II .xlsx workbook', (t) => {
    const file = path.join(tempDir(t), 'online_retail_II.xlsx');
    writeWorkbook(file, ORII_HEADER, { 'Year 2009-2010': UCI_ROWS.slice(0, 5), 'Year 2010-2011': UCI_ROWS.slice(5) });
    checkBothEngines(file, 'online-retail-ii-xlsx', 'xlsx');
    const rows = loadCleanRows(file);
    assert.equal(rows.at(-1)!.invoice, '536380', 'rows of the second sheet come after the first');
  });
});
