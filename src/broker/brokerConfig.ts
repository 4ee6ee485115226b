import type { TlsMaterial } from './tlsMaterial';

/**
 * The server.properties of one node of a local KRaft cluster. Every node is a
 * combined broker and controller ("combined mode"), listening on 127.0.0.1 only.
 */
export interface NodePorts {
  nodeId: number;
  port: number;
  controllerPort: number;
}

export function nodePorts(basePort: number, nodeCount: number): NodePorts[] {
  // Client ports come first (9092, 9093, 9094 for three nodes), controllers after them.
  return Array.from({ length: nodeCount }, (_, index) => ({
    nodeId: index + 1,
    port: basePort + index,
    controllerPort: basePort + nodeCount + index,
  }));
}

/**
 * PLAIN users of a broker started with `--sasl`. The broker talks to itself as
 * `admin`; clients use the other users. Passwords are generated per broker home
 * and live only in its git-ignored folder.
 */
export interface SaslUsers {
  adminPassword: string;
  /** PLAIN users: name -> password. */
  users: Record<string, string>;
  /** SCRAM-SHA-512 users (TLS broker only), created when the storage is formatted. */
  scramUsers?: Record<string, string>;
  /** Set for the TLS broker: its listener is SASL_SSL with this keystore. */
  tls?: TlsMaterial;
}

export function serverProperties(
  node: NodePorts,
  allNodes: readonly NodePorts[],
  logDir: string,
  sasl?: SaslUsers,
): string {
  const voters = allNodes.map((other) => `${other.nodeId}@127.0.0.1:${other.controllerPort}`).join(',');
  const replication = Math.min(3, allNodes.length);
  const client = sasl?.tls ? 'SASL_SSL' : sasl ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
  const lines: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': node.nodeId,
    'controller.quorum.voters': voters,
    listeners: `${client}://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `${client}://127.0.0.1:${node.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': client,
    'listener.security.protocol.map': `CONTROLLER:PLAINTEXT,${client}:${client}`,
    ...(sasl ? saslProperties(sasl) : {}),
    'log.dirs': logDir,
    'num.partitions': 1,
    'offsets.topic.replication.factor': replication,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': Math.min(2, replication),
    'share.coordinator.state.topic.replication.factor': replication,
    'share.coordinator.state.topic.min.isr': Math.min(2, replication),
    // A lab shows a group as it forms; Kafka's 3 s production delay would only hide that.
    'group.initial.rebalance.delay.ms': 0,
    // Lets a crashed consumer's partitions move within seconds, not 45 s. KIP-848 members
    // (group.protocol=consumer) take their session from the broker or their group's
    // consumer.session.timeout.ms, not from the client: Kafka's 45 s default made a
    // killed Java member's partitions wait 45 s. The default heartbeat interval stays
    // Kafka's 5 s (it paces KIP-848's reconciliation, which notebook 06 measures); a group
    // with a session under 10 s sets a shorter one of its own, down to this minimum.
    'group.consumer.min.session.timeout.ms': 1000,
    'group.consumer.session.timeout.ms': 10_000,
    'group.consumer.min.heartbeat.interval.ms': 500,
    'group.min.session.timeout.ms': 1000,
    // Share groups (KIP-932, "queues for Kafka", GA since 4.2): on 4.4 they are on when the
    // share.version feature is finalized, which `kafka-storage format` does by default.
    // These let the lab set short record locks, sessions and heartbeats per group,
    // so that a killed member's records come back in seconds, not the 30 s default.
    'group.share.min.record.lock.duration.ms': 1000,
    'group.share.min.session.timeout.ms': 1000,
    'group.share.session.timeout.ms': 10_000,
    'group.share.min.heartbeat.interval.ms': 500,
    'group.share.heartbeat.interval.ms': 1000,
    // The share-group state topic is created on first use; 50 partitions would only slow that down.
    'share.coordinator.state.topic.num.partitions': 10,
    'log.retention.hours': 24,
    'log.segment.bytes': 64 * 1024 * 1024,
    'auto.create.topics.enable': 'false',
  };
  return `${Object.entries(lines)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

function saslProperties(sasl: SaslUsers): Record<string, string> {
  const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const users = Object.entries({ admin: sasl.adminPassword, ...sasl.users })
    .map(([user, password]) => `user_${user}=${quote(password)}`)
    .join(' ');
  const listener = sasl.tls ? 'sasl_ssl' : 'sasl_plaintext';
  const properties: Record<string, string> = {
    'sasl.enabled.mechanisms': sasl.scramUsers ? 'PLAIN,SCRAM-SHA-512' : 'PLAIN',
    'sasl.mechanism.inter.broker.protocol': 'PLAIN',
    [`listener.name.${listener}.plain.sasl.jaas.config`]: `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password=${quote(sasl.adminPassword)} ${users};`,
  };
  // SCRAM credentials live in the cluster metadata (added at format time); the login module needs no users here.
  if (sasl.scramUsers)
    properties[`listener.name.${listener}.scram-sha-512.sasl.jaas.config`] =
      'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  if (sasl.tls) {
    Object.assign(properties, {
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.location': sasl.tls.keystore,
      'ssl.keystore.password': sasl.tls.storePassword,
      'ssl.key.password': sasl.tls.storePassword,
      // The broker connects to itself over SASL_SSL (inter-broker traffic), so it must trust its own CA.
      'ssl.truststore.type': 'PKCS12',
      'ssl.truststore.location': sasl.tls.truststore,
      'ssl.truststore.password': sasl.tls.storePassword,
      'ssl.client.auth': 'none',
    });
  }
  return properties;
}

/** Broker logs go to a file per node; INFO is enough to see startup and group changes. */
export function brokerLog4jConfig(): string {
  return [
    'status = error',
    'appender.out.type = Console',
    'appender.out.name = out',
    'appender.out.layout.type = PatternLayout',
    'appender.out.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = info',
    'rootLogger.appenderRef.out.ref = out',
    'logger.kafkaRequest.name = kafka.request.logger',
    'logger.kafkaRequest.level = warn',
    '',
  ].join('\n');
}
