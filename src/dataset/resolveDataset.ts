import { validateRowCount } from '../options';
import fs from 'node:fs';
import path from 'node:path';
import type pl from 'nodejs-polars';
import { cacheDir, datasetDir } from '../paths';
import { LabError } from '../errors';
import type { RetailRow } from './retailRow';
import { DEFAULT_GENERATED_ROWS, DEFAULT_SEED, writeGeneratedDataset } from './generator';
import { cleanWithPolars } from './polarsEngine';
import { RETAIL_ROW_COLUMNS, toRetailRows } from './cleanRows';

export interface ResolveOptions {
  /** Where users drop their download (default: the project's `dataset/`). */
  datasetDir?: string;
  /** Where generated files are cached (default: `.cache/dataset/`). */
  cacheDir?: string;
  /** Size of the generated default (default 541,909 rows, like the real data). */
  generatedRows?: number;
  /** Seed of the generated default (default 42). */
  seed?: number | string;
}

export interface ResolvedDataset {
  file: string;
  source: 'dataset-folder' | 'generated';
}

const DATA_EXTENSIONS = new Set(['.csv', '.xlsx']);

/** The data files in a dataset folder (csv or xlsx; README and hidden files ignored). */
export function listDatasetFiles(dir = datasetDir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(
      (e) =>
        e.isFile() &&
        !e.name.startsWith('.') &&
        !e.name.endsWith('.tmp') &&
        DATA_EXTENSIONS.has(path.extname(e.name).toLowerCase()),
    )
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** The path of the cached generated default for these rows and seed. */
export function generatedDatasetPath(
  rows = DEFAULT_GENERATED_ROWS,
  seed: number | string = DEFAULT_SEED,
  dir = path.join(cacheDir, 'dataset'),
): string {
  return path.join(dir, `generated-${rows}-${seed}.csv`);
}

/**
 * Tells which file is "the data set", with where it came from: the user's
 * download in `dataset/` when there is exactly one, otherwise the generated
 * default, written once to `.cache/dataset/generated-<rows>-<seed>.csv`.
 */
export function resolveDataset(options: ResolveOptions = {}): ResolvedDataset {
  const dir = options.datasetDir ?? datasetDir;
  const files = listDatasetFiles(dir);
  if (files.length > 1) {
    throw new LabError(
      'DATASET_INVALID',
      `${dir} holds ${files.length} data files (${files.map((f) => path.basename(f)).join(', ')}). Keep exactly one Online Retail download there, or none to use the generated default.`,
    );
  }
  if (files.length === 1) return { file: files[0]!, source: 'dataset-folder' };
  const rows = options.generatedRows ?? DEFAULT_GENERATED_ROWS;
  const seed = options.seed ?? DEFAULT_SEED;
  const file = generatedDatasetPath(rows, seed, options.cacheDir ?? path.join(cacheDir, 'dataset'));
  if (!fs.existsSync(file)) writeGeneratedDataset(file, { rows, seed });
  return { file, source: 'generated' };
}

/** The path of the data set the lab uses (see `resolveDataset`). */
export function resolveDatasetFile(options: ResolveOptions = {}): string {
  return resolveDataset(options).file;
}

export interface LoadRetailRowsOptions extends ResolveOptions {
  /** Only the first N cleaned rows (in file order). */
  rows?: number;
  /** Read this file instead of resolving the data set. */
  file?: string;
}

/** The cleaned rows of the data set (the producer's input), on the fast path. */
export async function loadRetailRows(options: LoadRetailRowsOptions = {}): Promise<RetailRow[]> {
  return toRetailRows(cleanedFrame(options).df);
}

/** Cleaned rows handed out in chunks, with how many there are in all. */
export interface RetailRowStream extends AsyncIterable<RetailRow> {
  /** Rows this stream hands out: the request, or fewer when the data set has fewer. */
  readonly total: number;
  /** Cleaned rows the data set has. */
  readonly available: number;
  /** The same rows as a polars frame: the producer serialises it in bulk instead of iterating objects. */
  readonly frame: pl.DataFrame;
}

/**
 * What to tell a reader when a request for `requested` rows could not be
 * filled: the data set has fewer, so all of them were sent instead. A request
 * for "up to N rows" is carried out rather than refused, because sending the
 * whole data set is what such a request nearly always means; the note keeps
 * the difference from passing unnoticed. Undefined when nothing was cut.
 */
export function rowShortfallNote(
  requested: number | undefined,
  stream: Pick<RetailRowStream, 'total' | 'available'>,
): string | undefined {
  if (requested === undefined || requested <= stream.total) return undefined;
  const n = (value: number) => value.toLocaleString('en-US');
  return `Asked for ${n(requested)} rows, but the data set has ${n(stream.available)} cleaned rows: sending all ${n(stream.total)} instead.`;
}

const STREAM_CHUNK_ROWS = 10_000;

/**
 * The same rows as `loadRetailRows`, made into JavaScript objects 10,000 at a
 * time while they are consumed: producing the full data set then never holds
 * every row object at once (about 240 MB for the 384,230 cleaned rows).
 */
export function streamRetailRows(options: LoadRetailRowsOptions = {}): RetailRowStream {
  const { df, available } = cleanedFrame(options);
  return {
    total: df.height,
    available,
    frame: df.select(...RETAIL_ROW_COLUMNS),
    async *[Symbol.asyncIterator]() {
      for (let offset = 0; offset < df.height; offset += STREAM_CHUNK_ROWS) {
        yield* toRetailRows(df.slice(offset, STREAM_CHUNK_ROWS));
      }
    },
  };
}

function cleanedFrame(options: LoadRetailRowsOptions): { df: pl.DataFrame; available: number } {
  if (options.rows !== undefined) validateRowCount(options.rows, 0);
  const file = options.file ?? resolveDatasetFile(options);
  const { df } = cleanWithPolars(file);
  return { df: options.rows === undefined ? df : df.head(options.rows), available: df.height };
}
