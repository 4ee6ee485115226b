import fs from 'node:fs';
import type { KafkaConfig, LogEntry } from 'kafkajs';
import { logLevel as KafkaLogLevel } from 'kafkajs';
import type { ConnectionSettings } from '../config/connection';
import { redactSecrets } from '../config/secret';

/*
 * Connection settings -> client configuration, once per client: kafkajs, the
 * librdkafka client (@confluentinc/kafka-javascript, which takes a KafkaJS-style
 * block) and a worker process's environment. This file is the only place a
 * password leaves its Secret; everything else passes ConnectionSettings along.
 */

/** The log levels KAFKA_LAB_LOG_LEVEL names, in both clients' spelling. */
export type ClientLogLevel = 'NOTHING' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';

/**
 * kafkajs logs retriable protocol errors (a coordinator still loading, a
 * rebalance in progress) at ERROR level; the lab records what matters as events
 * instead, so client logs are off unless KAFKA_LAB_LOG_LEVEL asks for them.
 */
export function clientLogLevel(): ClientLogLevel {
  const wanted = (process.env.KAFKA_LAB_LOG_LEVEL ?? 'nothing').toUpperCase();
  return (['NOTHING', 'ERROR', 'WARN', 'INFO', 'DEBUG'] as const).find((level) => level === wanted) ?? 'NOTHING';
}

/** What both clients are told the same way: brokers, TLS, SASL (the one `reveal()` of the password for clients). */
function commonSettings(settings: ConnectionSettings) {
  return {
    brokers: [...settings.bootstrapServers],
    ssl: settings.securityProtocol === 'SSL' || settings.securityProtocol === 'SASL_SSL',
    connectionTimeout: 3000,
    sasl: settings.sasl
      ? {
          mechanism: settings.sasl.mechanism.toLowerCase() as 'plain' | 'scram-sha-256' | 'scram-sha-512',
          username: settings.sasl.username,
          password: settings.sasl.password.reveal(),
        }
      : undefined,
  };
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
function kafkaJsTls(settings: ConnectionSettings): KafkaConfig['ssl'] {
  const ssl = commonSettings(settings).ssl;
  return ssl && settings.sslCaLocation ? { ca: [fs.readFileSync(settings.sslCaLocation, 'utf8')] } : ssl;
}

/** The kafkajs options for these settings. */
export function kafkaJsConfig(
  settings: ConnectionSettings,
  clientId: string,
  options: { retries?: number } = {},
): KafkaConfig {
  const { sasl, ...common } = commonSettings(settings);
  const config: KafkaConfig = {
    clientId,
    ...common,
    ssl: kafkaJsTls(settings),
    requestTimeout: 30000,
    logLevel: KafkaLogLevel[clientLogLevel()],
    logCreator: redactingLogCreator(),
    retry: { initialRetryTime: 100, retries: options.retries ?? 8 },
  };
  if (sasl) config.sasl = sasl as KafkaConfig['sasl'];
  return config;
}

/**
 * The librdkafka client's KafkaJS-style block for these settings. `logLevel` is
 * the client's own enum value for `clientLogLevel()` (the optional module is
 * loaded by the caller, not here).
 */
export function confluentClientConfig(
  settings: ConnectionSettings,
  clientId: string,
  logLevel: unknown,
): { kafkaJS: Record<string, unknown>; 'ssl.ca.location'?: string } {
  const { sasl, ...common } = commonSettings(settings);
  const kafkaJS = { clientId, ...common, logLevel, ...(sasl ? { sasl } : {}) };
  // librdkafka properties sit beside the KafkaJS-style block; the CA file is one of them.
  return common.ssl && settings.sslCaLocation ? { kafkaJS, 'ssl.ca.location': settings.sslCaLocation } : { kafkaJS };
}

/**
 * The same settings as plain librdkafka properties, for the clients the lab
 * drives through librdkafka's own API (the producer transport).
 */
export function librdkafkaConfig(settings: ConnectionSettings, clientId: string): Record<string, string | number> {
  const { sasl, ssl, brokers, connectionTimeout } = commonSettings(settings);
  const config: Record<string, string | number> = {
    'bootstrap.servers': brokers.join(','),
    'client.id': clientId,
    'security.protocol': `${sasl ? 'sasl_' : ''}${ssl ? 'ssl' : 'plaintext'}`,
    'socket.connection.setup.timeout.ms': connectionTimeout + 10_000,
  };
  if (sasl) {
    config['sasl.mechanism'] = sasl.mechanism.toUpperCase();
    config['sasl.username'] = sasl.username;
    config['sasl.password'] = sasl.password;
  }
  if (ssl && settings.sslCaLocation) config['ssl.ca.location'] = settings.sslCaLocation;
  return config;
}

/** The same settings as environment variables for a worker process (never its command line, which `ps` shows). */
export function connectionEnvironment(settings: ConnectionSettings): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    KAFKA_BOOTSTRAP_SERVERS: settings.bootstrapServers.join(','),
    KAFKA_SECURITY_PROTOCOL: settings.securityProtocol,
    ...(settings.sslCaLocation ? { KAFKA_SSL_CA_LOCATION: settings.sslCaLocation } : {}),
  };
  const { sasl } = commonSettings(settings);
  if (settings.sasl && sasl) {
    env.KAFKA_SASL_MECHANISM = settings.sasl.mechanism;
    env.KAFKA_SASL_USERNAME = sasl.username;
    env.KAFKA_SASL_PASSWORD = sasl.password;
  }
  return env;
}
