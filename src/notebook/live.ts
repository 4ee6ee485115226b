import { displayBundle, isInKernel, newDisplayId } from './kernel';
import { figureBundle, plotlyJs, takePlotlyEmbedding } from './plotly';
import type { PlotlyFigure } from './types';

/**
 * A chart that redraws in place while a scenario runs: the same
 * `update_display_data` mechanism as the progress lines, throttled by time
 * without a timer of its own. Outside a kernel (CLI, tests) nothing is drawn
 * until `finish`, which shows the final frame once: headless runs print what
 * they printed before. In a kernel the final frame replaces the live one, so it
 * is what the saved notebook and the HTML report keep.
 */
export interface LiveFigure {
  /** Redraws with the figure `build` returns, unless the last redraw was less than `minIntervalMs` ago. */
  update(build: () => PlotlyFigure | undefined): void;
  /** Draws the final frame, whatever the throttle says. */
  finish(figure: PlotlyFigure): void;
  readonly displayId: string;
  /** Redraws so far (the final frame included). */
  readonly frames: number;
}

export interface LiveFigureOptions {
  /** Default 1,000 ms: a Plotly redraw of a few thousand points is cheap at that pace. */
  minIntervalMs?: number;
  now?: () => number;
}

export function liveFigure(options: LiveFigureOptions = {}): LiveFigure {
  const now = options.now ?? Date.now;
  const minInterval = options.minIntervalMs ?? 1000;
  const displayId = newDisplayId();
  const live = isInKernel();
  let shown = false;
  let last = Number.NEGATIVE_INFINITY;
  let frames = 0;
  // plotly.js goes out once in an output of its own, so that the frames (which
  // replace each other) never carry the 4.6 MB library and the final one never loses it.
  if (live && takePlotlyEmbedding())
    displayBundle({ 'text/html': `<script type="text/javascript">${plotlyJs()}</script>`, 'text/plain': '' });
  const draw = (figure: PlotlyFigure) => {
    displayBundle(figureBundle(figure, { embedPlotlyJs: false }), { displayId, update: shown });
    shown = true;
    frames += 1;
    last = now();
  };
  return {
    displayId,
    get frames() {
      return frames;
    },
    update(build) {
      if (!live || now() - last < minInterval) return;
      const figure = build();
      if (figure) draw(figure);
    },
    finish(figure) {
      if (!live) {
        // Outside a kernel: exactly what showFigure prints.
        if (takePlotlyEmbedding()) displayBundle(figureBundle(figure, { embedPlotlyJs: true }));
        else displayBundle(figureBundle(figure, { embedPlotlyJs: false }));
        frames += 1;
        return;
      }
      draw(figure);
    },
  };
}

/**
 * Shows a chart that redraws every `intervalMs` while `work` runs, and its
 * final frame when the work settles. The timer is cleared when the work
 * settles, so no timer outlives the cell.
 */
export async function watchFigure<T>(
  work: Promise<T>,
  build: () => PlotlyFigure | undefined,
  options: LiveFigureOptions & { intervalMs?: number } = {},
): Promise<T> {
  const live = liveFigure(options);
  const timer = setInterval(() => live.update(build), options.intervalMs ?? 500);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    const figure = build();
    if (figure) live.finish(figure);
  }
}
