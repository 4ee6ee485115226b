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

export function serverProperties(node: NodePorts, allNodes: readonly NodePorts[], logDir: string): string {
  const voters = allNodes.map((other) => `${other.nodeId}@127.0.0.1:${other.controllerPort}`).join(',');
  const replication = Math.min(3, allNodes.length);
  const lines: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': node.nodeId,
    'controller.quorum.voters': voters,
    listeners: `PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
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
    // Lets a crashed consumer's partitions move within seconds, not 45 s.
    'group.consumer.min.session.timeout.ms': 1000,
    'group.min.session.timeout.ms': 1000,
    'log.retention.hours': 24,
    'log.segment.bytes': 64 * 1024 * 1024,
    'auto.create.topics.enable': 'false',
  };
  return `${Object.entries(lines)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
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
