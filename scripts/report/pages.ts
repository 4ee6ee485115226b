/**
 * The report's own pages: `index.html` (every run and notebook, with status)
 * and `comparison.html` (the runs of a parameter sweep side by side). Both are
 * self-contained and work offline.
 */
import {
  figureHtml,
  formatNumber,
  runComparisonChart,
  tableData,
  tableHtml,
  type RunSummary,
} from '../../src/internal';
import { escapeHtml } from '../../src/internal';
import type { ExecuteResult } from './execute';

export interface ReportRun {
  /** e.g. `consumers=3`, or `default` for a single run. */
  label: string;
  /** Folder of this run's files, relative to the reports folder ('' for the top). */
  dir: string;
  params: Record<string, unknown>;
  results: ExecuteResult[];
  /** What the notebooks recorded with `recordResult`. */
  recorded: { notebook: string; name: string; value: unknown }[];
}

const STYLE = `<style>
body{font-family:Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table.dataframe{border-collapse:collapse}table.dataframe td,table.dataframe th{border:1px solid #ddd;padding:4px 8px}
.ok{color:#2ca02c}.failed{color:#d62728}code{background:#f4f4f4;padding:1px 4px}
</style>`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${STYLE}</head><body>\n<h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`;
}

export function indexPage(runs: readonly ReportRun[], connection: string, generatedAt: Date): string {
  const sections = runs.map((run) => {
    const rows = run.results
      .map((result) => {
        const link = (file: string | undefined, text: string) =>
          file ? `<a href="${escapeHtml(`${run.dir ? `${run.dir}/` : ''}${file}`)}">${text}</a>` : '';
        const status = result.ok ? '<span class="ok">ok</span>' : `<span class="failed">failed</span>`;
        const detail = result.failure
          ? `<pre>${escapeHtml(result.failure)}</pre>`
          : result.errors
              .map((error) => `cell ${error.cell}: ${escapeHtml(`${error.ename}: ${error.evalue}`)}`)
              .join('<br>');
        return `<tr><td>${escapeHtml(result.notebook)}</td><td>${status}</td><td>${result.seconds.toFixed(1)} s</td><td>${link(result.html && `${result.notebook}.html`, 'HTML')} ${link(result.executed && `${result.notebook}.ipynb`, 'ipynb')}</td><td>${detail}</td></tr>`;
      })
      .join('\n');
    return (
      `<h2>Run ${escapeHtml(run.label)}</h2><p>Parameters: <code>${escapeHtml(JSON.stringify(run.params))}</code></p>` +
      `<table class="dataframe"><thead><tr><th>notebook</th><th>status</th><th>time</th><th>report</th><th>errors</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    );
  });
  const comparison = runs.length > 1 ? '<p><a href="comparison.html">Comparison of the runs</a></p>' : '';
  return page(
    'retail-kafka-lab report',
    `<p>Generated ${escapeHtml(generatedAt.toISOString())} against <code>${escapeHtml(connection)}</code>.</p>${comparison}\n${sections.join('\n')}`,
  );
}

interface ConsumerRecorded {
  id: string;
  received: number;
  partitions: number[];
  idle?: boolean;
}

interface AccountingRecorded {
  produced: number;
  received: number;
  missing: number;
  duplicates: number;
}

/** The comparison of a sweep, from what notebook 02 recorded in each run. */
export function comparisonPage(runs: readonly ReportRun[], sweep: string, connection: string): string {
  const summaries: RunSummary[] = [];
  const rows: Record<string, unknown>[] = [];
  const sentences: string[] = [];
  for (const run of runs) {
    const consumers = run.recorded.find((entry) => entry.notebook.startsWith('02') && entry.name === 'consumers')
      ?.value as ConsumerRecorded[] | undefined;
    const accounting = run.recorded.find((entry) => entry.notebook.startsWith('02') && entry.name === 'accounting')
      ?.value as AccountingRecorded | undefined;
    if (!consumers || !accounting) {
      rows.push({ run: run.label, note: 'notebook 02 recorded no results (did it fail?)' });
      continue;
    }
    summaries.push({ label: run.label, consumers: consumers.map(({ id, received }) => ({ id, received })) });
    const counts = consumers.map((consumer) => consumer.received);
    const idle = consumers.filter((consumer) => consumer.received === 0 || consumer.idle).length;
    const busy = counts.filter((count) => count > 0);
    rows.push({
      run: run.label,
      consumers: consumers.length,
      // Not set by the sweep: the partitions the consumers owned between them.
      partitions: run.params.partitions ?? new Set(consumers.flatMap((consumer) => consumer.partitions)).size,
      produced: accounting.produced,
      received: accounting.received,
      missing: accounting.missing,
      duplicates: accounting.duplicates,
      idle,
      'max / min (busy)': busy.length ? Math.round((Math.max(...busy) / Math.min(...busy)) * 100) / 100 : '',
    });
    sentences.push(
      `With ${run.label}, ${consumers.length - idle} of ${consumers.length} consumers did work` +
        (busy.length ? `, the busiest handling ${formatNumber(Math.max(...busy))} messages` : '') +
        `; ${accounting.missing === 0 && accounting.duplicates === 0 ? 'nothing was lost or duplicated' : `${accounting.missing} missing, ${accounting.duplicates} duplicates`}.`,
    );
  }
  const chart = summaries.length
    ? figureHtml(runComparisonChart(summaries, { title: `Messages per consumer, by ${sweep}` }), {
        embedPlotlyJs: true,
        id: 'comparison',
      })
    : '';
  return page(
    `Comparison of runs by ${sweep}`,
    `<p>Connection: <code>${escapeHtml(connection)}</code>. Each run executed every notebook with its own parameters; this page compares what notebook 02 measured.</p>` +
      tableHtml(tableData(rows, { maxRows: 100 })) +
      chart +
      sentences.map((sentence) => `<p>${escapeHtml(sentence)}</p>`).join('\n'),
  );
}
