/**
 * Makes the README's screenshot of a report chart: opens an HTML report
 * (default reports/02-produce-and-consume.html, made by `npm run report`)
 * in Chromium offline and saves one chart as docs/report-chart.png.
 *
 *   npm run screenshot [-- <report.html> [<chart index> [<out.png>]]]
 */
import fs from 'node:fs';
import path from 'node:path';
import { withReportPage } from './report/browser';
import { projectRoot } from './report/execute';

async function main(): Promise<void> {
  const html = path.resolve(process.argv[2] ?? path.join(projectRoot, 'reports', '02-produce-and-consume.html'));
  const index = Number(process.argv[3] ?? 1);
  if (!fs.existsSync(html))
    throw new Error(`${path.relative(projectRoot, html)} does not exist. Run \`npm run report\` first.`);
  const out = path.resolve(process.argv[4] ?? path.join(projectRoot, 'docs', 'report-chart.png'));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await withReportPage(html, async (page, check) => {
    if (check.renderedPlots === 0) throw new Error(`No Plotly chart rendered in ${html}.`);
    const chart = page.locator('.kafka-lab-plot').nth(Math.min(index, check.renderedPlots - 1));
    await chart.scrollIntoViewIfNeeded();
    await chart.screenshot({ path: out });
  });
  process.stdout.write(`Wrote ${path.relative(projectRoot, out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
