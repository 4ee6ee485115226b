import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { UCI_HEADER, UCI_ROWS, tempDir, toCsv, writeKaggleCsv } from './support/fixtures';
import {
  cleanWithDanfo,
  cleanWithPolars,
  generateRetailCsv,
  RETAIL_ROW_COLUMNS,
  type DanfoCleaning,
  type PolarsCleaning,
} from '../../src/internal';

/** The two engines give the same report, steps, quarantine and rows, column by column. */
function assertEnginesEqual(file: string): PolarsCleaning {
  const fast = cleanWithPolars(file);
  const danfo: DanfoCleaning = cleanWithDanfo(file);
  assert.deepEqual(danfo.report, fast.report);
  assert.deepEqual(danfo.steps, fast.steps);
  assert.deepEqual(danfo.quarantine, fast.quarantine);
  for (const column of ['row', ...RETAIL_ROW_COLUMNS]) {
    const a = fast.report.rowsOut === 0 ? [] : fast.df.getColumn(column).toArray();
    const b = danfo.report.rowsOut === 0 ? [] : danfo.df.column(column).values;
    assert.deepEqual(b, a, `column ${column}`);
  }
  return fast;
}

/** Values at the edges of what each parser accepts: both engines must judge them alike. */
const EDGE_VALUES: [field: number, value: string][] = [
  [3, ' 6 '],
  [3, '+3'],
  [3, '1e1'],
  [3, '6.0'],
  [3, '.5'],
  [3, '0x10'],
  [3, 'NaN'],
  [3, 'inf'],
  [3, '1e999'],
  [3, '-0'],
  [4, '2010-12-1 8:26'],
  [4, '12/01/2010 08:26:00'],
  [4, '2010-12-01T08:26'],
  [4, '2010-12-01 08:26:00.000'],
  [4, '2012-02-29 10:00:00'],
  [4, '2011-02-29 10:00:00'],
  [4, '2000-02-29 10:00:00'],
  [4, '1900-02-29 10:00:00'],
  [4, '2010-12-01 24:00:00'],
  [4, '2010-12-01'],
  [4, '2010-04-31 10:00:00'],
  [4, '2010-12-01  08:26:00'],
  [4, '٢٠١٠-12-01 08:26:00'],
  [5, '1e-2'],
  [5, '-2.5'],
  [5, '2.'],
  [5, 'Infinity'],
  [5, '1,5'],
  [5, '  '],
  [6, '17850.00'],
  [6, '017850'],
  [6, '17850.5'],
  [6, ' 17850.0 '],
  [6, '-1'],
  [0, 'a536365'],
  [0, '  '],
  [1, ''],
  [2, '   '],
  [7, ''],
];

describe('polars and Danfo give identical results', () => {
  it('on values at the edges of every parser', (t) => {
    const file = path.join(tempDir(t), 'edges.csv');
    const rows = EDGE_VALUES.map(([field, value], i) => {
      const row = [...UCI_ROWS[i % UCI_ROWS.length]!];
      row[field] = value;
      return row;
    });
    fs.writeFileSync(file, toCsv([UCI_HEADER, ...rows, ...UCI_ROWS]));
    const fast = assertEnginesEqual(file);
    assert.ok(fast.report.quarantined > 15, `expected many quarantined rows, got ${fast.report.quarantined}`);
    const reasons = fast.quarantine.map((q) => q.reason).join('\n');
    for (const bad of [
      '2011-02-29 10:00:00',
      '1900-02-29 10:00:00',
      '2010-12-01 24:00:00',
      '2010-04-31 10:00:00',
      '"0x10"',
      '"NaN"',
      '"inf"',
      '"1e999"',
      '"Infinity"',
      '"1,5"',
      '"17850.5"',
    ]) {
      assert.ok(reasons.includes(bad), `${bad} is quarantined`);
    }
    for (const good of [
      '2012-02-29',
      '2000-02-29',
      '2010-12-1 8:26',
      '12/01/2010 08:26:00',
      '"+3"',
      '"1e1"',
      '"6.0"',
      '"17850.00"',
    ]) {
      assert.ok(!reasons.includes(good), `${good} is accepted`);
    }
  });

  it('on quoting, CRLF line ends and blank lines (the two CSV readers agree)', (t) => {
    const file = path.join(tempDir(t), 'quoting.csv');
    const lines = [
      UCI_HEADER.join(','),
      '536365,85123A,"WHITE ""HANGING"" HEART, T-LIGHT",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
      '',
      '536365,71053,"TWO-LINE',
      'DESCRIPTION",6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom',
      '536366,22633,HAND "WARMER" JACK,6,2010-12-01 08:28:00,1.85,17851.0,"United Kingdom"',
      '536367,84879,"",32,2010-12-01 08:34:00,1.69,13047.0,United Kingdom',
    ];
    fs.writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    const fast = assertEnginesEqual(file);
    assert.deepEqual(fast.df.getColumn('description').toArray(), [
      'WHITE "HANGING" HEART, T-LIGHT',
      'TWO-LINE\r\nDESCRIPTION',
      'HAND "WARMER" JACK',
      '',
    ]);
    assert.equal(fast.report.rowsIn, 4);
  });

  it('on a generated file with every rule firing', (t) => {
    const file = path.join(tempDir(t), 'generated.csv');
    fs.writeFileSync(file, generateRetailCsv({ rows: 20_000, seed: 7 }));
    const fast = assertEnginesEqual(file);
    for (const key of [
      'missingCustomer',
      'cancellations',
      'nonPositiveQuantity',
      'nonPositivePrice',
      'duplicates',
    ] as const) {
      assert.ok(fast.report[key] > 0, `${key} fires on generated data`);
    }
  });

  it('on the Kaggle layout with month/day/year dates', (t) => {
    const file = path.join(tempDir(t), 'data.csv');
    writeKaggleCsv(file, UCI_ROWS);
    assertEnginesEqual(file);
  });

  it('on duplicates written differently (compared after normalisation, every field)', (t) => {
    const file = path.join(tempDir(t), 'spelled-apart.csv');
    const same = [
      '536365',
      '71053',
      'WHITE METAL LANTERN',
      '6',
      '2010-12-01 08:26:00',
      '3.39',
      '17850.0',
      'United Kingdom',
    ];
    const respelled = [
      ['536365', '71053', 'WHITE METAL LANTERN ', ' 6', '2010-12-01 08:26', '3.390', '17850', 'United Kingdom'],
      [' 536365', '71053 ', ' WHITE METAL LANTERN', '6.0', '12/1/2010 8:26', '3.39', ' 17850.00 ', ' United Kingdom'],
    ];
    const different = [...same.slice(0, 5), '3.38', ...same.slice(6)];
    fs.writeFileSync(file, toCsv([UCI_HEADER, same, ...respelled, different]));
    const fast = assertEnginesEqual(file);
    assert.equal(fast.report.duplicates, respelled.length);
    assert.equal(fast.report.rowsOut, 2);
    assert.deepEqual(fast.df.getColumn('row').toArray(), [1, 4], 'the first of each row is kept, in file order');
  });

  it('when every row is quarantined', (t) => {
    const file = path.join(tempDir(t), 'all-bad.csv');
    fs.writeFileSync(file, toCsv([UCI_HEADER, ...UCI_ROWS.map((r) => r.map((v, i) => (i === 4 ? 'soon' : v)))]));
    const fast = assertEnginesEqual(file);
    assert.equal(fast.report.rowsOut, 0);
    assert.equal(fast.report.quarantined, UCI_ROWS.length);
    assert.equal(fast.report.revenue, 0);
  });
});
