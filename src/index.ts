/**
 * retail-kafka-lab: the public face, an explicit list of what notebooks and
 * users need (`import * as lab from ".."` in a notebook). Everything else stays
 * internal; tests, scripts and benchmarks reach it through ./internal.ts.
 * `node --import tsx scripts/countExports.ts src/index.ts` counts this list.
 */

// Connecting, and the lab session a notebook works through.
export { KafkaLab, type ConnectOptions } from './lab';
export { resolveConnection, type ConnectionSettings, type ConnectionOptions } from './config/connection';
export { Secret } from './config/secret';
export { LabError, type LabErrorCode } from './errors';

// The local broker: real Apache Kafka from Maven jars.
export { ensureLocalBroker, startLocalBroker, stopLocalBroker, localBrokerStatus } from './broker/localBroker';

// Options: every default, and what is valid.
export {
  DEFAULTS,
  KEY_STRATEGIES,
  GROUP_PROTOCOLS,
  MAX_CONSUMERS,
  MAX_PARTITIONS,
  type KeyStrategy,
  type StartFrom,
  type CommitMode,
  type GroupProtocol,
  type GroupClient,
} from './options';

// The data set.
export { loadRetailRows, streamRetailRows, resolveDataset, loadRetailDanfo, cleanWithDanfo } from './dataset';
export type { RetailRow, CleaningReport } from './dataset';

// What Kafka delivered, and how the group moved.
export type { ConsumerGroupRun, ConsumerSummary } from './consume/consumerGroup';
export type { ReceivedRecord } from './consume/receivedLog';
export type { ProduceResult, ProduceTransport } from './produce/producer';
export type { Accounting } from './observe/accounting';
export type { LagSample } from './observe/lag';
export { confluentClientAvailable, librdkafkaVersion } from './consume/confluentConsumer';
export { readGroupTimeline, type GroupEvent, type GroupTimeline, type RebalanceRecord } from './observe/groupTimeline';
export { summarizeRebalances, type RebalanceSummary } from './observe/rebalances';
export { checkKeyOrder } from './observe/keyOrder';
export { waitUntil } from './util/waitUntil';

// Scenarios: each experiment is one function taking options and returning a plain result.
export { runExperiment, type ExperimentOptions, type ExperimentSummary } from './scenarios/basicRun';
export { runScalingScenario, type ScalingScenarioResult } from './scenarios/scaling';
export {
  runStartFromScenario,
  runCommitRestartScenario,
  runFanOutScenario,
  readStrategiesHeadline,
  type StartFromResult,
  type CommitRestartResult,
  type FanOutResult,
} from './scenarios/readStrategies';
export {
  runKeySweep,
  runPartitionGrowth,
  partitionsAndKeysHeadline,
  type KeySweepResult,
  type PartitionGrowthResult,
} from './scenarios/partitionsAndKeys';
export {
  runRebalanceScenario,
  runGroupProtocols,
  availableProtocols,
  episodeRows,
  rebalanceHeadline,
  type RebalanceScenarioResult,
} from './scenarios/groupProtocols';
export {
  runQueueScenario,
  queueHeadline,
  type QueueScenarioOptions,
  type QueueScenarioResult,
} from './scenarios/queue';
export { runChaosScenario } from './scenarios/chaos';
export {
  runReplayScenario,
  replayHeadline,
  type ReplayScenarioOptions,
  type ReplayScenarioResult,
  type CatchUp,
} from './scenarios/replay';
export { runPollDeadline, type PollDeadlineResult, type PollDeadlineMode } from './scenarios/pollDeadline';
export { timeDescribeTool } from './observe/witness';
export type { ProcessingTime } from './consume/work';
export type { ChaosReport, ChaosScenarioName } from './chaos/report';

// Notebook rendering: tables, figures, sentences, parameters, recorded results.
export type { PlotlyFigure } from './notebook/types';
export { showTable } from './notebook/table';
export { showFigure } from './notebook/plotly';
export { showFigures } from './notebook/showFigures';
export { say, showParameters } from './notebook/text';
export { progressLine, trackProgress } from './notebook/progress';
export { liveFigure, watchFigure } from './notebook/live';
export { replayDayLive, replayLagView } from './notebook/replayDay';
export { runScalingScenarioLive } from './notebook/scalingLive';
export { notebookParameters } from './notebook/parameters';
export { recordResult, readResults } from './notebook/results';
export { formatNumber, formatPercent, formatRate, plural } from './notebook/format';
export { receivedFrame, frameRecords } from './notebook/records';

// Charts: pure functions from data to a Plotly figure.
export { messagesPerConsumerChart } from './notebook/charts/messagesPerConsumer';
export { partitionsPerConsumerChart } from './notebook/charts/partitionsPerConsumer';
export { countryMixPerConsumerChart } from './notebook/charts/countryMixPerConsumer';
export { receiveTimelineChart } from './notebook/charts/receiveTimeline';
export { throughputChart } from './notebook/charts/throughput';
export { ownershipTimelineChart } from './notebook/charts/ownership';
export { lagOverTimeChart } from './notebook/charts/lag';
export { partitionLoadChart } from './notebook/charts/partitionLoad';
export { cleaningStepsChart, revenueByCountryChart, rowsPerDayChart } from './notebook/charts/dataset';
export { seqOverTimeChart, redeliveryChart } from './notebook/charts/readStrategies';
export { partitionSkewChart, keyMovesChart, sweepOrderChart } from './notebook/charts/partitionsAndKeys';
export {
  protocolOwnershipCharts,
  pauseByPartitionChart,
  protocolThroughputChart,
} from './notebook/charts/groupProtocols';
export {
  replayLagChart,
  consumerLagChart,
  dayShapeChart,
  catchUpChart,
  witnessChart,
  pollDeadlineChart,
} from './notebook/charts/replay';
export { pauseByClientChart } from './notebook/charts/clientComparison';
export { queueMessagesChart, keyOrderViolationsChart, deliveriesChart } from './notebook/charts/queues';

// Sentences of interpretation, computed from the data.
export {
  describeAccounting,
  describeCountryMix,
  describeKeyOrder,
  describeLag,
  describeOwnership,
  describePartitionLoad,
  describeSpread,
  describeTimeline,
} from './notebook/sentences/run';
export { describeCleaning, describeRevenueByCountry, describeRowsPerDay } from './notebook/sentences/dataset';
export {
  describeScaling,
  describeScalingStart,
  describeScalingStream,
  describeThroughput,
} from './notebook/sentences/scaling';
export { describeFanOut, describeRedelivery, describeStartFrom } from './notebook/sentences/readStrategies';
export { describeCountryShare, describeKeyMoves, describeSkew } from './notebook/sentences/partitionsAndKeys';
export {
  describeDeliveries,
  describePauses,
  describeProtocolComparison,
  describeStaticRestart,
  describeWorkDuringRebalances,
} from './notebook/sentences/groupProtocols';

// Delivery guarantees: the ledger (a processor killed mid-stream; batch vs stream revenue to the tenth of a penny).
export { GUARANTEES, type Guarantee } from './options';
export {
  runLedger,
  type LedgerOptions,
  type LedgerResult,
  type TimelineEvent,
  type IncarnationSummary,
  type Visibility,
  type ZombieDemo,
} from './scenarios/ledger';
export type { CountryLedger, DuplicateLine, DeadLetter, PartitionBalance } from './ledger/ledgerBook';
export type { IndependentReading } from './ledger/consoleReader';
export { formatPounds, MONEY_UNIT } from './ledger/money';
export { ledgerDiffChart, ledgerTimelineChart, ledgerVisibilityChart } from './notebook/charts/ledger';
export {
  describeDeadLetters,
  describeDuplicates,
  describeFencing,
  describeKills,
  describeLedgerComparison,
  describeLedgerRun,
  describeVisibility,
  ledgerTableRows,
} from './notebook/sentences/ledger';
export {
  describeReplayPace,
  describeReplayLag,
  describeWitness,
  describePollDeadline,
} from './notebook/sentences/replay';
export { describeClientAgreement } from './notebook/sentences/clientAgreement';
export {
  describeQueueSpread,
  describeQueueOrder,
  describeRedelivery as describeShareRedelivery,
} from './notebook/sentences/queues';

// Share groups (KIP-932): KafkaLab.startShareGroup returns a ShareGroupRun; its members are Kafka's Java client.
export type { ShareGroupRun, ShareGroupOptions, ShareDelivery, ShareAckType } from './consume/shareGroup';
export { accountForShareGroup, keyOrderAcrossGroup, type ShareAccounting } from './observe/shareAccounting';
