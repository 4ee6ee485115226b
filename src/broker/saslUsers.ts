import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SaslUsers } from './brokerConfig';

export const SASL_BROKER_NAME = 'sasl';
export const SASL_USER = 'lab';

/**
 * The PLAIN users of a SASL broker: generated once per broker folder and kept in
 * its client.properties (git-ignored), so that restarts keep the same credentials.
 */
export function saslUsersFor(home: string, bootstrap: string): { users: SaslUsers; clientProperties: string } {
  const clientProperties = path.join(home, 'client.properties');
  const secretsFile = path.join(home, 'sasl-admin.secret');
  let password: string | undefined;
  if (fs.existsSync(clientProperties)) password = /^sasl\.password=(.*)$/m.exec(fs.readFileSync(clientProperties, 'utf8'))?.[1];
  password ??= randomBytes(18).toString('base64url');
  const adminPassword = fs.existsSync(secretsFile) ? fs.readFileSync(secretsFile, 'utf8').trim() : randomBytes(18).toString('base64url');
  fs.writeFileSync(secretsFile, adminPassword, { mode: 0o600 });
  fs.writeFileSync(
    clientProperties,
    [
      '# Client settings of the local SASL broker (`kafka-lab broker start --sasl`).',
      '# Point the lab at it with KAFKA_CLIENT_PROPERTIES=<this file>.',
      `bootstrap.servers=${bootstrap}`,
      'security.protocol=SASL_PLAINTEXT',
      'sasl.mechanisms=PLAIN',
      `sasl.username=${SASL_USER}`,
      `sasl.password=${password}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return { users: { adminPassword, users: { [SASL_USER]: password } }, clientProperties };
}
