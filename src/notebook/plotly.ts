import fs from 'node:fs';
import zlib from 'node:zlib';
import { currentExecution, displayBundle, newDisplayId } from './kernel';
import type { MimeBundle, PlotlyFigure } from './types';

/**
 * Plotly figures as one Jupyter output with three representations:
 * `application/vnd.plotly.v1+json` (JupyterLab's and VS Code's Plotly renderers),
 * a self-contained `text/html` (nbconvert reports, any HTML viewer), and a
 * `text/plain` line. plotly.js comes from the `plotly.js-dist-min` npm package.
 *
 * Where plotly.js travels: the first figure of EVERY cell execution carries it,
 * gzip-compressed and base64-encoded (1.88 MB instead of 4.65 MB), and unpacks
 * it only when the page has no `window.Plotly` yet. A saved or exported notebook
 * therefore draws its charts whatever ran before in the kernel: re-running a cell
 * replaces its outputs, carrier included, with outputs that carry their own copy.
 * (Once per kernel, as before, left a re-run notebook with no copy at all.)
 * Unpacking uses the browser's DecompressionStream (Chromium 80, Firefox 113,
 * Safari 16.4). No CDN, no require.js.
 */

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

const defaultConfig = { responsive: true, displaylogo: false };

/** The execution whose first figure carried plotly.js (`undefined`: none yet). */
let carrierExecution: object | null | undefined;
let plotlyJsSource: string | null = null;
let plotlyJsPacked: string | null = null;

/** The plotly.js bundle that ships with the project, as text. */
export function plotlyJs(): string {
  if (plotlyJsSource === null) {
    plotlyJsSource = fs.readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8');
  }
  return plotlyJsSource;
}

/** plotly.js gzip-compressed (level 9) and base64-encoded, as the HTML carries it. */
export function plotlyJsPackedBase64(): string {
  if (plotlyJsPacked === null) {
    plotlyJsPacked = zlib.gzipSync(Buffer.from(plotlyJs(), 'utf8'), { level: 9 }).toString('base64');
  }
  return plotlyJsPacked;
}

/** Makes the next figure carry plotly.js again, even in the same cell execution. */
export function resetPlotlyEmbedding(): void {
  carrierExecution = undefined;
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

const LOADING = '__kafkaLabPlotlyLoading';

/**
 * plotly.js packed, and a loader that unpacks it only on a page without
 * `window.Plotly` (the second copy on a page costs bytes, not time), injects it
 * as a script, then draws the queued figures. Pages with several carriers load
 * it once.
 */
function plotlyLoaderHtml(): string {
  const script =
    `(function(){var w=window;function flush(){var q=w.${QUEUE}||[];w.${QUEUE}=[];q.forEach(function(f){f();});}` +
    `if(w.Plotly){flush();return;}if(w.${LOADING})return;w.${LOADING}=true;` +
    `var b=atob("${plotlyJsPackedBase64()}");var u=new Uint8Array(b.length);for(var i=0;i<b.length;i++)u[i]=b.charCodeAt(i);` +
    `new Response(new Blob([u]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function(src){` +
    `var s=document.createElement("script");s.text=src;document.head.appendChild(s);w.${LOADING}=false;flush();})` +
    `.catch(function(e){w.${LOADING}=false;console.error("kafka-lab: could not unpack plotly.js",e);});})();`;
  return `<script type="text/javascript">/* plotly.js ${plotlyVersion()} (plotly.js-dist-min, MIT), gzip+base64 */\n${script}</script>\n`;
}

function plotlyVersion(): string {
  return /plotly\.js v([\d.]+)/.exec(plotlyJs().slice(0, 200))?.[1] ?? '';
}

/**
 * The self-contained HTML of a figure. `embedPlotlyJs` puts plotly.js (packed,
 * 1.88 MB) in front of it; otherwise the figure draws once an earlier output
 * on the page has loaded it.
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

/** The MIME bundle of a figure (pure). */
export function figureBundle(figure: PlotlyFigure, options: { embedPlotlyJs?: boolean } = {}): MimeBundle {
  return {
    [PLOTLY_MIME]: { data: figure.data, layout: figure.layout, config: { ...defaultConfig, ...figure.config } },
    'text/html': figureHtml(figure, options),
    'text/plain': figureText(figure),
  };
}

/** Shows a Plotly figure in the notebook as one output; the first of each cell execution carries plotly.js. */
export function showFigure(figure: PlotlyFigure): void {
  const execution = currentExecution();
  const embedPlotlyJs = carrierExecution === undefined || carrierExecution !== execution;
  carrierExecution = execution;
  displayBundle(figureBundle(figure, { embedPlotlyJs }));
}
