import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { generateRetailCsv, GENERATED_HEADER } from '../../src/internal';

const ROWS = 60_000;
const text = generateRetailCsv({ rows: ROWS, seed: 42 });
const records = parse(text, { columns: true }) as Record<string, string>[];
const share = (predicate: (r: Record<string, string>) => boolean): number =>
  records.filter(predicate).length / records.length;
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('the seeded generator', () => {
  it('is deterministic per seed and differs between seeds', () => {
    assert.equal(sha(generateRetailCsv({ rows: 5_000, seed: 42 })), sha(generateRetailCsv({ rows: 5_000, seed: 42 })));
    assert.notEqual(
      sha(generateRetailCsv({ rows: 5_000, seed: 42 })),
      sha(generateRetailCsv({ rows: 5_000, seed: 43 })),
    );
    assert.equal(
      sha(generateRetailCsv({ rows: 5_000, seed: 'a' })),
      sha(generateRetailCsv({ rows: 5_000, seed: 'a' })),
    );
  });

  it('writes exactly the rows asked for, in the UCI-workbook CSV layout', () => {
    assert.equal(text.split('\n')[0], GENERATED_HEADER);
    assert.equal(records.length, ROWS);
    assert.equal(generateRetailCsv({ rows: 1, seed: 1 }).trim().split('\n').length, 2);
    const first = records[0]!;
    assert.match(first.InvoiceDate!, /^2010-12-01 08:26:00$/);
    assert.match(first.CustomerID!, /^(\d{5}\.0)?$/);
    assert.ok(records.every((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:00$/.test(r.InvoiceDate!)));
  });

  it('is about nine tenths United Kingdom', () => {
    const uk = share((r) => r.Country === 'United Kingdom');
    assert.ok(uk > 0.85 && uk < 0.95, `UK share ${uk}`);
    assert.ok(new Set(records.map((r) => r.Country)).size >= 15);
  });

  it('has ~2% cancellation rows and ~25% rows without customer id', () => {
    const cancellations = share((r) => r.InvoiceNo!.startsWith('C'));
    assert.ok(cancellations > 0.01 && cancellations < 0.03, `cancellations ${cancellations}`);
    assert.ok(
      records.filter((r) => r.InvoiceNo!.startsWith('C')).every((r) => Number(r.Quantity) < 0 && r.CustomerID !== ''),
    );
    const missing = share((r) => r.CustomerID === '');
    assert.ok(missing > 0.2 && missing < 0.3, `missing customer ${missing}`);
  });

  it('has the non-product stock codes POST, M, D, DOT and BANK CHARGES', () => {
    const codes = new Set(records.map((r) => r.StockCode));
    for (const code of ['POST', 'M', 'D', 'DOT', 'BANK CHARGES']) assert.ok(codes.has(code), code);
  });

  it('has invoices of several lines', () => {
    const lines = new Map<string, number>();
    for (const r of records) lines.set(r.InvoiceNo!, (lines.get(r.InvoiceNo!) ?? 0) + 1);
    const sales = [...lines].filter(([id]) => /^\d/.test(id)).map(([, n]) => n);
    const mean = sales.reduce((a, b) => a + b, 0) / sales.length;
    assert.ok(mean > 8 && mean < 40, `mean lines per invoice ${mean}`);
    assert.ok(sales.filter((n) => n > 1).length / sales.length > 0.7);
  });

  it('has Zipf-like popularity of products and customers', () => {
    const counts = (key: string): number[] => {
      const m = new Map<string, number>();
      for (const r of records) if (r[key] !== '') m.set(r[key]!, (m.get(r[key]!) ?? 0) + 1);
      return [...m.values()].sort((a, b) => b - a);
    };
    for (const [key, topShare] of [
      ['StockCode', 0.3],
      ['CustomerID', 0.3],
    ] as const) {
      const c = counts(key);
      const total = c.reduce((a, b) => a + b, 0);
      const top = c.slice(0, Math.ceil(c.length / 10)).reduce((a, b) => a + b, 0);
      assert.ok(top / total > topShare, `top 10% of ${key} hold ${top / total}`);
      assert.ok(c[0]! / total < 0.1, `no single ${key} dominates`);
    }
  });

  it('trades in trading hours on trading days (no Saturdays, Dec 2010 – Dec 2011)', () => {
    for (const r of records) {
      const [date, time] = r.InvoiceDate!.split(' ') as [string, string];
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      assert.notEqual(new Date(Date.UTC(y, m - 1, d)).getUTCDay(), 6, `${date} is a Saturday`);
      const hour = Number(time.slice(0, 2));
      assert.ok(hour >= 7 && hour <= 20, `${r.InvoiceDate} is outside trading hours`);
      assert.ok(date >= '2010-12-01' && date <= '2011-12-09');
    }
    const dates = records.map((r) => r.InvoiceDate!);
    assert.deepEqual(dates, [...dates].sort(), 'rows are in time order');
  });

  it('rejects a row count that is not a whole number', () => {
    assert.throws(() => generateRetailCsv({ rows: 0, seed: 1 }), /Invalid rows: 0/);
    assert.throws(() => generateRetailCsv({ rows: 2.5, seed: 1 }), /Invalid rows: 2.5/);
  });
});
