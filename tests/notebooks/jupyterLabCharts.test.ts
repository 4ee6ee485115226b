import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { startJupyterLab } from '../../src/internal';
import { CHROMIUM } from '../../scripts/report/browser';
import { executeNotebook, projectRoot } from '../../scripts/report/execute';
import { skipUnless } from '../support/requirements';

/**
 * What `npm start` serves: JupyterLab with the tslab kernel. An executed notebook
 * opened there must show its Plotly charts through JupyterLab's own renderer
 * (the application/vnd.plotly.v1+json output), not only in nbconvert's HTML.
 */
test('JupyterLab renders the Plotly charts of an executed notebook', {
  skip: skipUnless('python', 'chromium'),
  timeout: 300_000,
}, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-jupyter-'));
  const executed = await executeNotebook(path.join(projectRoot, 'notebooks', '02-produce-and-consume.ipynb'), {
    outDir: root,
    params: { rows: 400, consumers: 2, partitions: 4 },
    cellTimeoutSec: 300,
  });
  assert.ok(executed.ok && executed.executed, JSON.stringify(executed));
  const lab = await startJupyterLab({ rootDir: root, logFile: path.join(root, 'jupyterlab.log') });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const name = path.basename(executed.executed!);
    await page.goto(`http://127.0.0.1:${lab.port}/lab/tree/${encodeURIComponent(name)}?token=${lab.token}`);
    // JupyterLab's Plotly renderer draws into .js-plotly-plot with SVG inside.
    await page.waitForSelector('.jp-OutputArea .js-plotly-plot .main-svg', { timeout: 120_000 });
    const plots = await page.locator('.jp-OutputArea .js-plotly-plot').count();
    assert.ok(plots >= 1, `${plots} Plotly charts rendered`);
    fs.mkdirSync(path.join(projectRoot, 'reports'), { recursive: true });
    await page.screenshot({ path: path.join(projectRoot, 'reports', 'jupyterlab-screenshot.png') });
  } finally {
    await browser.close();
    await lab.stop();
  }
});
