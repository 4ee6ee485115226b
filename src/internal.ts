/**
 * The internal entry: everything the public face (./index.ts) exports and the
 * rest, for tests, scripts and benchmarks. Notebooks and users import ./index.ts;
 * nothing here is promised to stay.
 */

// Connecting, and the lab session a notebook works through.
export { KafkaLab, type ConnectOptions } from './lab';
export {
  resolveConnection,
  fromPropertiesFile,
  DEFAULT_LOCAL_BOOTSTRAP,
  type ConnectionSettings,
  type ConnectionOptions,
  type ConnectionSource,
  type SecurityProtocol,
  type SaslMechanism,
} from './config/connection';
export { Secret, REDACTED, redactSecrets } from './config/secret';
export { connectAdmin, answersMetadata, DEFAULT_CONNECT_TIMEOUT_MS } from './kafka/reachability';
export { createKafkaClient } from './kafka/client';

// The local broker: real Apache Kafka from Maven jars.
export {
  startLocalBroker,
  stopLocalBroker,
  ensureLocalBroker,
  localBrokerStatus,
  runningLocalBroker,
  killLocalBrokerNode,
  SASL_BROKER_NAME,
  SASL_USER,
  SCRAM_USER,
  TLS_BROKER_NAME,
  type StartOptions,
  type LocalBroker,
  type BrokerStatus,
} from './broker/localBroker';
export { type LocalBrokerState, DEFAULT_BROKER_NAME } from './broker/brokerState';
export { kafkaVersion, ensureKafkaJars, javaBinary } from './broker/kafkaRuntime';
export { kafkaToolCommand, runKafkaTool, captureKafkaTool, kafkaToolClasses } from './broker/kafkaTools';

// Topics.
export {
  createTopic,
  describeTopic,
  deleteTopic,
  topicExists,
  type TopicSpec,
  type TopicDescription,
  type PartitionDescription,
} from './kafka/topics';

// Producing.
export {
  produceRows,
  chooseTransport,
  TRANSPORT_VARIABLE,
  type ProduceInput,
  type ProduceTransport,
  DEFAULT_BATCH_SIZE,
  type ProduceOptions,
  type ProduceResult,
  type ProduceProgress,
} from './produce/producer';
export { keyStrategies, keyOf, type KeyStrategy } from './produce/keyStrategy';
export { ProducedLog } from './produce/producedLog';
export { encodeFrame, encodeObjects, isRetailFrame, splitLines, type MessageChunk } from './produce/serialize';
export {
  buildReplaySchedule,
  datesInRows,
  dueMsOfTime,
  eventTimeOf,
  replayRows,
  summarizeMs,
  SendTimes,
  EVENT_TIME_HEADER,
  DEFAULT_SPEEDUP,
  type ReplaySchedule,
  type ReplayEntry,
  type ReplayProduceResult,
  type PaceErrorMs,
} from './produce/replay';

// Consuming.
export { ConsumerGroupRun, type ConsumerGroupOptions, type ConsumerSummary } from './consume/consumerGroup';
export { LabConsumer, type ConsumerState } from './consume/labConsumer';
export { ReceivedLog, isPoison, type ReceivedRecord, type PoisonValue } from './consume/receivedLog';

// Options: every default and every validation.
export * from './options';

// Group members, clients and protocols: kafkajs (eager) or librdkafka (eager, cooperative-sticky, KIP-848 consumer, static membership).
export {
  chooseMemberClient,
  GROUP_PROTOCOLS,
  type GroupMember,
  type GroupClient,
  type GroupProtocol,
  type EagerAssignor,
  type MemberChoice,
} from './consume/groupMember';
export { ConfluentConsumer, confluentClientAvailable, librdkafkaVersion } from './consume/confluentConsumer';
export {
  readGroupTimeline,
  ownershipTimeline,
  ownershipSpans,
  rebalanceWindows,
  measureRebalances,
  countReceivedBetween,
  type GroupEvent,
  type GroupEventType,
  type GroupTimeline,
  type OwnershipInterval,
  type OwnershipSpan,
  type RebalanceWindow,
  type RebalanceRecord,
  type PartitionPause,
  type TimelineOptions,
  type ReceiveTimes,
} from './observe/groupTimeline';
export { summarizeRebalances, pauseByPartition, percentile, type RebalanceSummary } from './observe/rebalances';
// Observations computed from what was produced and received.
export { checkKeyOrder, type KeyOrderReport } from './observe/keyOrder';
export { keyMoveRows, keyMoves, partitionSkew, type KeyMoves, type PartitionSkew } from './observe/partitionsAndKeys';

// Scenarios: every experiment is one function that takes options and returns a plain result.
export {
  runRebalanceScenario,
  runGroupProtocols,
  availableProtocols,
  episodeRows,
  rebalanceHeadline,
  type RebalanceScenarioOptions,
  type RebalanceScenarioResult,
} from './scenarios/groupProtocols';
export {
  runScalingScenario,
  scaleGroup,
  scalePlan,
  cycleRows,
  consumerTimes,
  type ScalingScenarioOptions,
  type ScalingScenarioResult,
  type ScalableGroup,
  type ScaleStep,
  type ConsumerTime,
} from './scenarios/scaling';
export {
  runStartFromScenario,
  runCommitRestartScenario,
  runFanOutScenario,
  readStrategiesHeadline,
  hasReachedEnd,
  latestHasCaughtUp,
  labelRecords,
  resumePoints,
  type ReadStrategyOptions,
  type StartFromResult,
  type StartFromRow,
  type CommitRestartResult,
  type FanOutResult,
  type FanOutRow,
  type RestartRun,
  type LoggedConsumer,
  type ProducedRanges,
} from './scenarios/readStrategies';
export {
  runKeySweep,
  runPartitionGrowth,
  partitionsAndKeysHeadline,
  type KeySweepOptions,
  type KeySweepResult,
  type SweptTopic,
  type PartitionGrowthOptions,
  type PartitionGrowthResult,
} from './scenarios/partitionsAndKeys';

// Observing.
export { accountFor, type Accounting, type PartitionAccount, type ConsumerAccount } from './observe/accounting';
export { sampleLag, LagSampler, type LagSample } from './observe/lag';
export {
  LagSecondsSampler,
  type GroupLagPoint,
  type PartitionLagPoint,
  type ConsumerLagPoint,
} from './observe/lagSeconds';
export {
  GroupWitness,
  compareWitness,
  missedOwnershipChanges,
  timeDescribeTool,
  type WitnessSnapshot,
  type WitnessAgreement,
  type OwnershipWitnessing,
} from './observe/witness';
export {
  drawProcessingMs,
  meanProcessingMs,
  validateWorkModel,
  type WorkModel,
  type ProcessingTime,
} from './consume/work';
export {
  firstCaughtUpAt,
  predictCaughtUpAt,
  type MemberWork,
  type ProcessedLog,
  type SentOffsets,
} from './observe/catchUp';
export {
  runReplayScenario,
  replayHeadline,
  observedMemberRate,
  REPLAY_DEFAULTS,
  type ReplayScenarioOptions,
  type ReplayScenarioResult,
  type ReplayLive,
  type CatchUp,
} from './scenarios/replay';
export {
  runPollDeadline,
  POLL_DEADLINE_DEFAULTS,
  type PollDeadlineOptions,
  type PollDeadlineResult,
  type PollDeadlineMode,
} from './scenarios/pollDeadline';

// Experiments.
export { runExperiment, type ExperimentOptions, type ExperimentSummary } from './scenarios/basicRun';

// Waiting on conditions (never on sleeps).
export { waitUntil } from './util/waitUntil';
export { freshName, syntheticRetailRows } from './util/syntheticRows';

// Errors.
export { LabError, type LabErrorCode } from './errors';

// The data set: layouts, cleaning (polars and Danfo), the generated default.
export * from './dataset';
export * from './notebook';

// Fault scenarios (chaos): real faults against real brokers, every message accounted for.
export { runChaosScenario, validateScenarioName } from './scenarios/chaos/index';
export { runConsumerChurn, type ConsumerChurnOptions, type ConsumerChurnReport } from './scenarios/chaos/consumerChurn';
export { runBrokerLoss, type BrokerLossOptions, type BrokerLossReport } from './scenarios/chaos/brokerLoss';
export { runBrokerRestart, type BrokerRestartOptions, type BrokerRestartReport } from './scenarios/chaos/brokerRestart';
export {
  runConsumerCrash,
  type ConsumerCrashOptions,
  type ConsumerCrashReport,
  type OffsetRef,
} from './scenarios/chaos/consumerCrash';
export { BROKER_LOSS_CLUSTER, BROKER_RESTART_CLUSTER, type ChaosClusterSpec } from './chaos/localCluster';
export {
  CHAOS_SCENARIOS,
  type ChaosScenarioName,
  type ChaosReport,
  type ChaosFigures,
  type ChaosCommonOptions,
} from './chaos/report';

// Client configuration (the only place a secret is revealed), the project's paths, JupyterLab.
export { kafkaJsConfig, confluentClientConfig, connectionEnvironment } from './kafka/clientSettings';
export { projectRoot, cacheDir, datasetDir } from './paths';
export {
  jupyterLabProblem,
  startJupyterLab,
  freePort,
  type JupyterLabOptions,
  type RunningJupyterLab,
} from './cli/jupyterLab';
export { wholeNumber } from './cli/options';
export { escapeHtml } from './notebook/format';

// Delivery guarantees: the ledger.
export {
  runLedger,
  validateLedgerOptions,
  LEDGER_DEFAULTS,
  LEDGER_GUARANTEES,
  type LedgerOptions,
  type LedgerResult,
  type TimelineEvent,
  type IncarnationSummary,
  type Visibility,
  type ZombieDemo,
} from './scenarios/ledger';
export type { Books, CountryLedger, DuplicateLine, DeadLetter, PartitionBalance } from './ledger/ledgerBook';
export type { IndependentReading } from './ledger/consoleReader';
export { formatPounds, lineAmount, toUnits, MONEY_UNIT } from './ledger/money';

// Share groups and Kafka's Java client as a member (issue 16).
export {
  ShareGroupRun,
  ShareMember,
  type ShareGroupOptions,
  type ShareDelivery,
  type ShareAckType,
} from './consume/shareGroup';
export { JavaMember } from './consume/javaMember';
export { JavaOutputReader } from './consume/javaOutput';
export { appendRecordFrame } from './consume/recordFrame';
export { OffsetTally } from './consume/offsetTally';
export { assertJavaMembersCanRun, labJavaClass } from './consume/javaProcess';
export {
  accountForShareGroup,
  keyOrderAcrossGroup,
  type ShareAccounting,
  type KeyOrderAcrossGroup,
  type OrderViolation,
} from './observe/shareAccounting';
export {
  runQueueScenario,
  queueHeadline,
  validateQueueOptions,
  type QueueScenarioOptions,
  type QueueScenarioResult,
} from './scenarios/queue';
export {
  deliveriesChart,
  keyOrderViolationsChart,
  queueMessagesChart,
  type QueueRunLike,
} from './notebook/charts/queues';
export { pauseByClientChart } from './notebook/charts/clientComparison';
export { describeClientAgreement, pauseRatio, type ClientFigures } from './notebook/sentences/clientAgreement';
export {
  describeQueueOrder,
  describeQueueSpread,
  describeRedelivery as describeShareRedelivery,
  type QueueFigures,
} from './notebook/sentences/queues';
