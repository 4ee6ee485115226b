import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { readResults } from '../../src/notebook';
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
// queueConsumers/queuePartitions: notebook 09 (12 Java members on 3 partitions by default).
const params = { rows: 2000, consumers: 3, partitions: 6, generatedRows: 5000, queueConsumers: 6, queuePartitions: 2 };
const resultsFile = path.join(outDir, 'results.jsonl');
const executed = new Map<string, string>();

before(async () => {
  await ensureTestBroker();
  fs.mkdirSync(outDir, { recursive: true });
  fs.rmSync(resultsFile, { force: true });
});

for (const file of notebookFiles()) {
  const name = path.basename(file, '.ipynb');
  test(`notebook ${name} executes headless with no error output`, { timeout: 600_000 }, async () => {
    const result = await executeNotebook(file, { outDir, params, cellTimeoutSec: 300, resultsFile });
    assert.equal(result.failure, undefined, result.failure);
    assert.deepEqual(result.errors, []);
    assert.ok(result.ok);
    if (result.html) executed.set(name, result.html);
  });
}

test('notebook 09 recorded what queues versus logs should show', () => {
  type Queue = { missing: number; idleConsumers: number; orderViolations: { count: number }; redelivered: number; maxDeliveryCount: number };
  const recorded = new Map(readResults(resultsFile).filter((r) => r.notebook === '09-queues-versus-logs').map((r) => [r.name, r.value as Queue]));
  const log = recorded.get('consumerGroup');
  const queue = recorded.get('shareGroup');
  const kill = recorded.get('shareGroupKill');
  assert.ok(log && queue && kill, `notebook 09 recorded ${[...recorded.keys()].join(', ') || 'nothing'}`);
  assert.deepEqual([log.missing, queue.missing, kill.missing], [0, 0, 0]);
  assert.equal(log.idleConsumers, params.queueConsumers - params.queuePartitions);
  assert.equal(log.orderViolations.count, 0);
  assert.equal(queue.idleConsumers, 0);
  assert.ok(queue.orderViolations.count > 0, 'a share group does not keep per-key order');
  assert.ok(kill.redelivered > 0 && kill.maxDeliveryCount >= 2, `after the kill: redelivered ${kill.redelivered}, max delivery count ${kill.maxDeliveryCount}`);
});

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
