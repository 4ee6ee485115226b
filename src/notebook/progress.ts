import { displayBundle, isInKernel, newDisplayId } from './kernel';
import { escapeHtml, formatNumber, formatRate, MIN_RATE_ELAPSED_MS } from './format';
import type { MimeBundle } from './types';

/**
 * A live progress line: one output that updates in place
 * (`update_display_data` with a display id). Updates are throttled by time
 * without any timer, so nothing keeps the kernel busy after the work ends.
 */

export interface ProgressLine {
  /** Reports `done` of `total` units (total optional), with an optional note. */
  update(done: number, total?: number, note?: string): void;
  /** Writes the final state, whatever the throttle says. */
  finish(note?: string): void;
  readonly displayId: string;
}

export interface ProgressOptions {
  total?: number;
  /** Unit name shown after the counts, e.g. `messages`. */
  unit?: string;
  /** Minimum time between two updates of the output. Default 250 ms. */
  minIntervalMs?: number;
  /** Clock for tests. */
  now?: () => number;
}

export interface ProgressState {
  label: string;
  done: number;
  total?: number;
  unit: string;
  elapsedMs: number;
  note?: string;
  finished: boolean;
}

export { MIN_RATE_ELAPSED_MS };

/** The text of a progress line (pure). */
export function progressText(state: ProgressState): string {
  const counts = state.total !== undefined ? `${formatNumber(state.done)} / ${formatNumber(state.total)}` : formatNumber(state.done);
  const percent = state.total ? ` (${((100 * state.done) / state.total).toFixed(1)}%)` : '';
  const seconds = state.elapsedMs / 1000;
  const perSecond = formatRate(state.done, state.elapsedMs, `${state.unit}/s`);
  const rate = perSecond ? ` · ${perSecond}` : '';
  const status = state.finished ? '✔ ' : '⏳ ';
  return `${status}${state.label}: ${counts} ${state.unit}${percent} · ${seconds.toFixed(1)} s${rate}${state.note ? ` · ${state.note}` : ''}`;
}

/** The MIME bundle of a progress line (pure). */
export function progressBundle(state: ProgressState): MimeBundle {
  const text = progressText(state);
  const fraction = state.total ? Math.min(1, state.done / state.total) : state.finished ? 1 : 0;
  const bar = state.total
    ? `<span style="display:inline-block;width:160px;height:0.8em;background:#eee;margin-right:0.6em;vertical-align:middle">` +
      `<span style="display:block;height:100%;width:${(fraction * 100).toFixed(1)}%;background:${state.finished ? '#2ca02c' : '#1f77b4'}"></span></span>`
    : '';
  return { 'text/plain': text, 'text/html': `<div class="kafka-lab-progress" style="font-family:monospace">${bar}${escapeHtml(text)}</div>` };
}

/** Starts a live progress line in the current cell. */
export function progressLine(label: string, options: ProgressOptions = {}): ProgressLine {
  const now = options.now ?? Date.now;
  const started = now();
  const minInterval = options.minIntervalMs ?? 250;
  const displayId = newDisplayId();
  const state: ProgressState = { label, done: 0, total: options.total, unit: options.unit ?? 'rows', elapsedMs: 0, finished: false };
  let lastShown = Number.NEGATIVE_INFINITY;
  let shownOnce = false;

  const show = () => {
    state.elapsedMs = now() - started;
    lastShown = now();
    // Outside a kernel only the first and the final line print.
    if (!isInKernel() && shownOnce && !state.finished) return;
    displayBundle(progressBundle(state), { displayId, update: shownOnce });
    shownOnce = true;
  };
  show();

  return {
    displayId,
    update(done, total, note) {
      state.done = done;
      if (total !== undefined) state.total = total;
      if (note !== undefined) state.note = note;
      if (now() - lastShown >= minInterval) show();
    },
    finish(note) {
      if (note !== undefined) state.note = note;
      state.finished = true;
      show();
    },
  };
}

/**
 * Shows a progress line while `work` runs, reading the count from `read()`
 * every `intervalMs`. The timer is cleared when the work settles, so no timer
 * outlives the cell.
 */
export async function trackProgress<T>(
  label: string,
  work: Promise<T>,
  read: () => number,
  options: ProgressOptions & { intervalMs?: number } = {},
): Promise<T> {
  const line = progressLine(label, options);
  const timer = setInterval(() => line.update(read()), options.intervalMs ?? 250);
  try {
    const result = await work;
    line.update(read());
    line.finish();
    return result;
  } catch (error) {
    line.update(read());
    line.finish(`failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  } finally {
    clearInterval(timer);
  }
}
