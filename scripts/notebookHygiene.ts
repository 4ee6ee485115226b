/**
 * Committed notebooks are reviewable artifacts: no outputs, no execution counts,
 * no machine- or editor-specific metadata. `notebookProblems` says what is
 * wrong with one; `cleanNotebook` fixes it. Used by `npm run notebooks:clean`
 * and by tests/notebooks/clean.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';

export const notebooksDir = path.resolve(__dirname, '..', 'notebooks');

/** The only notebook-level metadata a committed notebook keeps. */
export const KERNELSPEC = { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } as const;

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
  const extraKeys = Object.keys(notebook.metadata).filter((key) => key !== 'kernelspec');
  if (extraKeys.length) problems.push(`notebook metadata has machine/editor keys: ${extraKeys.join(', ')}`);
  if (JSON.stringify(notebook.metadata.kernelspec) !== JSON.stringify(KERNELSPEC)) {
    problems.push(`kernelspec should be ${JSON.stringify(KERNELSPEC)}, is ${JSON.stringify(notebook.metadata.kernelspec)}`);
  }
  notebook.cells.forEach((cell, index) => {
    const where = `cell ${index + 1} (${cell.cell_type})`;
    if (cell.cell_type === 'code') {
      if ((cell.outputs ?? []).length > 0) problems.push(`${where} has ${cell.outputs!.length} output(s)`);
      if (cell.execution_count !== null && cell.execution_count !== undefined) problems.push(`${where} has execution count ${cell.execution_count}`);
    }
    const extra = Object.keys(cell.metadata ?? {}).filter((key) => !KEPT_CELL_METADATA.has(key));
    if (extra.length) problems.push(`${where} has metadata ${extra.join(', ')}`);
    if (cell.attachments) problems.push(`${where} has attachments`);
  });
  return problems;
}

/** A clean copy: outputs and counts cleared, metadata reduced to what readers need. */
export function cleanNotebook(notebook: Notebook): Notebook {
  return {
    cells: notebook.cells.map((cell) => {
      const metadata: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(cell.metadata ?? {})) if (KEPT_CELL_METADATA.has(key)) metadata[key] = value;
      const clean: Cell = { cell_type: cell.cell_type, ...(cell.id ? { id: cell.id } : {}), metadata, source: cell.source };
      if (cell.cell_type === 'code') {
        clean.execution_count = null;
        clean.outputs = [];
      }
      return clean;
    }),
    metadata: { kernelspec: { ...KERNELSPEC } },
    nbformat: notebook.nbformat,
    nbformat_minor: notebook.nbformat_minor,
  };
}

/** The file text Jupyter itself would write (one-space indent, trailing newline). */
export function notebookText(notebook: Notebook): string {
  return `${JSON.stringify(notebook, null, 1)}\n`;
}
