import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors';
import { cacheDir } from '../paths';
import { javaBinary, kafkaClasspath } from './kafkaRuntime';

/**
 * Kafka's shell scripts (`bin/kafka-*.sh`) are thin wrappers over these main
 * classes; the Maven jars carry the classes but not the scripts.
 */
export const kafkaToolClasses: Readonly<Record<string, string>> = {
  'kafka-topics': 'org.apache.kafka.tools.TopicCommand',
  'kafka-consumer-groups': 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  // Share groups (KIP-932): describe them, read a topic as a share-group member, measure one.
  'kafka-share-groups': 'org.apache.kafka.tools.consumer.group.ShareGroupCommand',
  'kafka-console-share-consumer': 'org.apache.kafka.tools.consumer.ConsoleShareConsumer',
  'kafka-share-consumer-perf-test': 'org.apache.kafka.tools.ShareConsumerPerformance',
  // The members Kafka's system tests use (the lab's Java members are its own: src/java/ConsumerMember.java, ShareMember.java).
  'kafka-verifiable-consumer': 'org.apache.kafka.tools.VerifiableConsumer',
  'kafka-verifiable-share-consumer': 'org.apache.kafka.tools.VerifiableShareConsumer',
  'kafka-verifiable-producer': 'org.apache.kafka.tools.VerifiableProducer',
  'kafka-console-consumer': 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  'kafka-console-producer': 'org.apache.kafka.tools.ConsoleProducer',
  'kafka-producer-perf-test': 'org.apache.kafka.tools.ProducerPerformance',
  'kafka-consumer-perf-test': 'org.apache.kafka.tools.ConsumerPerformance',
  'kafka-e2e-latency': 'org.apache.kafka.tools.EndToEndLatency',
  'kafka-get-offsets': 'org.apache.kafka.tools.GetOffsetShell',
  'kafka-configs': 'kafka.admin.ConfigCommand',
  'kafka-acls': 'org.apache.kafka.tools.AclCommand',
  'kafka-delete-records': 'org.apache.kafka.tools.DeleteRecordsCommand',
  'kafka-log-dirs': 'org.apache.kafka.tools.LogDirsCommand',
  'kafka-reassign-partitions': 'org.apache.kafka.tools.reassign.ReassignPartitionsCommand',
  'kafka-leader-election': 'org.apache.kafka.tools.LeaderElectionCommand',
  'kafka-features': 'org.apache.kafka.tools.FeatureCommand',
  'kafka-broker-api-versions': 'org.apache.kafka.tools.BrokerApiVersionsCommand',
  'kafka-metadata-quorum': 'org.apache.kafka.tools.MetadataQuorumCommand',
  'kafka-transactions': 'org.apache.kafka.tools.TransactionsCommand',
  'kafka-cluster': 'org.apache.kafka.tools.ClusterTool',
  'kafka-storage': 'kafka.tools.StorageTool',
  'kafka-dump-log': 'kafka.tools.DumpLogSegments',
};

/** A log4j2 configuration that sends the tools' warnings to stderr, as Kafka's scripts do. */
export function toolsLog4jConfig(): string {
  const file = path.join(cacheDir, 'tools-log4j2.properties');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(
      file,
      [
        'status = error',
        'appender.err.type = Console',
        'appender.err.name = err',
        'appender.err.target = SYSTEM_ERR',
        'appender.err.layout.type = PatternLayout',
        'appender.err.layout.pattern = [%d] %p %m (%c)%n',
        'rootLogger.level = warn',
        'rootLogger.appenderRef.err.ref = err',
        '',
      ].join('\n'),
    );
  }
  return file;
}

/** The java command line that runs one of Kafka's tools. */
export function kafkaToolCommand(tool: string, args: readonly string[]): { command: string; args: string[] } {
  const name = tool.replace(/\.sh$/, '');
  const mainClass = kafkaToolClasses[name];
  if (!mainClass) {
    throw new LabError(
      'INVALID_OPTION',
      `Unknown Kafka tool "${tool}". Known tools: ${Object.keys(kafkaToolClasses).sort().join(', ')}.`,
    );
  }
  return {
    command: javaBinary(),
    args: ['-Xmx512m', `-Dlog4j2.configurationFile=${toolsLog4jConfig()}`, '-cp', kafkaClasspath(), mainClass, ...args],
  };
}

/** Runs a Kafka tool and collects what it prints (for tests and reports that read Kafka's own view). */
export function captureKafkaTool(
  tool: string,
  args: readonly string[],
  options: { timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { command, args: javaArgs } = kafkaToolCommand(tool, args);
  return new Promise((resolve, reject) => {
    execFile(
      command,
      javaArgs,
      { maxBuffer: 256 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: error ? Number(error.code) : 0, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Runs a Kafka tool with the user's terminal attached; resolves with its exit code. */
export function runKafkaTool(tool: string, args: readonly string[]): Promise<number> {
  const { command, args: javaArgs } = kafkaToolCommand(tool, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, javaArgs, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
