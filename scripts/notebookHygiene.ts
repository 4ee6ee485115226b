/**
 * Committed notebooks are reviewable artifacts: no outputs, no execution counts,
 * no machine- or editor-specific metadata, code that fits a cell, and files
 * exactly as JupyterLab writes them, so that opening one does not mark it
 * modified and saving it unchanged rewrites nothing. `notebookProblems` says
 * what is wrong with one; `cleanNotebook` fixes it (and `formatCodeCells` wraps
 * long code lines). Used by `npm run notebooks:clean` and by
 * tests/notebooks/clean.test.ts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const notebooksDir = path.resolve(__dirname, '..', 'notebooks');
const projectRoot = path.resolve(__dirname, '..');

/** The notebook-level metadata a committed notebook keeps. */
export const KERNELSPEC = { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } as const;

/**
 * What JupyterLab copies from the tslab kernel's kernel_info reply into the
 * notebook as soon as the kernel answers (tslab 1.0.22 reports TypeScript
 * 3.7.2). A notebook without it is marked modified the moment it opens.
 */
export const LANGUAGE_INFO = {
  codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
  file_extension: '.ts',
  mimetype: 'text/typescript',
  name: 'typescript',
  version: '3.7.2',
} as const;

/** The widest code line a notebook cell shows without scrolling sideways at 1,000 px. */
export const MAX_CODE_LINE = 100;

/** Cell metadata keys that carry meaning for readers; everything else is editor state. */
const KEPT_CELL_METADATA = new Set(['tags']);

interface Cell {
  cell_type: string;
  id?: string;
  metadata?: Record<string, unknown>;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export function notebookFiles(dir = notebooksDir): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.ipynb'))
    .sort()
    .map((name) => path.join(dir, name));
}

export function readNotebook(file: string): Notebook {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
}

/** What keeps a notebook from being clean, one line per problem (empty: clean). */
export function notebookProblems(notebook: Notebook): string[] {
  const problems: string[] = [];
  const extraKeys = Object.keys(notebook.metadata).filter((key) => key !== 'kernelspec' && key !== 'language_info');
  if (extraKeys.length) problems.push(`notebook metadata has machine/editor keys: ${extraKeys.join(', ')}`);
  if (JSON.stringify(sortKeys(notebook.metadata.kernelspec)) !== JSON.stringify(KERNELSPEC)) {
    problems.push(`kernelspec should be ${JSON.stringify(KERNELSPEC)}, is ${JSON.stringify(notebook.metadata.kernelspec)}`);
  }
  if (JSON.stringify(sortKeys(notebook.metadata.language_info)) !== JSON.stringify(LANGUAGE_INFO)) {
    problems.push(`language_info should be ${JSON.stringify(LANGUAGE_INFO)} (what JupyterLab writes), is ${JSON.stringify(notebook.metadata.language_info)}`);
  }
  const ids = new Set<string>();
  notebook.cells.forEach((cell, index) => {
    const where = `cell ${index + 1} (${cell.cell_type})`;
    if (!cell.id) problems.push(`${where} has no id (JupyterLab would add a random one)`);
    else if (ids.has(cell.id)) problems.push(`${where} repeats the id ${cell.id}`);
    else ids.add(cell.id);
    if (!Array.isArray(cell.source)) problems.push(`${where} source is one string, not a list of lines as JupyterLab writes it`);
    if (cell.cell_type === 'code') {
      sourceText(cell.source)
        .split('\n')
        .forEach((line, lineIndex) => {
          if (line.length > MAX_CODE_LINE) {
            problems.push(`${where} line ${lineIndex + 1} is ${line.length} characters wide (at most ${MAX_CODE_LINE})`);
          }
        });
      if ((cell.outputs ?? []).length > 0) problems.push(`${where} has ${cell.outputs!.length} output(s)`);
      if (cell.execution_count !== null && cell.execution_count !== undefined) problems.push(`${where} has execution count ${cell.execution_count}`);
    }
    const extra = Object.keys(cell.metadata ?? {}).filter((key) => !KEPT_CELL_METADATA.has(key));
    if (extra.length) problems.push(`${where} has metadata ${extra.join(', ')}`);
    if (cell.attachments) problems.push(`${where} has attachments`);
  });
  return problems;
}

/**
 * A clean copy: outputs and counts cleared, metadata reduced to what readers
 * need plus what JupyterLab writes, every cell with an id. `idPrefix` (the
 * notebook's number, e.g. `06`) names the ids given to cells that had none.
 */
export function cleanNotebook(notebook: Notebook, idPrefix = 'cell'): Notebook {
  const used = new Set(notebook.cells.map((cell) => cell.id).filter((id): id is string => Boolean(id)));
  const seen = new Set<string>();
  const freshId = (index: number) => {
    let n = index + 1;
    let id = `${idPrefix}-${String(n).padStart(2, '0')}`;
    while (used.has(id)) id = `${idPrefix}-${String(++n).padStart(2, '0')}`;
    used.add(id);
    return id;
  };
  return {
    cells: notebook.cells.map((cell, index) => {
      const metadata: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(cell.metadata ?? {})) if (KEPT_CELL_METADATA.has(key)) metadata[key] = value;
      const id = cell.id && !seen.has(cell.id) ? cell.id : freshId(index);
      seen.add(id);
      const clean: Cell = { cell_type: cell.cell_type, id, metadata, source: sourceLines(sourceText(cell.source)) };
      if (cell.cell_type === 'code') {
        clean.execution_count = null;
        clean.outputs = [];
      }
      return clean;
    }),
    metadata: { kernelspec: { ...KERNELSPEC }, language_info: structuredClone(LANGUAGE_INFO) as unknown as Record<string, unknown> },
    nbformat: notebook.nbformat,
    nbformat_minor: notebook.nbformat_minor,
  };
}

/** A cell's source as one string, whichever way the file stored it. */
export function sourceText(source: string | string[]): string {
  return Array.isArray(source) ? source.join('') : source;
}

/** Source as nbformat writes it: lines that keep their `\n`, none for an empty cell. */
export function sourceLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** A copy with every object's keys sorted, as nbformat's writer (`sort_keys=True`) orders them. */
function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    ) as T;
  }
  return value;
}

/** The file text JupyterLab itself writes (nbformat: sorted keys, one-space indent, trailing newline). */
export function notebookText(notebook: Notebook): string {
  return `${JSON.stringify(sortKeys(notebook), null, 1)}\n`;
}

/**
 * Wraps the code cells of `notebooks` to MAX_CODE_LINE with Biome (the
 * project's formatter: 2 spaces, double quotes as the notebooks write them),
 * in one Biome run for all cells. Returns the notebooks with formatted code and
 * the cells Biome could not parse (left as they were). Biome does not split
 * long strings or comments: `notebookProblems` still reports those lines.
 */
export function formatCodeCells(notebooks: Notebook[]): { notebooks: Notebook[]; unformatted: string[] } {
  const biome = path.join(projectRoot, 'node_modules', '.bin', 'biome');
  if (!fs.existsSync(biome)) throw new Error(`Biome is not installed (${biome}); run \`npm install\` first.`);
  // A folder outside the project, so no project biome.json (single quotes for src/) applies.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-lab-cells-'));
  try {
    const files: { notebook: number; cell: number; file: string }[] = [];
    notebooks.forEach((notebook, n) => {
      notebook.cells.forEach((cell, c) => {
        if (cell.cell_type !== 'code' || !sourceText(cell.source).trim()) return;
        const file = path.join(dir, `n${n}-c${c}.ts`);
        fs.writeFileSync(file, sourceText(cell.source));
        files.push({ notebook: n, cell: c, file });
      });
    });
    const args = ['format', '--write', '--indent-style=space', '--indent-width=2', `--line-width=${MAX_CODE_LINE}`];
    args.push('--javascript-formatter-quote-style=double', '--trailing-newline=false', dir);
    const biomeRun = spawnSync(biome, args, { cwd: dir, encoding: 'utf8' });
    const diagnostics = `${biomeRun.stdout ?? ''}${biomeRun.stderr ?? ''}`;
    const unformatted: string[] = [];
    const formatted = notebooks.map((notebook) => ({ ...notebook, cells: notebook.cells.map((cell) => ({ ...cell })) }));
    for (const { notebook, cell, file } of files) {
      const before = sourceText(notebooks[notebook].cells[cell].source);
      const after = fs.readFileSync(file, 'utf8');
      formatted[notebook].cells[cell].source = sourceLines(after);
      // Biome names the files it could not parse; their cells stay as they were.
      if (after === before && diagnostics.includes(path.basename(file))) unformatted.push(`notebook ${notebook + 1} cell ${cell + 1}`);
    }
    return { notebooks: formatted, unformatted };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
