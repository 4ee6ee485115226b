import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeDuplicates,
  describeLedgerRun,
  describeVisibility,
  ledgerDiffChart,
  ledgerTableRows,
  ledgerTimelineChart,
  type LedgerResult,
} from '../../src/internal';

/** The ledger's charts and sentences from literal results: figures in, figures out. */

const base = {
  perCountry: [
    { country: 'United Kingdom', batch: 10_000_000, stream: 10_000_000, diff: 0 },
    { country: 'EIRE', batch: 2_000_000, stream: 2_000_000, diff: 0 },
    { country: 'France', batch: 1_000_000, stream: 1_000_000, diff: 0 },
  ],
  timeline: [
    { at: 0, kind: 'start', incarnation: 1, detail: 'started' },
    { at: 1500, kind: 'kill', incarnation: 1, detail: 'SIGKILL p1' },
    { at: 2500, kind: 'abort', incarnation: 1, detail: 'aborted' },
  ],
  visibility: {
    readCommitted: 10,
    readUncommitted: 12,
    onlyUncommitted: 2,
    deadLettersOnlyUncommitted: 0,
    abortedTransactions: 1,
    byIncarnation: [],
  },
  revenueBatch: 13_000_000,
  revenueStream: 13_000_000,
  revenueDiff: 0,
  duplicates: 0,
  duplicateAmount: 0,
  missing: 0,
  processorKills: 3,
} as unknown as LedgerResult;
const eos = { ...base, guarantee: 'exactly-once' } as LedgerResult;
const alo = {
  ...base,
  guarantee: 'at-least-once',
  perCountry: [
    base.perCountry[0],
    base.perCountry[1],
    { country: 'France', batch: 1_000_000, stream: 1_012_345, diff: 12_345 },
  ],
  revenueStream: 13_012_345,
  revenueDiff: 12_345,
  duplicates: 7,
  duplicateAmount: 12_345,
  visibility: {
    readCommitted: 17,
    readUncommitted: 17,
    onlyUncommitted: 0,
    deadLettersOnlyUncommitted: 0,
    abortedTransactions: 0,
    byIncarnation: [],
  },
} as LedgerResult;

test('the difference chart puts countries with a difference first, in pounds, one bar group per run', () => {
  const fig = ledgerDiffChart([alo, eos]);
  assert.deepEqual(
    fig.data.map((t) => t.name),
    ['at-least-once', 'exactly-once'],
  );
  assert.deepEqual(fig.data[0].x, ['France', 'United Kingdom', 'EIRE']);
  assert.deepEqual(fig.data[0].y, [12.345, 0, 0]);
  assert.deepEqual(fig.data[1].y, [0, 0, 0]);
});

test("the timeline chart has one trace per kind of event, placed in seconds on the run's row", () => {
  const fig = ledgerTimelineChart([eos]);
  const kill = fig.data.find((t) => t.name === 'kill')!;
  assert.deepEqual(kill.x, [1.5]);
  assert.deepEqual(kill.y, ['exactly-once: processes']);
  assert.deepEqual(fig.data.find((t) => t.name === 'abort')!.y, ['exactly-once: transactions']);
  assert.deepEqual(fig.data.find((t) => t.name === 'abort')!.x, [2.5]);
});

test('sentences and the ledger table are computed from the figures', () => {
  assert.equal(
    describeLedgerRun(eos),
    'exactly-once matched the batch to the penny (£13,000.00 both ways) through 3 kills, with no duplicates and nothing missing.',
  );
  assert.equal(
    describeLedgerRun(alo),
    'at-least-once counted £12.345 twice across 7 events through 3 kills: the stream says £13,012.345, the batch £13,000.00 (difference £12.345).',
  );
  assert.match(
    describeVisibility(eos),
    /read_uncommitted reader sees 12 events, a read_committed reader 10: the 2 events of 1 aborted transaction are visible only to read_uncommitted/,
  );
  assert.equal(
    describeDuplicates({ ...alo, duplicateList: [{}, {}] } as LedgerResult),
    "The 2 listed duplicates add up to £12.345 over 7 extra events; the stream's difference from the batch is £12.345: the duplicates are the whole difference.",
  );
  const rows = ledgerTableRows([alo, eos]);
  assert.deepEqual(rows.at(-1), {
    country: 'TOTAL',
    batch: '£13,000.00',
    'at-least-once stream': '£13,012.345',
    'at-least-once diff': '£12.345',
    'exactly-once stream': '£13,000.00',
    'exactly-once diff': '£0.00',
  });
});
