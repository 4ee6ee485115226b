import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { jupyterLabProblem, type RunningJupyterLab, startJupyterLab } from '../../src/cli/jupyterLab';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../scripts/report/browser';
import { notebookFiles } from '../../scripts/notebookHygiene';
import { projectRoot } from '../../scripts/report/execute';

/**
 * A committed notebook opens in JupyterLab unmodified (issue 17): once its tslab
 * kernel is up, the tab is not marked dirty, and saving it without a change
 * writes the very same bytes (metadata, key order and line splitting exactly as
 * JupyterLab writes them). Copies live in reports/ (one folder below the
 * project, like notebooks/), so the real files are never touched.
 */
const problem = jupyterLabProblem() ?? (fs.existsSync(CHROMIUM) ? undefined : `needs Chromium at ${CHROMIUM}`);
if (problem && process.env.CI === 'true') throw new Error(problem);

const dir = path.join(projectRoot, 'reports', `open-${randomBytes(4).toString('hex')}`);
let lab: RunningJupyterLab;
let browser: Browser;

before(async () => {
  if (problem) return;
  fs.mkdirSync(dir, { recursive: true });
  for (const file of notebookFiles()) fs.copyFileSync(file, path.join(dir, path.basename(file)));
  lab = await startJupyterLab({
    rootDir: dir,
    exposeAppInBrowser: true,
    logFile: path.join(os.tmpdir(), `${path.basename(dir)}.jupyterlab.log`),
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
});

after(async () => {
  await browser?.close();
  await lab?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

for (const file of notebookFiles()) {
  const name = path.basename(file);
  test(`${name} opens in JupyterLab unmodified, and saving it changes nothing`, {
    skip: problem,
    timeout: 300_000,
  }, async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    try {
      await page.goto(`http://127.0.0.1:${lab.port}/lab/tree/${encodeURIComponent(name)}?token=${lab.token}`);
      const kernelReady = (timeout: number) =>
        page.waitForFunction(
          `(() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
          const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
          return Boolean(k && w.sessionContext.isReady && k.status === 'idle' && k.info && w.content && w.content.widgets.length > 1); })()`,
          undefined,
          { timeout, polling: 250 },
        );
      // jupyter_server can answer the kernel's first websocket with a 500 when it comes while the
      // kernel is still starting ('NoneType' object has no attribute 'kernel_ws_protocol', seen in
      // CI), and the page then waits forever: one reload opens a new connection.
      await kernelReady(60_000).catch(async () => {
        await page.reload();
        await kernelReady(90_000);
      });
      // JupyterLab copies the kernel's language_info into the notebook once the kernel answers.
      await page.waitForFunction(
        `Boolean(window.jupyterapp.shell.currentWidget.model.getMetadata('language_info'))`,
        undefined,
        { timeout: 30_000 },
      );
      const dirty = await page.evaluate(`window.jupyterapp.shell.currentWidget.context.model.dirty`);
      const original = fs.readFileSync(path.join(dir, name), 'utf8');
      await page.evaluate(`window.jupyterapp.commands.execute('docmanager:save')`);
      await page.waitForFunction(`!window.jupyterapp.shell.currentWidget.context.model.dirty`, undefined, {
        timeout: 60_000,
      });
      const saved = fs.readFileSync(path.join(dir, name), 'utf8');
      if (saved !== original) fs.writeFileSync(path.join(os.tmpdir(), `saved-${name}`), saved);
      assert.equal(
        saved,
        original,
        `saving ${name} unchanged in JupyterLab rewrote it: run \`npm run notebooks:clean\``,
      );
      assert.equal(dirty, false, `${name} was marked modified as soon as it opened`);
    } finally {
      // One tslab kernel at a time: a kernel left per notebook slows the next ones down.
      await page.evaluate(`window.jupyterapp.shell.currentWidget.sessionContext.shutdown()`).catch(() => undefined);
      await page.close();
    }
  });
}
