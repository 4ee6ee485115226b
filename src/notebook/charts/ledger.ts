import type { LedgerResult, TimelineEvent } from '../../scenarios/ledger';
import { UNITS_PER_POUND } from '../../ledger/money';
import type { PlotlyFigure, PlotlyTrace } from '../types';
import { colorAt, figure, round3, type FigureOptions } from './common';

/** The part of a ledger run the charts read (so tests can pass literals). */
export type LedgerRun = Pick<LedgerResult, 'guarantee' | 'perCountry' | 'timeline' | 'visibility'>;

const pounds = (units: number) => round3(units / UNITS_PER_POUND);

/**
 * Stream minus batch revenue per country, in pounds, one bar group per run.
 * Countries: every one with a difference in some run, else the largest by batch
 * revenue, so a run that matched still shows its zero bars.
 */
export function ledgerDiffChart(
  runs: readonly LedgerRun[],
  options: FigureOptions & { maxCountries?: number } = {},
): PlotlyFigure {
  const max = options.maxCountries ?? 12;
  const byBatch = [...(runs[0]?.perCountry ?? [])].sort((a, b) => b.batch - a.batch).map((c) => c.country);
  const differing = byBatch.filter((country) =>
    runs.some((run) => run.perCountry.some((c) => c.country === country && c.diff !== 0)),
  );
  const countries = (
    differing.length ? [...differing, ...byBatch.filter((c) => !differing.includes(c))] : byBatch
  ).slice(0, max);
  const data: PlotlyTrace[] = runs.map((run, i) => {
    const y = countries.map((country) => pounds(run.perCountry.find((c) => c.country === country)?.diff ?? 0));
    return {
      type: 'bar',
      name: run.guarantee,
      x: countries,
      y,
      marker: { color: colorAt(i) },
      text: y.map((v) => `£${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 3 })}`),
      textposition: 'outside',
    };
  });
  return figure(
    data,
    {
      barmode: 'group',
      xaxis: { title: { text: 'country' }, type: 'category' },
      yaxis: { title: { text: 'stream − batch revenue (£)' }, zeroline: true },
    },
    { title: options.title ?? 'Revenue counted by the stream beyond the batch, per country', height: options.height },
  );
}

const SYMBOLS: Record<TimelineEvent['kind'], string> = {
  start: 'circle-open',
  ready: 'circle',
  kill: 'x',
  abort: 'triangle-down',
  fenced: 'square',
  stopped: 'star',
};
const COLORS: Record<TimelineEvent['kind'], string> = {
  start: '#7f7f7f',
  ready: '#2ca02c',
  kill: '#d62728',
  abort: '#ff7f0e',
  fenced: '#9467bd',
  stopped: '#1f77b4',
};

/** Which row of a run an event goes on: the processes (start, ready, kill, stop), or the transactions (abort, fenced). */
const TRANSACTION_KINDS = new Set<TimelineEvent['kind']>(['abort', 'fenced']);

/** Kills, restarts (start, ready), aborted transactions and fencing over time: two rows per run, processes and transactions. */
export function ledgerTimelineChart(runs: readonly LedgerRun[], options: FigureOptions = {}): PlotlyFigure {
  const kinds = Object.keys(SYMBOLS) as TimelineEvent['kind'][];
  const data: PlotlyTrace[] = kinds.map((kind) => {
    const points = runs.flatMap((run) =>
      run.timeline.filter((e) => e.kind === kind).map((e) => ({ run: run.guarantee, e })),
    );
    return {
      type: 'scatter',
      mode: 'markers',
      name: kind,
      x: points.map((p) => round3(p.e.at / 1000)),
      y: points.map((p) => `${p.run}: ${TRANSACTION_KINDS.has(kind) ? 'transactions' : 'processes'}`),
      text: points.map((p) => `p${p.e.incarnation}: ${p.e.detail}`),
      hoverinfo: 'text+x',
      marker: { symbol: SYMBOLS[kind], size: 13, color: COLORS[kind], line: { width: 2, color: COLORS[kind] } },
    };
  });
  return figure(
    data,
    {
      xaxis: { title: { text: 'seconds since the first processor started' } },
      yaxis: {
        type: 'category',
        title: { text: '' },
        categoryorder: 'array',
        categoryarray: runs
          .flatMap((run) => [`${run.guarantee}: transactions`, `${run.guarantee}: processes`])
          .reverse(),
      },
      margin: { l: 190, r: 30, t: 60, b: 60 },
    },
    {
      title: options.title ?? 'Processor kills, restarts, aborted transactions and fencing',
      height: options.height ?? 360,
    },
  );
}

/** Output events each incarnation wrote, as read_committed and read_uncommitted readers see them. */
export function ledgerVisibilityChart(run: LedgerRun, options: FigureOptions = {}): PlotlyFigure {
  const rows = run.visibility.byIncarnation;
  const x = rows.map((r) => `p${r.incarnation}`);
  return figure(
    [
      {
        type: 'bar',
        name: 'read_uncommitted',
        x,
        y: rows.map((r) => r.readUncommitted),
        marker: { color: colorAt(1) },
      },
      { type: 'bar', name: 'read_committed', x, y: rows.map((r) => r.readCommitted), marker: { color: colorAt(0) } },
    ],
    {
      barmode: 'group',
      xaxis: { title: { text: 'processor incarnation' }, type: 'category' },
      yaxis: { title: { text: 'output events' } },
    },
    {
      title: options.title ?? `${run.guarantee}: what each reader sees of the output, per processor incarnation`,
      height: options.height,
    },
  );
}
