import fs from 'node:fs';
import { displayBundle, newDisplayId } from './kernel';
import type { MimeBundle, PlotlyFigure } from './types';

/**
 * Plotly figures as one Jupyter output with three representations:
 * `application/vnd.plotly.v1+json` (JupyterLab's and VS Code's Plotly renderers),
 * a self-contained `text/html` (nbconvert reports, any HTML viewer), and a
 * `text/plain` line. plotly.js comes from the `plotly.js-dist-min` npm package
 * and is embedded once per kernel: the first figure's HTML carries it, later
 * figures wait for `window.Plotly`. No CDN, no require.js.
 */

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

const defaultConfig = { responsive: true, displaylogo: false };

let plotlyJsEmbedded = false;
let plotlyJsSource: string | null = null;

/** The plotly.js bundle that ships with the project, as text. */
export function plotlyJs(): string {
  if (plotlyJsSource === null) {
    plotlyJsSource = fs.readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8');
  }
  return plotlyJsSource;
}

/** Makes the next figure embed plotly.js again (e.g. after clearing all outputs). */
export function resetPlotlyEmbedding(): void {
  plotlyJsEmbedded = false;
}

/** JSON that is safe inside a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function figureTitle(figure: PlotlyFigure): string {
  const title = figure.layout.title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object' && typeof (title as { text?: unknown }).text === 'string') {
    return (title as { text: string }).text;
  }
  return 'Plotly figure';
}

/** The `text/plain` line of a figure. */
export function figureText(figure: PlotlyFigure): string {
  const traces = figure.data.length;
  return `[Plotly figure] ${figureTitle(figure)} (${traces} trace${traces === 1 ? '' : 's'})`;
}

/** A runner for the HTML loader: draws queued figures once plotly.js is there. */
const QUEUE = '__kafkaLabPlotlyQueue';

function plotlyLoaderHtml(): string {
  return (
    `<script type="text/javascript">/* plotly.js from the plotly.js-dist-min npm package */\n${plotlyJs()}\n</script>\n` +
    `<script type="text/javascript">(function(){var q=window.${QUEUE}||[];window.${QUEUE}=[];q.forEach(function(f){f();});})();</script>\n`
  );
}

/**
 * The self-contained HTML of a figure. `embedPlotlyJs` puts the whole
 * plotly.js library in front of it (about 4.6 MB); otherwise the figure draws
 * once an earlier output has loaded it.
 */
export function figureHtml(figure: PlotlyFigure, options: { embedPlotlyJs?: boolean; id?: string } = {}): string {
  const id = `kafka-lab-plot-${options.id ?? newDisplayId()}`;
  const height = typeof figure.layout.height === 'number' ? figure.layout.height : 420;
  const spec = { data: figure.data, layout: figure.layout, config: { ...defaultConfig, ...figure.config } };
  const draw =
    `<div id="${id}" class="kafka-lab-plot" style="width:100%;height:${height}px;"></div>\n` +
    `<script type="text/javascript">(function(){var fig=${scriptJson(spec)};` +
    `function draw(){var el=document.getElementById(${JSON.stringify(id)});if(el){window.Plotly.newPlot(el,fig.data,fig.layout,fig.config);}}` +
    `if(window.Plotly){draw();}else{(window.${QUEUE}=window.${QUEUE}||[]).push(draw);}})();</script>`;
  return (options.embedPlotlyJs ? plotlyLoaderHtml() : '') + draw;
}

/** The MIME bundle of a figure (pure apart from the embed-once flag). */
export function figureBundle(figure: PlotlyFigure, options: { embedPlotlyJs?: boolean } = {}): MimeBundle {
  return {
    [PLOTLY_MIME]: { data: figure.data, layout: figure.layout, config: { ...defaultConfig, ...figure.config } },
    'text/html': figureHtml(figure, options),
    'text/plain': figureText(figure),
  };
}

/** True the first time it is asked in a kernel session (until reset): the caller embeds plotly.js. */
export function takePlotlyEmbedding(): boolean {
  const first = !plotlyJsEmbedded;
  plotlyJsEmbedded = true;
  return first;
}

/** Shows a Plotly figure in the notebook as one output. */
export function showFigure(figure: PlotlyFigure): void {
  displayBundle(figureBundle(figure, { embedPlotlyJs: takePlotlyEmbedding() }));
}
