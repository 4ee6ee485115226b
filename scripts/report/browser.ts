/**
 * Opens an HTML report in Debian's Chromium (driven by playwright-core; no
 * browser download), offline, and checks that its Plotly charts rendered.
 * Used by the report test and by scripts/screenshot.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.KAFKA_LAB_CHROMIUM ?? '/usr/bin/chromium';
/** Headless, offline, no first-run work: shared by the report check and the JupyterLab tests. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface RenderCheck {
  plots: number;
  renderedPlots: number;
  /** Requests that left the file system (should be none). */
  networkRequests: string[];
  pageErrors: string[];
}

/** Runs `use` with a page that has the report loaded and its charts drawn. */
export async function withReportPage<T>(
  htmlFile: string,
  use: (page: Page, check: RenderCheck) => Promise<T>,
): Promise<T> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Install Debian's package: \`apt-get install -y chromium\` (or set KAFKA_LAB_CHROMIUM).`,
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-lab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    offline: true,
    viewport: { width: 1200, height: 900 },
  });
  try {
    const page = await context.newPage();
    const check: RenderCheck = { plots: 0, renderedPlots: 0, networkRequests: [], pageErrors: [] };
    page.on('request', (request) => {
      if (!request.url().startsWith('file:') && !request.url().startsWith('data:'))
        check.networkRequests.push(request.url());
    });
    page.on('pageerror', (error) => check.pageErrors.push(error.message));
    await page.goto(`file://${path.resolve(htmlFile)}`, { waitUntil: 'load' });
    check.plots = await page.locator('.kafka-lab-plot').count();
    if (check.plots > 0) {
      // A string expression: it runs in the page, where `document` exists (no DOM types needed here).
      // Charts that never draw are reported by the counts below, not by a timeout error.
      await page
        .waitForFunction(
          `document.querySelectorAll('.kafka-lab-plot .plot-container svg.main-svg').length >= ${check.plots}`,
          undefined,
          { timeout: 30_000 },
        )
        .catch(() => undefined);
    }
    check.renderedPlots = await page.locator('.kafka-lab-plot .plot-container').count();
    return await use(page, check);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
