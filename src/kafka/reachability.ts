import net from 'node:net';
import tls from 'node:tls';
import type { Admin } from 'kafkajs';
import type { ConnectionSettings } from '../config/connection';
import { redactSecrets } from '../config/secret';
import { LabError } from '../errors';
import { createKafkaClient } from './client';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connects an admin client within `timeoutMs`, or fails with a message that names
 * the address and the fix. kafkajs on its own retries for minutes.
 */
export async function connectAdmin(
  settings: ConnectionSettings,
  options: { timeoutMs?: number; clientId?: string } = {},
): Promise<Admin> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    // Probe with a client that never retries on its own: kafkajs would otherwise keep
    // reconnecting for half a minute after we gave up, and keep the process alive.
    const probe = createKafkaClient(settings, 'retail-kafka-lab-probe', { retries: 0 }).admin({
      retry: { retries: 0 },
    });
    const attempt = (async () => {
      await probe.connect();
      await probe.describeCluster();
    })();
    try {
      await withTimeout(attempt, deadline - Date.now());
      await probe.disconnect();
      const admin = createKafkaClient(settings, options.clientId ?? 'retail-kafka-lab-admin').admin();
      await admin.connect();
      return admin;
    } catch (error) {
      lastError = error;
      // An attempt given up on may still connect later: close it whenever it settles.
      attempt
        .then(
          () => probe.disconnect(),
          () => probe.disconnect(),
        )
        .catch(() => undefined);
      if (isAuthenticationError(error)) throw authenticationFailed(settings, error);
      // A TLS mismatch does not heal by retrying: say what to change at once.
      const certificate = untrustedCertificate(error);
      if (certificate) throw tlsNotTrusted(settings, certificate, error);
      if (
        !usesTls(settings) &&
        closedByBroker(error) &&
        (await speaksTls(settings.bootstrapServers[0], Math.min(3_000, Math.max(500, deadline - Date.now()))))
      ) {
        throw plaintextAgainstTls(settings, error);
      }
      await pause(Math.min(250, Math.max(0, deadline - Date.now())));
    }
  }
  throw unreachable(settings, timeoutMs, lastError);
}

/** Resolves true once the cluster answers a metadata request, false after the deadline. */
export async function answersMetadata(settings: ConnectionSettings, timeoutMs: number): Promise<boolean> {
  try {
    const admin = await connectAdmin(settings, { timeoutMs });
    await admin.disconnect();
    return true;
  } catch (error) {
    if (error instanceof LabError && error.code === 'BROKER_UNREACHABLE') return false;
    throw error;
  }
}

function unreachable(settings: ConnectionSettings, timeoutMs: number, cause: unknown): LabError {
  const address = settings.bootstrapServers.join(',');
  const reason = cause instanceof Error ? ` (${redactSecrets(cause.message)})` : '';
  const fix = settings.isLocal
    ? 'Start the local broker with `npx kafka-lab broker start`'
    : 'Check the address and your network, or unset KAFKA_BOOTSTRAP_SERVERS / remove client.properties to use the local broker';
  return new LabError(
    'BROKER_UNREACHABLE',
    `Cannot reach Kafka at ${address} within ${Math.round(timeoutMs / 1000)} s${reason}. ${fix}.`,
    { cause },
  );
}

function usesTls(settings: ConnectionSettings): boolean {
  return settings.securityProtocol === 'SSL' || settings.securityProtocol === 'SASL_SSL';
}

/** The broker accepted the connection and then closed it (what a TLS listener does with plaintext), as opposed to refusing it. */
function closedByBroker(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Closed connection|ECONNRESET|socket hang up/i.test(message);
}

/** Node's reason when the broker's certificate is not trusted (kafkajs wraps it as "Connection error: ..."), else undefined. */
function untrustedCertificate(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const match =
    /(self[- ]signed certificate[^.]*|unable to (?:verify the first certificate|get local issuer certificate)|certificate has expired|Hostname\/IP does not match[^.]*)/i.exec(
      message,
    );
  return match?.[1];
}

/**
 * True when `host:port` completes a TLS handshake: told to speak plaintext to
 * a TLS listener, Kafka just closes the connection, which alone reads like an
 * unreachable broker.
 */
export function speaksTls(server: string, timeoutMs: number): Promise<boolean> {
  const [host, port] = [
    server.slice(0, server.lastIndexOf(':')).replace(/^\w+:\/\//, ''),
    Number(server.slice(server.lastIndexOf(':') + 1)),
  ];
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      rejectUnauthorized: false,
      servername: net.isIP(host) ? undefined : host,
    });
    const done = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function tlsNotTrusted(settings: ConnectionSettings, reason: string, cause: unknown): LabError {
  const fix = settings.sslCaLocation
    ? `The CA file ${settings.sslCaLocation} (ssl.ca.location) did not sign the broker's certificate: point ssl.ca.location (or KAFKA_SSL_CA_LOCATION) at the CA that did`
    : "Set ssl.ca.location (or KAFKA_SSL_CA_LOCATION) to the PEM file of the CA that signed the broker's certificate; for a local `kafka-lab broker start --tls` broker, use the client.properties it wrote";
  return new LabError(
    'TLS_FAILED',
    `The TLS handshake with ${settings.bootstrapServers.join(',')} failed: the broker's certificate is not trusted (${reason}). ${fix}.`,
    { cause },
  );
}

function plaintextAgainstTls(settings: ConnectionSettings, cause: unknown): LabError {
  const wanted = settings.sasl ? 'SASL_SSL' : 'SSL';
  return new LabError(
    'TLS_REQUIRED',
    `Kafka at ${settings.bootstrapServers.join(',')} expects TLS, but the client is set to ${settings.securityProtocol}, so the broker closed the connection. ` +
      `Set security.protocol=${wanted} (KAFKA_SECURITY_PROTOCOL=${wanted}), with ssl.ca.location when the broker's CA is not a public one.`,
    { cause },
  );
}

function isAuthenticationError(error: unknown): boolean {
  const name = (error as { name?: string; type?: string })?.name ?? '';
  const type = (error as { type?: string })?.type ?? '';
  return name === 'KafkaJSSASLAuthenticationError' || type === 'SASL_AUTHENTICATION_FAILED';
}

function authenticationFailed(settings: ConnectionSettings, cause: unknown): LabError {
  const user = settings.sasl?.username ?? '(none)';
  return new LabError(
    'AUTH_FAILED',
    `Authentication failed for user "${user}" at ${settings.bootstrapServers.join(',')} (${settings.sasl?.mechanism ?? 'no SASL'}). ` +
      'Check sasl.username and sasl.password (an API key and secret on Confluent Cloud).',
    { cause },
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), Math.max(1, ms));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
