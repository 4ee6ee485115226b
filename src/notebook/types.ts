/**
 * The record shapes the notebook side reads: the Kafka side's own types, loosened
 * where chart tests build records from plain object literals.
 */
import type { ReceivedRecord as ConsumedRecord } from '../consume/receivedLog';

/** One message as a consumer received it; `value` may be left out in tests. */
export type ReceivedRecord = Omit<ConsumedRecord, 'value'> & { value?: unknown };

/** Something that happened to a consumer group member: the one type, from the group timeline. */
export type { GroupEvent } from '../observe/groupTimeline';

/** Committed and end offsets of one partition at one moment. */
export type { LagSample } from '../observe/lag';

/** A Plotly figure as JSON: what `Plotly.newPlot(div, data, layout, config)` takes. */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
}

export type PlotlyTrace = Record<string, unknown> & { type: string };

/** The least a Danfo DataFrame offers that the table renderer needs. */
export interface FrameLike {
  columns: string[];
  values: unknown[] | unknown[][];
  shape: number[];
}

/** A Jupyter MIME bundle: MIME type → content. */
export type MimeBundle = Record<string, unknown>;
