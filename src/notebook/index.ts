/**
 * The notebook side of the lab: rendering in tslab (Plotly figures, tables,
 * progress lines, sentences), parameters, chart builders (pure functions from
 * records to Plotly figure JSON) and interpretation sentences.
 */
// The record shapes (ReceivedRecord, GroupEvent, LagSample) are structural copies of the
// Kafka side's types, which the public face exports under those names; not re-exported here.
export type { FrameLike, MimeBundle, PlotlyFigure, PlotlyTrace } from './types';

export { displayBundle, isInKernel, setFallbackDisplaySink, type DisplayOptions } from './kernel';
export { figureBundle, figureHtml, figureText, plotlyJs, PLOTLY_MIME, resetPlotlyEmbedding, showFigure } from './plotly';
export { showTable, tableBundle, tableData, tableHtml, tableText, type TableData, type TableOptions } from './table';
export { progressBundle, progressLine, progressText, trackProgress, type ProgressLine, type ProgressOptions, type ProgressState } from './progress';
export { say, showParameters, type DescribableConnection } from './text';
export { notebookParameters, parameterEnvName, parameterSources, type ParameterValue, type Parameters } from './parameters';
export { readResults, recordResult } from './results';
export { formatNumber, formatPercent, formatRate, plural } from './format';

export { messagesPerConsumerChart } from './charts/messagesPerConsumer';
export { partitionsPerConsumerChart } from './charts/partitionsPerConsumer';
export { countryMixPerConsumerChart } from './charts/countryMixPerConsumer';
export { receiveTimelineChart } from './charts/receiveTimeline';
export { throughputChart } from './charts/throughput';
export { ownershipTimelineChart } from './charts/ownership';
export { lagOverTimeChart } from './charts/lag';
export { loadByPartition, partitionLoadChart, type PartitionLoad } from './charts/partitionLoad';
export { runComparisonChart, type RunSummary } from './charts/runComparison';

export { cleaningStepsChart, revenueByCountryChart, rowsPerDayChart } from './charts/dataset';
export { flattenRecords, frameRecords, receivedFrame, type FlatRecord } from './records';

export { showFigures } from './showFigures';
export { protocolLabel, protocolOwnershipCharts, pauseByPartitionChart, protocolThroughputChart } from './charts/groupProtocols';
export { seqOverTimeChart, redeliveryChart } from './charts/readStrategies';
export { partitionSkewChart, keyMovesChart, orderCheckChart, sweepOrderChart } from './charts/partitionsAndKeys';

// Sentences of interpretation, computed from the data: one home, src/notebook/sentences/.
export {
  describeAccounting,
  describeCountryMix,
  describeKeyOrder,
  describeLag,
  describeOwnership,
  describePartitionLoad,
  describeSpread,
  describeTimeline,
} from './sentences/run';
export { describeCleaning, describeRevenueByCountry, describeRowsPerDay } from './sentences/dataset';
export { describeScaling, describeScalingStart, describeScalingStream, describeThroughput } from './sentences/scaling';
export { describeFanOut, describeRedelivery, describeStartFrom } from './sentences/readStrategies';
export { describeCountryShare, describeKeyMoves, describeSkew } from './sentences/partitionsAndKeys';
export { describeDeliveries, describePauses, describeProtocolComparison, describeStaticRestart, describeWorkDuringRebalances } from './sentences/groupProtocols';
