import fs from 'node:fs';
import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { ConnectionSettings } from '../config/connection';
import { redactSecrets } from '../config/secret';

// kafkajs warns about its v2 partitioner on every producer; the lab chooses its partitioner explicitly.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const levels: Record<string, KafkaLogLevel> = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

/**
 * kafkajs logs retriable protocol errors (a coordinator still loading, a
 * rebalance in progress) at ERROR level; the lab records what matters as events
 * instead, so its log is off unless KAFKA_LAB_LOG_LEVEL asks for it.
 */
function logLevelFromEnvironment(): KafkaLogLevel {
  return levels[(process.env.KAFKA_LAB_LOG_LEVEL ?? 'nothing').toLowerCase()] ?? KafkaLogLevel.NOTHING;
}

function redactingLogCreator() {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, ...extra } = log;
      const line = `[kafkajs ${KafkaLogLevel[level]}] ${namespace}: ${message} ${JSON.stringify(extra)}`;
      process.stderr.write(`${redactSecrets(line)}\n`);
    };
}

/** kafkajs' `ssl`: off, on with the system's CAs, or on trusting the CA file of `ssl.ca.location`. */
function tlsOptions(settings: ConnectionSettings): KafkaConfig['ssl'] {
  if (settings.securityProtocol !== 'SSL' && settings.securityProtocol !== 'SASL_SSL') return false;
  return settings.sslCaLocation ? { ca: [fs.readFileSync(settings.sslCaLocation, 'utf8')] } : true;
}

/** The kafkajs options for these settings; the password leaves its Secret only here. */
export function kafkaJsConfig(settings: ConnectionSettings, clientId: string, options: { retries?: number } = {}): KafkaConfig {
  const config: KafkaConfig = {
    clientId,
    brokers: [...settings.bootstrapServers],
    ssl: tlsOptions(settings),
    connectionTimeout: 3000,
    requestTimeout: 30000,
    logLevel: logLevelFromEnvironment(),
    logCreator: redactingLogCreator(),
    retry: { initialRetryTime: 100, retries: options.retries ?? 8 },
  };
  if (settings.sasl) {
    const { mechanism, username, password } = settings.sasl;
    const lower = mechanism.toLowerCase() as 'plain' | 'scram-sha-256' | 'scram-sha-512';
    config.sasl = { mechanism: lower, username, password: password.reveal() } as KafkaConfig['sasl'];
  }
  return config;
}

export function createKafkaClient(settings: ConnectionSettings, clientId = 'retail-kafka-lab', options: { retries?: number } = {}): Kafka {
  return new Kafka(kafkaJsConfig(settings, clientId, options));
}
