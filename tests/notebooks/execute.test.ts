import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { ensureTestBroker } from '../support/broker';
import { notebookFiles } from '../../scripts/notebookHygiene';
import { executeNotebook, projectRoot } from '../../scripts/report/execute';
import { withReportPage } from '../../scripts/report/browser';

/**
 * Every notebook runs headless (nbconvert + tslab) against the real broker with
 * no error output, small parameters so the suite stays quick; then the HTML
 * report of one is opened offline in Chromium and its charts must have rendered.
 * Needs `npm run build` (the test command builds first) and the .venv.
 */
const outDir = path.join(projectRoot, 'reports', 'test');
const params = { rows: 2000, consumers: 3, partitions: 6, generatedRows: 5000 };
/** Notebooks whose own parameters make them long get short runs here: 08 replays 10:00-14:00 at 3000x (under 5 s). */
const notebookParams: Record<string, Record<string, unknown>> = {
  '08-a-day-at-the-shop': { speedup: 3000, startTime: '10:00', endTime: '14:00', at: '12:00', stormWatchSec: 8 },
};
const executed = new Map<string, string>();

before(async () => {
  await ensureTestBroker();
  fs.mkdirSync(outDir, { recursive: true });
});

for (const file of notebookFiles()) {
  const name = path.basename(file, '.ipynb');
  test(`notebook ${name} executes headless with no error output`, { timeout: 600_000 }, async () => {
    const result = await executeNotebook(file, {
      outDir,
      params: { ...params, ...notebookParams[name] },
      cellTimeoutSec: 300,
    });
    assert.equal(result.failure, undefined, result.failure);
    assert.deepEqual(result.errors, []);
    assert.ok(result.ok);
    if (result.html) executed.set(name, result.html);
  });
}

test('a generated report renders its Plotly charts offline in Chromium', { timeout: 120_000 }, async () => {
  const html = executed.get('02-produce-and-consume') ?? [...executed.values()][0];
  assert.ok(html, 'no notebook produced an HTML report');
  await withReportPage(html, async (page, check) => {
    assert.ok(check.plots > 0, 'the report holds no Plotly chart');
    assert.equal(check.renderedPlots, check.plots, 'every chart should have drawn its SVG');
    assert.deepEqual(check.networkRequests, [], 'the report must not touch the network');
    assert.deepEqual(check.pageErrors, []);
    await page.screenshot({ path: path.join(projectRoot, 'reports', 'report-screenshot.png'), fullPage: false });
  });
});

test('every generated report draws all of its Plotly charts offline', { timeout: 300_000 }, async () => {
  assert.ok(executed.size > 0, 'no notebook produced an HTML report');
  for (const [name, html] of executed) {
    await withReportPage(html, async (_page, check) => {
      assert.equal(check.renderedPlots, check.plots, `${name}: every chart should have drawn its SVG`);
      assert.deepEqual(check.networkRequests, [], `${name}: the report must not touch the network`);
      assert.deepEqual(check.pageErrors, [], `${name}: page errors`);
    });
  }
});
