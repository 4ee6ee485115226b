import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadRetailRows, streamRetailRows } from '../../src/internal';

test('streamRetailRows hands out the same rows as loadRetailRows, chunk by chunk', async () => {
  const options = {
    datasetDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lab-stream-')),
    cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lab-stream-cache-')),
    generatedRows: 30_000,
    seed: 7,
  };
  const all = await loadRetailRows(options);
  const stream = streamRetailRows(options);
  assert.equal(stream.total, all.length);
  assert.ok(all.length > 20_000, 'more rows than one chunk');
  const streamed = [];
  for await (const row of stream) streamed.push(row);
  assert.deepEqual(streamed, all);

  const head = streamRetailRows({ ...options, rows: 12_345 });
  assert.equal(head.total, 12_345);
  let count = 0;
  for await (const _ of head) count += 1;
  assert.equal(count, 12_345);
});
