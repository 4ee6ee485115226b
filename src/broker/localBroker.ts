import { BROKER_PORTS, validateWholeNumber } from '../options';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fromPropertiesFile, localConnection, resolveConnection, type ConnectionSettings } from '../config/connection';
import { LabError } from '../errors';
import { answersMetadata, connectAdmin } from '../kafka/reachability';
import {
  DEFAULT_BROKER_NAME,
  brokerHome,
  clearLocalBrokerState,
  isProcessAlive,
  readLocalBrokerState,
  writeLocalBrokerState,
  type LocalBrokerState,
} from './brokerState';
import { brokerLog4jConfig, nodePorts, type NodePorts } from './brokerConfig';
import { SASL_BROKER_NAME, TLS_BROKER_NAME, saslUsersFor, tlsUsersFor } from './saslUsers';
import { formatStorageIfNeeded } from './storage';
import { javaBinary, kafkaClasspath, kafkaVersion } from './kafkaRuntime';

export { SASL_BROKER_NAME, SASL_USER, SCRAM_USER, TLS_BROKER_NAME } from './saslUsers';

export interface StartOptions {
  /** Number of KRaft nodes (each a combined broker and controller). Default 1. */
  brokers?: number;
  /** First client port; default KAFKA_LAB_PORT or 9092. */
  basePort?: number;
  name?: string;
  /** How long to wait for the first metadata answer. */
  startTimeoutMs?: number;
  heapMb?: number;
  /**
   * A SASL_PLAINTEXT listener with PLAIN users instead of PLAINTEXT, as a
   * stand-in for an authenticated cluster. Runs as its own broker ("sasl", port
   * KAFKA_LAB_SASL_PORT or 9192) beside the plain one; the client settings are
   * written to a client.properties in its folder.
   */
  sasl?: boolean;
  /**
   * A SASL_SSL listener (PLAIN and SCRAM-SHA-512 users, a certificate signed by
   * a CA generated for it) as its own broker ("tls", port KAFKA_LAB_TLS_PORT or
   * 9492). Its client.properties is written as Confluent Cloud would, plus
   * ssl.ca.location; client-scram.properties holds the SCRAM user.
   */
  tls?: boolean;
  /**
   * Default true: share groups (KIP-932) as the release formats them. False formats the
   * storage with `share.version=0`, a broker that refuses share groups (for tests of that error).
   */
  shareGroups?: boolean;
}

export interface LocalBroker {
  state: LocalBrokerState;
  /** True when this call started it, false when it reused a running one. */
  started: boolean;
  elapsedMs: number;
}

function settingsFor(state: LocalBrokerState): ConnectionSettings {
  return state.clientProperties ? fromPropertiesFile(state.clientProperties) : localConnection(state.bootstrap);
}

function defaultPortFor(kind: keyof typeof BROKER_PORTS): number {
  const fromEnv = Number(process.env[BROKER_PORTS[kind].variable]);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : BROKER_PORTS[kind].port;
}

/** The running local broker, or undefined when none of ours is up. */
export function runningLocalBroker(name = DEFAULT_BROKER_NAME): LocalBrokerState | undefined {
  const state = readLocalBrokerState(name);
  if (!state) return undefined;
  return state.nodes.some((node) => isProcessAlive(node.pid)) ? state : undefined;
}

/**
 * Starts real Apache Kafka in KRaft combined mode from the Maven jars, bound to
 * 127.0.0.1, and waits until it answers a metadata request. Reuses a running one.
 */
export async function startLocalBroker(options: StartOptions = {}): Promise<LocalBroker> {
  const began = Date.now();
  const tls = options.tls ?? false;
  const sasl = !tls && (options.sasl ?? false);
  const kind = tls ? 'tls' : sasl ? 'sasl' : 'plain';
  const name = options.name ?? (tls ? TLS_BROKER_NAME : sasl ? SASL_BROKER_NAME : DEFAULT_BROKER_NAME);
  const brokers = options.brokers ?? 1;
  validateWholeNumber('broker count', brokers, 1, 5, 'local brokers');
  const existing = runningLocalBroker(name);
  if (existing) {
    if (existing.nodes.length !== brokers) {
      throw new LabError(
        'INVALID_OPTION',
        `A local cluster of ${existing.nodes.length} broker(s) is already running at ${existing.bootstrap}. ` +
          'Stop it first with `npx kafka-lab broker stop`.',
      );
    }
    if (await answersMetadata(settingsFor(existing), options.startTimeoutMs ?? 60_000)) {
      return { state: existing, started: false, elapsedMs: Date.now() - began };
    }
    throw new LabError(
      'BROKER_START_FAILED',
      `The local broker (pid ${existing.nodes.map((n) => n.pid).join(', ')}) is running but does not answer at ${existing.bootstrap}. ` +
        `Look at ${existing.nodes[0].logFile}, then run \`npx kafka-lab broker stop\` and start it again.`,
    );
  }

  const version = kafkaVersion();
  const classpath = kafkaClasspath();
  const home = brokerHome(name);
  const nodes = nodePorts(options.basePort ?? defaultPortFor(kind), brokers);
  await assertPortsFree(nodes);

  const log4j = path.join(home, 'log4j2.properties');
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(log4j, brokerLog4jConfig());
  const dataDir = path.join(home, 'data');
  const bootstrap = nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  const credentials = tls ? tlsUsersFor(home, bootstrap) : sasl ? saslUsersFor(home, bootstrap) : undefined;
  formatStorageIfNeeded(home, dataDir, nodes, classpath, log4j, credentials?.users, options.shareGroups ?? true);

  const heap = options.heapMb ?? 1024;
  const started = nodes.map((node) => {
    const logFile = path.join(home, `broker-${node.nodeId}.log`);
    const out = fs.openSync(logFile, 'a');
    const child = spawn(
      javaBinary(),
      [
        `-Xmx${heap}m`,
        '-Xms256m',
        '-XX:+UseG1GC',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${log4j}`,
        '-cp',
        classpath,
        'kafka.Kafka',
        path.join(home, `server-${node.nodeId}.properties`),
      ],
      { detached: true, stdio: ['ignore', out, out] },
    );
    child.unref();
    fs.closeSync(out);
    if (child.pid === undefined) {
      throw new LabError('BROKER_START_FAILED', `Could not run ${javaBinary()}. Install Java 17 or newer.`);
    }
    return { ...node, pid: child.pid, logFile };
  });

  const state: LocalBrokerState = {
    name,
    kafkaVersion: version,
    bootstrap,
    nodes: started,
    clientProperties: credentials?.clientProperties,
    dataDir,
    startedAt: new Date().toISOString(),
  };
  writeLocalBrokerState(state);

  const timeoutMs = options.startTimeoutMs ?? 90_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = started.find((node) => !isProcessAlive(node.pid));
    if (dead) {
      await stopLocalBroker(name);
      throw new LabError(
        'BROKER_START_FAILED',
        `Kafka node ${dead.nodeId} exited during start-up. Last lines of ${dead.logFile}:\n${tail(dead.logFile, 15)}`,
      );
    }
    if (await answersMetadata(settingsFor(state), Math.min(5_000, deadline - Date.now()))) {
      // The first node to answer is not the whole cluster: on N nodes, wait until all N have registered,
      // or a topic with replication factor N would be refused right after start-up.
      if (await allNodesRegistered(settingsFor(state), brokers, deadline)) {
        return { state, started: true, elapsedMs: Date.now() - began };
      }
    }
  }
  await stopLocalBroker(name);
  throw new LabError(
    'BROKER_START_FAILED',
    `Kafka did not answer at ${state.bootstrap} within ${timeoutMs / 1000} s. Last lines of ${started[0].logFile}:\n${tail(started[0].logFile, 15)}`,
  );
}

/** True once the cluster's metadata lists `count` brokers; false at the deadline (the caller then reports the logs). */
async function allNodesRegistered(settings: ConnectionSettings, count: number, deadline: number): Promise<boolean> {
  if (count === 1) return true;
  const admin = await connectAdmin(settings, { timeoutMs: Math.max(1_000, deadline - Date.now()) }).catch(
    () => undefined,
  );
  if (!admin) return false;
  try {
    while (Date.now() < deadline) {
      if ((await admin.describeCluster()).brokers.length >= count) return true;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return false;
  } finally {
    await admin.disconnect();
  }
}

/** Starts the local broker unless the configured cluster already answers. */
export async function ensureLocalBroker(options: StartOptions = {}): Promise<ConnectionSettings> {
  const settings = resolveConnection();
  if (!settings.isLocal) return settings;
  const { state } = await startLocalBroker(options);
  return settingsFor(state);
}

export interface BrokerStatus {
  running: boolean;
  answering: boolean;
  state?: LocalBrokerState;
}

export async function localBrokerStatus(name = DEFAULT_BROKER_NAME): Promise<BrokerStatus> {
  const state = runningLocalBroker(name);
  if (!state) return { running: false, answering: false };
  return { running: true, answering: await answersMetadata(settingsFor(state), 5_000), state };
}

/**
 * Stops every node with SIGTERM (Kafka's clean shutdown), waits for the JVMs to
 * exit, and only then falls back to SIGKILL, so that no stray JVM is left.
 */
export async function stopLocalBroker(name = DEFAULT_BROKER_NAME, timeoutMs = 30_000): Promise<boolean> {
  const state = readLocalBrokerState(name);
  if (!state) return false;
  const alive = state.nodes.filter((node) => isProcessAlive(node.pid));
  for (const node of alive) signal(node.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive.some((node) => isProcessAlive(node.pid)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const node of alive) if (isProcessAlive(node.pid)) signal(node.pid, 'SIGKILL');
  clearLocalBrokerState(name);
  return alive.length > 0;
}

/** Kills one node abruptly (SIGKILL), for fault experiments. */
export function killLocalBrokerNode(nodeId: number, name = DEFAULT_BROKER_NAME): void {
  const node = readLocalBrokerState(name)?.nodes.find((candidate) => candidate.nodeId === nodeId);
  if (node && isProcessAlive(node.pid)) signal(node.pid, 'SIGKILL');
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

async function assertPortsFree(nodes: readonly NodePorts[]): Promise<void> {
  for (const node of nodes) {
    for (const port of [node.port, node.controllerPort]) {
      if (await portInUse(port)) {
        throw new LabError(
          'BROKER_START_FAILED',
          `Port ${port} on 127.0.0.1 is already in use by another program, so the local broker cannot start there. ` +
            'Stop that program, or choose other ports with KAFKA_LAB_PORT=19092 (the lab uses that port and the next ones).',
        );
      }
    }
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}
