import type { Command } from 'commander';
import { invalidOption } from '../options';
import { note, printJson } from './output';
import { wholeNumber } from './options';

function engineName(value: string): 'polars' | 'danfo' {
  if (value !== 'polars' && value !== 'danfo') {
    invalidOption('--engine', value, 'polars (fast path) or danfo');
  }
  return value;
}

/** `kafka-lab dataset clean | generate | which`. The engines load on demand: importing them takes a moment. */
export function registerDatasetCommands(program: Command): void {
  const dataset = program.command('dataset').description('Load, clean and generate the Online Retail data set.');

  dataset
    .command('clean')
    .description('Load a download (any known layout), clean it with named rules and report the counts.')
    .option(
      '--input <file>',
      'csv or xlsx file (default: the data set the lab uses: dataset/ or the generated default)',
    )
    .option('--out <file>', 'write the cleaned rows to a .csv or .parquet file')
    .option('--engine <name>', 'polars (fast path) or danfo', engineName, 'polars')
    .option('--json', 'print only the cleaning report as JSON')
    .action(async (options: { input?: string; out?: string; engine: 'polars' | 'danfo'; json?: boolean }) => {
      const ds = await import('../dataset');
      const input = options.input ?? ds.resolveDatasetFile();
      const started = Date.now();
      const result = options.engine === 'danfo' ? ds.cleanWithDanfo(input) : ds.cleanWithPolars(input);
      const elapsed = Date.now() - started;
      if (options.out) {
        const polarsDf =
          options.engine === 'polars'
            ? (result as ReturnType<typeof ds.cleanWithPolars>).df
            : ds.cleanWithPolars(input).df;
        ds.writeCleanRows({ df: polarsDf }, options.out);
        note(`Wrote ${result.report.rowsOut} cleaned rows to ${options.out}.`);
      }
      if (result.quarantine.length > 0) {
        const shown = result.quarantine
          .slice(0, 5)
          .map((q) => `  row ${q.row}: ${q.reason}`)
          .join('\n');
        note(
          `Quarantined ${result.quarantine.length} unparseable row(s):\n${shown}${result.quarantine.length > 5 ? '\n  …' : ''}`,
        );
      }
      if (options.json) {
        printJson(ds.pickReport(result.report));
        return;
      }
      note(
        `Read ${input} (${result.layout}, ${result.encoding}) with ${result.engine} in ${(elapsed / 1000).toFixed(2)} s.`,
      );
      const lines = [
        '| step | removed | remaining |',
        '|---|---:|---:|',
        ...result.steps.map((s) => `| ${s.rule} | ${s.removed} | ${s.remaining} |`),
      ];
      lines.push(
        '',
        '| report | value |',
        '|---|---:|',
        ...ds.CLEANING_REPORT_FIELDS.map((k) => `| ${k} | ${result.report[k]} |`),
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  dataset
    .command('generate')
    .description('Write seeded rows in the Online Retail layout (UCI-workbook CSV) that resemble the real data.')
    .option('--rows <n>', 'number of rows', wholeNumber('--rows', 1), 541_909)
    .option('--seed <s>', 'seed: the same seed gives the same file', '42')
    .requiredOption('--out <file>', 'the csv file to write')
    .option('--json', 'print the result as JSON')
    .action(async (options: { rows: number; seed: string; out: string; json?: boolean }) => {
      const { writeGeneratedDataset } = await import('../dataset/generator');
      const seed = /^-?\d+$/.test(options.seed) ? Number(options.seed) : options.seed;
      const started = Date.now();
      writeGeneratedDataset(options.out, { rows: options.rows, seed });
      if (options.json) printJson({ file: options.out, rows: options.rows, seed, elapsedMs: Date.now() - started });
      else note(`Wrote ${options.rows} rows (seed ${seed}) to ${options.out}.`);
    });

  dataset
    .command('which')
    .description('Say which file the lab uses: the one in dataset/, or the generated default (created if missing).')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      const { resolveDataset } = await import('../dataset/resolveDataset');
      const resolved = resolveDataset();
      if (options.json) printJson(resolved);
      else
        process.stdout.write(
          `${resolved.file} (${resolved.source === 'generated' ? 'generated default' : 'from dataset/'})\n`,
        );
    });
}
