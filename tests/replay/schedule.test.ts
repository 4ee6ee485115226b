import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReplaySchedule, datesInRows, LabError, loadRetailRows } from '../../src/internal';
import { skipUnless } from '../support/requirements';
import { SAMPLE_FILE } from '../support/sample';

/**
 * The replay schedule, without a broker: the real sample's 2010-12-09 (the
 * figures the issue quotes) and the errors for bad options.
 */
/** The shared real sample (KAFKA_LAB_SAMPLE_FILE overrides); under CI its absence fails, elsewhere it skips. */
const SAMPLE = SAMPLE_FILE;
const needsSample = skipUnless('sample');

test('2010-12-09 of the real sample: 1,739 cleaned lines from 08:34 to 20:01, minute bursts kept, 600x takes about 69 s', {
  skip: needsSample,
}, async () => {
  const rows = await loadRetailRows({ file: SAMPLE });
  const schedule = buildReplaySchedule(rows, { date: '2010-12-09', speedup: 600 });
  assert.equal(schedule.entries.length, 1739);
  assert.equal(new Date(schedule.eventStart).toISOString().slice(11, 16), '08:34');
  assert.equal(new Date(schedule.eventEnd).toISOString().slice(11, 16), '20:01');
  assert.ok(Math.abs(schedule.wallSpanMs - (schedule.eventSpanSec * 1000) / 600) < 1);
  // Rows of one invoice minute are due at the same instant: the bursts survive.
  const perDue = new Map<number, number>();
  for (const entry of schedule.entries) perDue.set(entry.dueMs, (perDue.get(entry.dueMs) ?? 0) + 1);
  assert.ok(perDue.size < 200, `expected a few hundred bursts, got ${perDue.size}`);
  assert.ok(Math.max(...perDue.values()) >= 50, 'the largest burst should hold dozens of lines');
  // The busiest ten minutes hold 138 lines.
  const perTen = new Map<number, number>();
  for (const entry of schedule.entries) {
    const bucket = Math.floor(entry.eventTime / 600_000);
    perTen.set(bucket, (perTen.get(bucket) ?? 0) + 1);
  }
  assert.equal(Math.max(...perTen.values()), 138);
  // Event-time order, and due times that never go back.
  for (let i = 1; i < schedule.entries.length; i += 1)
    assert.ok(schedule.entries[i].dueMs >= schedule.entries[i - 1].dueMs);
});

test('the generated default covers 2010-12-09 with an intraday shape (quiet morning, busier midday)', async () => {
  const rows = await loadRetailRows();
  assert.ok(datesInRows(rows).includes('2010-12-09'));
  const schedule = buildReplaySchedule(rows, { date: '2010-12-09' });
  assert.ok(schedule.entries.length > 300, `only ${schedule.entries.length} rows on 2010-12-09`);
  const hourOf = (t: number) => new Date(t).getUTCHours();
  const byHour = new Map<number, number>();
  for (const entry of schedule.entries)
    byHour.set(hourOf(entry.eventTime), (byHour.get(hourOf(entry.eventTime)) ?? 0) + 1);
  const early = (byHour.get(7) ?? 0) + (byHour.get(8) ?? 0);
  const midday = (byHour.get(11) ?? 0) + (byHour.get(12) ?? 0);
  assert.ok(midday > early, `midday ${midday} should exceed 07:00-09:00 ${early}`);
});

test('bad options get errors that say what is valid', { skip: needsSample }, async () => {
  const rows = await loadRetailRows({ file: SAMPLE });
  assert.throws(
    () => buildReplaySchedule(rows, { date: '2010-12-09', speedup: 0 }),
    (error: unknown) => {
      assert.ok(error instanceof LabError);
      assert.equal(error.code, 'INVALID_OPTION');
      assert.match(error.message, /Invalid speedup: 0\. Expected a number from 1 \(real time\) to 100,000\./);
      assert.match(error.message, /600 plays a 12-hour trading day in 72 s/);
      return true;
    },
  );
  assert.throws(
    () => buildReplaySchedule(rows, { date: '2010-12-25' }),
    (error: unknown) => {
      assert.ok(error instanceof LabError);
      assert.match(
        error.message,
        /Invalid date: "2010-12-25"\. Expected a trading day of the data set \(17 days from 2010-12-01 to 2010-12-20\): /,
      );
      // The sample has 17 days (up to 31 are listed in full).
      for (const date of datesInRows(rows))
        assert.ok(error.message.includes(date), `${date} missing from: ${error.message}`);
      return true;
    },
  );
  assert.throws(
    () => buildReplaySchedule(rows, { date: '9.12.2010' }),
    /Expected a date written YYYY-MM-DD, a trading day of the data set/,
  );
  assert.throws(
    () => buildReplaySchedule(rows, { date: '2010-12-09', startTime: '25:00' }),
    /time of day written HH:MM/,
  );
  const generated = await loadRetailRows();
  assert.throws(
    () => buildReplaySchedule(generated, { date: '2011-12-25' }),
    (error: unknown) => {
      assert.ok(error instanceof LabError);
      assert.match(error.message, /days from 2010-12-01 to 2011-12-09\); the nearest are 2011-12-\d\d/);
      return true;
    },
  );
});
