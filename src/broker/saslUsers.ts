import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SaslUsers } from './brokerConfig';
import { tlsMaterialFor } from './tlsMaterial';

export const SASL_BROKER_NAME = 'sasl';
export const TLS_BROKER_NAME = 'tls';
export const SASL_USER = 'lab';
/** The TLS broker's SCRAM-SHA-512 user (its PLAIN user is SASL_USER). */
export const SCRAM_USER = 'lab-scram';

function generatedPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** The password already written in a client.properties, so that restarts keep the same credentials. */
function passwordIn(file: string): string | undefined {
  return fs.existsSync(file) ? /^sasl\.password=(.*)$/m.exec(fs.readFileSync(file, 'utf8'))?.[1] : undefined;
}

function writeClientProperties(file: string, lines: string[]): void {
  fs.writeFileSync(file, [...lines, ''].join('\n'), { mode: 0o600 });
}

/**
 * The PLAIN users of a SASL broker: generated once per broker folder and kept in
 * its client.properties (git-ignored), so that restarts keep the same credentials.
 */
export function saslUsersFor(home: string, bootstrap: string): { users: SaslUsers; clientProperties: string } {
  const clientProperties = path.join(home, 'client.properties');
  const password = passwordIn(clientProperties) ?? generatedPassword();
  writeClientProperties(clientProperties, [
    '# Client settings of the local SASL broker (`kafka-lab broker start --sasl`).',
    '# Point the lab at it with KAFKA_CLIENT_PROPERTIES=<this file>.',
    `bootstrap.servers=${bootstrap}`,
    'security.protocol=SASL_PLAINTEXT',
    'sasl.mechanisms=PLAIN',
    `sasl.username=${SASL_USER}`,
    `sasl.password=${password}`,
  ]);
  return { users: { adminPassword: adminPasswordFor(home), users: { [SASL_USER]: password } }, clientProperties };
}

/**
 * The TLS broker's users and certificates: a PLAIN user written to
 * client.properties as Confluent Cloud writes it (SASL_SSL, PLAIN) plus
 * `ssl.ca.location` for the generated CA, and a SCRAM-SHA-512 user in
 * client-scram.properties. Both files are mode 600 in the git-ignored broker folder.
 */
export function tlsUsersFor(
  home: string,
  bootstrap: string,
): { users: SaslUsers; clientProperties: string; scramProperties: string } {
  fs.mkdirSync(home, { recursive: true });
  const tls = tlsMaterialFor(home);
  const clientProperties = path.join(home, 'client.properties');
  const scramProperties = path.join(home, 'client-scram.properties');
  const password = passwordIn(clientProperties) ?? generatedPassword();
  const scramPassword = passwordIn(scramProperties) ?? generatedPassword();
  const common = [`bootstrap.servers=${bootstrap}`, 'security.protocol=SASL_SSL'];
  writeClientProperties(clientProperties, [
    '# Client settings of the local TLS broker (`kafka-lab broker start --tls`), as Confluent Cloud writes them,',
    '# plus ssl.ca.location: the broker certificate is signed by a CA generated for this broker.',
    '# Point the lab at it with KAFKA_CLIENT_PROPERTIES=<this file>.',
    ...common,
    'sasl.mechanisms=PLAIN',
    `sasl.username=${SASL_USER}`,
    `sasl.password=${password}`,
    `ssl.ca.location=${tls.caFile}`,
  ]);
  writeClientProperties(scramProperties, [
    '# The same TLS broker with its SCRAM-SHA-512 user.',
    ...common,
    'sasl.mechanisms=SCRAM-SHA-512',
    `sasl.username=${SCRAM_USER}`,
    `sasl.password=${scramPassword}`,
    `ssl.ca.location=${tls.caFile}`,
  ]);
  return {
    users: {
      adminPassword: adminPasswordFor(home),
      users: { [SASL_USER]: password },
      scramUsers: { [SCRAM_USER]: scramPassword },
      tls,
    },
    clientProperties,
    scramProperties,
  };
}

/** The broker's own (inter-broker) PLAIN password, kept in its folder. */
function adminPasswordFor(home: string): string {
  const secretsFile = path.join(home, 'sasl-admin.secret');
  const adminPassword = fs.existsSync(secretsFile) ? fs.readFileSync(secretsFile, 'utf8').trim() : generatedPassword();
  fs.writeFileSync(secretsFile, adminPassword, { mode: 0o600 });
  return adminPassword;
}
