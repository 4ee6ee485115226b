/**
 * The record shapes the notebook side reads. They are structural: the Kafka
 * side's own types (received messages, group events, lag samples) satisfy them
 * without an import, and tests build them from plain object literals.
 */

/** One message as a consumer received it. */
export interface ReceivedRecord {
  consumer: string;
  partition: number;
  offset: number;
  key: string | null;
  /** ms since the epoch, when the producer sent it. */
  producedAt: number;
  /** ms since the epoch, when the consumer got it. */
  receivedAt: number;
  /** The decoded JSON value; charts read `country` from it when present. */
  value?: unknown;
}

export type GroupEventType = 'join' | 'assignment' | 'rebalance-start' | 'rebalance-end' | 'leave' | 'crash';

/** Something that happened to a consumer group member. */
export interface GroupEvent {
  at: number;
  consumer: string;
  type: GroupEventType | string;
  partitions?: readonly number[];
}

/** Committed and end offsets of one partition at one moment. */
export interface LagSample {
  at: number;
  partition: number;
  committed: number;
  end: number;
  lag: number;
}

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
