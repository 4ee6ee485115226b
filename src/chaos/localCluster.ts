import { localConnection, type ConnectionSettings } from '../config/connection';
import { KafkaLab } from '../lab';
import { runningLocalBroker, startLocalBroker, stopLocalBroker, type LocalBroker } from '../broker/localBroker';

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
  return KafkaLab.connect({ connection: chaosClusterConnection(broker), startLocalBroker: false, connectTimeoutMs: 30_000 });
}
