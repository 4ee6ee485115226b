import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { UCI_HEADER, UCI_ROWS, tempDir, toCsv } from './support/fixtures';
import { cleanWithDanfo, cleanWithPolars, loadCleanRows, type CleaningDetails } from '../../src/internal';
import { LabError } from '../../src/internal';

const HEADER_LINE = UCI_HEADER.join(',');
const GOOD = UCI_ROWS[0]!;

function write(t: Parameters<typeof tempDir>[0], name: string, content: string | Buffer): string {
  const file = path.join(tempDir(t), name);
  fs.writeFileSync(file, content);
  return file;
}

/** Both engines fail with DATASET_INVALID and a message matching `pattern`. */
function assertRejected(file: string, pattern: RegExp): void {
  for (const clean of [cleanWithPolars, cleanWithDanfo] as ((f: string) => unknown)[]) {
    assert.throws(
      () => clean(file),
      (error: unknown) => {
        assert.ok(error instanceof LabError, `expected a LabError, got ${String(error)}`);
        assert.equal(error.code, 'DATASET_INVALID');
        assert.match(error.message, pattern);
        return true;
      },
    );
  }
}

/** Both engines load the file and quarantine the same rows with the same reasons. */
function quarantineOf(file: string): CleaningDetails['quarantine'] {
  const fast = cleanWithPolars(file);
  const danfo = cleanWithDanfo(file);
  assert.deepEqual(danfo.quarantine, fast.quarantine);
  assert.deepEqual(danfo.report, fast.report);
  assert.equal(fast.report.quarantined, fast.quarantine.length);
  return fast.quarantine;
}

describe('bad inputs fail clearly or are quarantined, never crash', () => {
  it('an empty file', (t) => {
    assertRejected(
      write(t, 'empty.csv', ''),
      /empty\.csv is empty\. Expected a header line such as InvoiceNo,StockCode/,
    );
  });

  it('a file of blank lines', (t) => {
    assertRejected(write(t, 'blank.csv', '\n\n  \n'), /is empty/);
  });

  it('a header and no rows', (t) => {
    assertRejected(write(t, 'header.csv', `${HEADER_LINE}\n`), /header\.csv has a header but no data rows/);
    assertRejected(write(t, 'header-no-newline.csv', HEADER_LINE), /has a header but no data rows/);
  });

  it('unknown columns: names the columns found and the layouts expected', (t) => {
    const file = write(t, 'orders.csv', 'order_id,sku,qty,when\n1,A,2,2010-12-01\n');
    assertRejected(
      file,
      /does not match any known Online Retail layout\. Columns found: "order_id", "sku", "qty", "when"\. Layouts expected: Online Retail .*InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country; Online Retail II .*Invoice, StockCode, Description, Quantity, InvoiceDate, Price, Customer ID, Country/,
    );
  });

  it('a layout with a column missing says which', (t) => {
    const file = write(t, 'no-country.csv', toCsv([UCI_HEADER.slice(0, 7), GOOD.slice(0, 7)]));
    assertRejected(file, /Closest layout is online-retail, which also needs: Country/);
  });

  it('the wrong delimiter (semicolons)', (t) => {
    const file = write(t, 'semicolon.csv', `${UCI_HEADER.join(';')}\n${GOOD.join(';')}\n`);
    assertRejected(file, /looks ';'-delimited: the lab reads comma-separated files/);
  });

  it('a tab-separated file', (t) => {
    const file = write(t, 'tabs.csv', `${UCI_HEADER.join('\t')}\n${GOOD.join('\t')}\n`);
    assertRejected(file, /looks tab-delimited/);
  });

  it('a missing file', () => {
    assertRejected('/nonexistent/online-retail.csv', /Data file \/nonexistent\/online-retail\.csv does not exist/);
  });

  it('a truncated last line is quarantined with its reason', (t) => {
    const body = `${toCsv([UCI_HEADER, ...UCI_ROWS.slice(0, 3)])}536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:`;
    const quarantine = quarantineOf(write(t, 'cut.csv', body));
    assert.deepEqual(quarantine, [{ row: 4, reason: 'the last line has 5 of 8 fields: the file looks truncated' }]);
    assert.equal(cleanWithPolars(write(t, 'cut2.csv', body)).report.rowsIn, 4);
  });

  it('a last line cut inside a quoted field is quarantined', (t) => {
    const body = `${toCsv([UCI_HEADER, GOOD])}536380,22961,"JAM MAKING SET PRINTED, SM`;
    assert.deepEqual(quarantineOf(write(t, 'cut-quote.csv', body)), [
      { row: 2, reason: 'the last line ends inside a quoted field: the file looks truncated' },
    ]);
  });

  it('a last line without newline but complete is an ordinary row', (t) => {
    const file = write(t, 'no-final-newline.csv', toCsv([UCI_HEADER, GOOD]).trimEnd());
    assert.deepEqual(quarantineOf(file), []);
    assert.equal(loadCleanRows(file).length, 1);
  });

  it('a short row in the middle is quarantined for its empty field', (t) => {
    const file = write(t, 'short.csv', toCsv([UCI_HEADER, GOOD.slice(0, 6), GOOD]));
    assert.deepEqual(quarantineOf(file), [{ row: 1, reason: 'Country is empty' }]);
  });

  it('a UTF-8 byte-order mark is removed before the header is read', (t) => {
    const file = write(
      t,
      'bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(toCsv([UCI_HEADER, GOOD]))]),
    );
    const result = cleanWithPolars(file);
    assert.equal(result.encoding, 'utf-8-bom');
    assert.equal(result.layout, 'uci-workbook-csv');
    assert.equal(loadCleanRows(file)[0]!.invoice, '536365');
    assert.equal(cleanWithDanfo(file).report.rowsOut, 1);
  });

  it('a non-numeric quantity is quarantined, the other rows kept', (t) => {
    const bad = [...GOOD];
    bad[3] = 'six';
    const file = write(t, 'quantity.csv', toCsv([UCI_HEADER, bad, UCI_ROWS[1]!]));
    assert.deepEqual(quarantineOf(file), [{ row: 1, reason: 'Quantity "six" is not an integer' }]);
    assert.equal(cleanWithPolars(file).report.rowsOut, 1);
  });

  it('a fractional quantity is quarantined', (t) => {
    const bad = [...GOOD];
    bad[3] = '1.5';
    assert.deepEqual(quarantineOf(write(t, 'fraction.csv', toCsv([UCI_HEADER, bad]))), [
      { row: 1, reason: 'Quantity "1.5" is not an integer' },
    ]);
  });

  it('an unparseable date is quarantined', (t) => {
    const rows = [GOOD, [...GOOD], [...GOOD], [...GOOD]];
    rows[1]![4] = 'yesterday';
    rows[2]![4] = '2010-02-30 08:26:00';
    rows[3]![4] = '13/1/2010 8:26';
    assert.deepEqual(quarantineOf(write(t, 'dates.csv', toCsv([UCI_HEADER, ...rows]))), [
      { row: 2, reason: 'InvoiceDate "yesterday" is not a date like 2010-12-01 08:26:00 or 12/1/2010 8:26' },
      { row: 3, reason: 'InvoiceDate "2010-02-30 08:26:00" is not a date like 2010-12-01 08:26:00 or 12/1/2010 8:26' },
      { row: 4, reason: 'InvoiceDate "13/1/2010 8:26" is not a date like 2010-12-01 08:26:00 or 12/1/2010 8:26' },
    ]);
  });

  it('a bad price, a bad customer id and an empty invoice are quarantined', (t) => {
    const price = [...GOOD];
    price[5] = '2,55';
    const customer = [...GOOD];
    customer[6] = 'guest';
    const invoice = [...GOOD];
    invoice[0] = '';
    assert.deepEqual(quarantineOf(write(t, 'values.csv', toCsv([UCI_HEADER, price, customer, invoice, GOOD]))), [
      { row: 1, reason: 'UnitPrice "2,55" is not a number' },
      { row: 2, reason: 'CustomerID "guest" is not a customer number like 17850' },
      { row: 3, reason: 'InvoiceNo is empty' },
    ]);
  });

  it('an unsupported file type', (t) => {
    assertRejected(write(t, 'data.json', '[]'), /cannot read files of type \.json/);
  });

  it('a file named .xlsx that is not a workbook', (t) => {
    assertRejected(write(t, 'fake.xlsx', 'hello'), /fake\.xlsx/);
  });
});
