import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { jupyterLabProblem, type RunningJupyterLab, startJupyterLab } from '../../src/cli/jupyterLab';
import { PLOTLY_MIME } from '../../src/notebook/plotly';
import { CHROMIUM, CHROMIUM_FLAGS, withReportPage } from '../../scripts/report/browser';
import { jupyterBin, projectRoot } from '../../scripts/report/execute';
import { ensureTestBroker } from '../support/broker';

/**
 * The flow the lab exists for, as a user does it in JupyterLab (issue 17): open
 * notebook 02, run all, change the consumer count, run all again in the SAME
 * kernel, save, export with nbconvert. Every chart of the exported HTML must
 * draw with the network cut off. Before the fix plotly.js travelled once per
 * kernel, in an output the re-run replaced, and the export had empty boxes.
 *
 * The copy lives one folder below the project (reports/) so that the notebook's
 * `import * as lab from ".."` finds this project, as it does from notebooks/.
 */
const problem = jupyterLabProblem() ?? (fs.existsSync(CHROMIUM) ? undefined : `needs Chromium at ${CHROMIUM}`);
if (problem && process.env.CI === 'true') throw new Error(problem);

const reportsDir = path.join(projectRoot, 'reports');
const name = `rerun-${randomBytes(4).toString('hex')}.ipynb`;
const copy = path.join(reportsDir, name);
let lab: RunningJupyterLab;
let browser: Browser;
const savedEnv = process.env.KAFKA_LAB_PARAMS;

before(async () => {
  if (problem) return;
  await ensureTestBroker();
  fs.mkdirSync(reportsDir, { recursive: true });
  fs.copyFileSync(path.join(projectRoot, 'notebooks', '02-produce-and-consume.ipynb'), copy);
  // The kernel inherits JupyterLab's environment: few rows keep the runs short.
  process.env.KAFKA_LAB_PARAMS = JSON.stringify({ rows: 400, partitions: 4 });
  lab = await startJupyterLab({
    rootDir: reportsDir,
    exposeAppInBrowser: true,
    logFile: path.join(os.tmpdir(), `${name}.jupyterlab.log`),
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
});

after(async () => {
  if (savedEnv === undefined) delete process.env.KAFKA_LAB_PARAMS;
  else process.env.KAFKA_LAB_PARAMS = savedEnv;
  await browser?.close();
  await lab?.stop();
  fs.rmSync(copy, { force: true });
});

/** Runs a JupyterLab command in the page and waits for its promise (run-all resolves when every cell ran). */
async function command(page: Page, id: string): Promise<unknown> {
  return page.evaluate(`window.jupyterapp.commands.execute(${JSON.stringify(id)})`);
}

/** The error outputs in the open notebook, `cell N: name: value`. */
async function errorsInPage(page: Page): Promise<string[]> {
  return (await page.evaluate(`window.jupyterapp.shell.currentWidget.content.widgets.flatMap((cell, index) =>
    cell.model.type === 'code'
      ? cell.model.outputs.toJSON().filter((o) => o.output_type === 'error').map((o) => 'cell ' + (index + 1) + ': ' + o.ename + ': ' + o.evalue)
      : [])`)) as string[];
}

interface SavedNotebook {
  cells: {
    cell_type: string;
    source: string | string[];
    outputs?: { output_type: string; data?: Record<string, unknown>; ename?: string; evalue?: string }[];
  }[];
}

test('re-run notebook 02 with another consumer count, save, export: every chart of the HTML draws offline', {
  skip: problem,
  timeout: 600_000,
}, async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(`http://127.0.0.1:${lab.port}/lab/tree/${encodeURIComponent(name)}?token=${lab.token}`);
  // The notebook is open and its tslab kernel is idle.
  await page.waitForFunction(
    `(() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
      const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
      return Boolean(k && w.sessionContext.isReady && k.status === 'idle' && w.content && w.content.widgets.length > 5); })()`,
    undefined,
    { timeout: 120_000, polling: 250 },
  );
  assert.equal(
    await command(page, 'notebook:run-all-cells'),
    true,
    `the first run-all failed: ${(await errorsInPage(page)).join('; ')}`,
  );

  // Change the consumer count in the parameter cell, as a user would, and run everything again.
  const changed = await page.evaluate(`(() => {
    const cell = window.jupyterapp.shell.currentWidget.content.widgets[1].model.sharedModel;
    const before = cell.getSource();
    cell.setSource(before.replace('consumers: 3', 'consumers: 2'));
    return cell.getSource() !== before;
  })()`);
  assert.equal(changed, true, 'the parameter cell should say `consumers: 3`');
  assert.equal(
    await command(page, 'notebook:run-all-cells'),
    true,
    `the second run-all failed: ${(await errorsInPage(page)).join('; ')}`,
  );
  const mtime = fs.statSync(copy).mtimeMs;
  await command(page, 'docmanager:save');
  await page.waitForFunction(`!window.jupyterapp.shell.currentWidget.context.model.dirty`, undefined, {
    timeout: 60_000,
  });
  assert.ok(fs.statSync(copy).mtimeMs > mtime, 'JupyterLab should have written the notebook');
  await page.close();

  const saved = JSON.parse(fs.readFileSync(copy, 'utf8')) as SavedNotebook;
  const outputs = saved.cells.flatMap((cell) => cell.outputs ?? []);
  assert.deepEqual(
    outputs.filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`),
    [],
  );
  const figures = outputs.filter((o) => o.data && PLOTLY_MIME in o.data);
  assert.equal(figures.length, 4, 'notebook 02 shows four charts');
  const consumers: string[] = JSON.stringify(outputs).match(/consumer-\d/g) ?? [];
  assert.ok(
    consumers.includes('consumer-2') && !consumers.includes('consumer-3'),
    'the saved outputs are those of the 2-consumer run',
  );

  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-rerun-html-'));
  // What JupyterLab's "Export Notebook As → HTML" runs: nbconvert with its default template.
  execFileSync(jupyterBin, ['nbconvert', '--to', 'html', '--output-dir', outDir, copy], { stdio: 'pipe' });
  const html = path.join(outDir, name.replace(/\.ipynb$/, '.html'));
  const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);
  process.stdout.write(
    `# saved notebook ${megabytes(fs.statSync(copy).size)} MB, exported HTML ${megabytes(fs.statSync(html).size)} MB\n`,
  );
  await withReportPage(html, async (_page, check) => {
    assert.equal(check.plots, 4, 'the HTML should hold the four charts');
    assert.equal(check.renderedPlots, 4, 'every chart should have drawn its SVG');
    assert.deepEqual(check.pageErrors, []);
    // nbconvert's default template asks a CDN for require.js and MathJax (blocked here);
    // nothing of ours may need the network.
    const ours = check.networkRequests.filter(
      (url) => !/cdnjs\.cloudflare\.com\/ajax\/libs\/(require\.js|mathjax)|cdn\.jsdelivr\.net\/npm\/mermaid/i.test(url),
    );
    assert.deepEqual(ours, [], 'the charts must not touch the network');
  });
  fs.rmSync(outDir, { recursive: true, force: true });
});
