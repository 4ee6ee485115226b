import { randomBytes } from 'node:crypto';
import type { MimeBundle } from './types';

/**
 * The bridge to the tslab kernel's own display function.
 *
 * `tslab.display.raw()` sends one MIME type per output, but a Plotly figure must
 * travel as ONE output carrying several (nbconvert drops the Plotly MIME type
 * from HTML unless a `text/html` alternative sits in the same output). tslab's
 * `jupyter` module keeps the running cell's writer in `lastWriteDisplayData`
 * (the function behind `display_data` / `update_display_data`); we call it with
 * a full bundle. We look it up in `require.cache` rather than requiring tslab,
 * so that outside a kernel (tests, scripts) nothing heavy loads and displays
 * fall back to text on stdout.
 */

type WriteDisplayData = (
  content: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } },
  update: boolean,
) => void;

interface TslabJupyterModule {
  lastWriteDisplayData: WriteDisplayData | null;
}

let cachedModule: TslabJupyterModule | null = null;

function tslabJupyterModule(): TslabJupyterModule | null {
  if (cachedModule) return cachedModule;
  for (const [file, entry] of Object.entries(require.cache)) {
    if (!entry || !/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) continue;
    const exported = entry.exports as Partial<TslabJupyterModule>;
    if (exported && 'lastWriteDisplayData' in exported) {
      cachedModule = exported as TslabJupyterModule;
      return cachedModule;
    }
  }
  return null;
}

/** True inside a tslab kernel that is executing (or has executed) a cell. */
export function isInKernel(): boolean {
  return typeof tslabJupyterModule()?.lastWriteDisplayData === 'function';
}

/**
 * Which cell execution displays go to: tslab makes a new display writer for
 * every execute request, so the writer's identity tells two executions apart.
 * `null` outside a kernel.
 */
export function currentExecution(): object | null {
  const write = tslabJupyterModule()?.lastWriteDisplayData;
  return typeof write === 'function' ? write : null;
}

/** A fresh id for a display that later updates in place. */
export function newDisplayId(): string {
  return randomBytes(8).toString('hex');
}

export interface DisplayOptions {
  /** Give an id to update this output later with `update: true`. */
  displayId?: string;
  /** Replace the output that carries `displayId` (update_display_data). */
  update?: boolean;
  metadata?: Record<string, unknown>;
}

/** Where displays go outside a kernel; tests swap it to capture bundles. */
let fallbackSink: (bundle: MimeBundle, options: DisplayOptions) => void = (bundle, options) => {
  if (options.update) return;
  const text = bundle['text/plain'];
  if (typeof text === 'string') process.stdout.write(`${text}\n`);
};

/** Replaces the out-of-kernel display sink; returns the previous one. */
export function setFallbackDisplaySink(
  sink: (bundle: MimeBundle, options: DisplayOptions) => void,
): (bundle: MimeBundle, options: DisplayOptions) => void {
  const previous = fallbackSink;
  fallbackSink = sink;
  return previous;
}

/**
 * Sends one display output carrying every MIME type of `bundle`. In a kernel
 * this is a `display_data` message (or `update_display_data` with `update`);
 * elsewhere the `text/plain` part goes to stdout.
 */
export function displayBundle(bundle: MimeBundle, options: DisplayOptions = {}): void {
  const write = tslabJupyterModule()?.lastWriteDisplayData;
  if (typeof write !== 'function') {
    fallbackSink(bundle, options);
    return;
  }
  const transient = options.displayId ? { display_id: options.displayId } : {};
  write({ data: bundle, metadata: options.metadata ?? {}, transient }, Boolean(options.update && options.displayId));
}
