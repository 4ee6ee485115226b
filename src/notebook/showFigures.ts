import { showFigure } from './plotly';
import type { PlotlyFigure } from './types';

/** Shows several figures one below the other (a scenario's per-run charts), so a cell needs no loop. */
export function showFigures(figures: readonly PlotlyFigure[]): void {
  for (const figure of figures) showFigure(figure);
}
