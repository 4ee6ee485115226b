import { localConnection, type ConnectionSettings } from '../config/connection';
import { KafkaLab } from '../lab';
import { runningLocalBroker, startLocalBroker, stopLocalBroker, type LocalBroker } from '../broker/localBroker';
import { startChaosStream, type ChaosStream, type ChaosStreamOptions } from './stream';

/**
 * A local cluster of the scenario's own (name, ports), so that faults never touch
 * the shared broker on 9092 that notebooks and other tests use.
 */
export interface ChaosClusterSpec {
  name: string;
  brokers: number;
  basePort: number;
}

export const BROKER_LOSS_CLUSTER: ChaosClusterSpec = { name: 'chaos-cluster', brokers: 3, basePort: 9292 };
export const BROKER_RESTART_CLUSTER: ChaosClusterSpec = { name: 'chaos-restart', brokers: 1, basePort: 9392 };

/**
 * Starts the cluster fresh: a leftover of an interrupted run (perhaps with a
 * killed node) is stopped first, so every run starts from all nodes up.
 */
export async function startChaosCluster(spec: ChaosClusterSpec): Promise<LocalBroker> {
  if (runningLocalBroker(spec.name)) await stopLocalBroker(spec.name);
  return startLocalBroker({ name: spec.name, brokers: spec.brokers, basePort: spec.basePort, heapMb: 512 });
}

export function chaosClusterConnection(broker: LocalBroker): ConnectionSettings {
  return localConnection(broker.state.bootstrap);
}

/** A lab on that cluster; never starts the shared local broker. */
export function connectChaosLab(broker: LocalBroker): Promise<KafkaLab> {
  return KafkaLab.connect({
    connection: chaosClusterConnection(broker),
    startLocalBroker: false,
    connectTimeoutMs: 30_000,
  });
}

/** What a scenario gets on its own cluster. */
export interface ChaosClusterRun {
  lab: KafkaLab;
  /** How long the cluster took to start and answer. */
  startMs: number;
  /** A paced stream into `topic`, stopped when the run ends whatever happens. */
  stream(topic: string, options: ChaosStreamOptions): ChaosStream;
}

/**
 * Starts the scenario's cluster fresh, runs the scenario with a lab on it,
 * and cleans up whatever happens: streams stopped, lab closed, cluster
 * stopped unless `keep`. The report's `durationMs` covers all of it.
 */
export async function runOnChaosCluster<R extends { durationMs: number }>(
  spec: ChaosClusterSpec,
  options: { keep?: boolean; note: (line: string) => void },
  scenario: (run: ChaosClusterRun) => Promise<R>,
): Promise<R> {
  const began = Date.now();
  const what = spec.brokers === 1 ? 'broker' : `${spec.brokers}-node KRaft cluster`;
  options.note(`starting the ${what} "${spec.name}" on 127.0.0.1:${spec.basePort}...`);
  const broker = await startChaosCluster(spec);
  const startMs = Date.now() - began;
  options.note(`${what} up at ${broker.state.bootstrap} in ${(startMs / 1000).toFixed(1)} s`);
  const streams: ChaosStream[] = [];
  let report: R;
  try {
    const lab = await connectChaosLab(broker);
    try {
      report = await scenario({
        lab,
        startMs,
        stream: (topic, streamOptions) => {
          const stream = startChaosStream(lab, topic, streamOptions);
          streams.push(stream);
          return stream;
        },
      });
    } finally {
      for (const stream of streams) stream.abort();
      await lab.close();
    }
  } finally {
    if (!options.keep) await stopLocalBroker(spec.name);
  }
  report.durationMs = Date.now() - began;
  return report;
}
