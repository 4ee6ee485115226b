import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { LabError, REDACTED, resolveConnection } from '../../src/internal';

const secret = 'Sup3r-Secret-Value-42';

function tempDir(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-conn-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

test('nothing configured: the local broker', () => {
  const settings = resolveConnection(undefined, { env: {}, cwd: tempDir() });
  assert.equal(settings.source, 'local broker');
  assert.equal(settings.isLocal, true);
  assert.equal(settings.securityProtocol, 'PLAINTEXT');
  assert.match(settings.bootstrapServers[0], /^127\.0\.0\.1:\d+$/);
});

test('KAFKA_BOOTSTRAP_SERVERS and SASL settings from the environment', () => {
  const settings = resolveConnection(undefined, {
    env: {
      KAFKA_BOOTSTRAP_SERVERS: 'a.example:9092, b.example:9092',
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'PLAIN',
      KAFKA_SASL_USERNAME: 'key',
      KAFKA_SASL_PASSWORD: secret,
    },
    cwd: tempDir(),
  });
  assert.deepEqual(settings.bootstrapServers, ['a.example:9092', 'b.example:9092']);
  assert.equal(settings.source, 'environment');
  assert.equal(settings.sasl?.username, 'key');
  assert.equal(settings.sasl?.password.reveal(), secret);
});

test('a .env file is read when the environment has nothing', () => {
  const cwd = tempDir({ '.env': 'KAFKA_BOOTSTRAP_SERVERS=c.example:9092\n' });
  const settings = resolveConnection(undefined, { env: {}, cwd });
  assert.equal(settings.source, '.env');
  assert.deepEqual(settings.bootstrapServers, ['c.example:9092']);
});

test('a Confluent client.properties works unchanged', () => {
  const cwd = tempDir({
    'client.properties': [
      '# Required connection configs for Kafka producer, consumer, and admin',
      'bootstrap.servers=pkc-abc12.eu-west-1.aws.confluent.cloud:9092',
      'security.protocol=SASL_SSL',
      'sasl.mechanisms=PLAIN',
      'sasl.username=ABCDEFGHIJKLMNOP',
      `sasl.password=${secret}`,
      'session.timeout.ms=45000',
      'client.dns.lookup=use_all_dns_ips',
      '',
    ].join('\n'),
  });
  const settings = resolveConnection(undefined, { env: {}, cwd });
  assert.equal(settings.source, 'client.properties');
  assert.equal(settings.securityProtocol, 'SASL_SSL');
  assert.equal(settings.sasl?.mechanism, 'PLAIN');
  assert.equal(settings.sasl?.username, 'ABCDEFGHIJKLMNOP');
  assert.equal(settings.sasl?.password.reveal(), secret);
  assert.equal(settings.isLocal, false);
});

test('an all-digit password keeps every digit', () => {
  const cwd = tempDir({
    'client.properties':
      'bootstrap.servers=h:9092\nsecurity.protocol=SASL_PLAINTEXT\nsasl.username=u\nsasl.password=012345678901234567890\n',
  });
  assert.equal(resolveConnection(undefined, { env: {}, cwd }).sasl?.password.reveal(), '012345678901234567890');
});

test('the password never prints: String, JSON, inspect, describe', () => {
  const settings = resolveConnection(undefined, {
    env: {
      KAFKA_BOOTSTRAP_SERVERS: 'h:9092',
      KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: secret,
    },
    cwd: tempDir(),
  });
  for (const text of [
    String(settings),
    JSON.stringify(settings),
    inspect(settings, { depth: 5 }),
    settings.describe(),
    `${settings.sasl?.password}`,
  ]) {
    assert.ok(!text.includes(secret), `leaked in: ${text}`);
  }
  assert.ok(JSON.stringify(settings).includes(REDACTED));
});

test('an unknown security.protocol is refused with the allowed values', () => {
  const cwd = tempDir({ 'client.properties': 'bootstrap.servers=h:9092\nsecurity.protocol=SASL_TLS\n' });
  assert.throws(
    () => resolveConnection(undefined, { env: {}, cwd }),
    (error: unknown) =>
      error instanceof LabError &&
      error.code === 'CONFIG_INVALID' &&
      /Unknown security.protocol "SASL_TLS"/.test(error.message) &&
      /SASL_SSL/.test(error.message),
  );
});

test('a client.properties without bootstrap.servers, or a missing one, says so', () => {
  const cwd = tempDir({ 'client.properties': 'security.protocol=SASL_SSL\n' });
  assert.throws(() => resolveConnection(undefined, { env: {}, cwd }), /has no bootstrap.servers/);
  assert.throws(
    () => resolveConnection(undefined, { env: { KAFKA_CLIENT_PROPERTIES: 'nope.properties' }, cwd: tempDir() }),
    /nope.properties does not exist/,
  );
});

test('SASL without credentials, and a malformed address, are refused', () => {
  assert.throws(
    () => resolveConnection({ bootstrapServers: 'h:9092', securityProtocol: 'SASL_SSL', saslUsername: 'u' }),
    /needs a username and a password/,
  );
  assert.throws(() => resolveConnection({ bootstrapServers: 'no-port-here' }), /is not host:port/);
});

test('a relative KAFKA_CLIENT_PROPERTIES is found from the project folder when run from notebooks/', () => {
  const projectRoot = path.resolve(__dirname, '..', '..');
  fs.mkdirSync(path.join(projectRoot, '.cache'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(projectRoot, '.cache', 'conn-test-'));
  try {
    fs.writeFileSync(path.join(dir, 'client.properties'), 'bootstrap.servers=rel.example:9092\n');
    const relative = path.relative(projectRoot, path.join(dir, 'client.properties'));
    const settings = resolveConnection(undefined, {
      env: { KAFKA_CLIENT_PROPERTIES: relative },
      cwd: path.join(projectRoot, 'notebooks'),
    });
    assert.deepEqual(settings.bootstrapServers, ['rel.example:9092']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ssl.ca.location: a path relative to client.properties, KAFKA_SSL_CA_LOCATION from the environment', () => {
  const dir = tempDir({
    'ca.pem': '-----BEGIN CERTIFICATE-----\n',
    'client.properties': `bootstrap.servers=broker.example:9093\nsecurity.protocol=SASL_SSL\nsasl.mechanisms=SCRAM-SHA-512\nsasl.username=u\nsasl.password=${secret}\nssl.ca.location=ca.pem\n`,
  });
  const fromFile = resolveConnection(undefined, { env: {}, cwd: dir });
  assert.equal(fromFile.sslCaLocation, path.join(dir, 'ca.pem'));
  assert.equal(fromFile.sasl?.mechanism, 'SCRAM-SHA-512');
  const fromEnv = resolveConnection(undefined, {
    env: {
      KAFKA_BOOTSTRAP_SERVERS: 'broker.example:9093',
      KAFKA_SECURITY_PROTOCOL: 'SSL',
      KAFKA_SSL_CA_LOCATION: path.join(dir, 'ca.pem'),
    },
    cwd: tempDir(),
  });
  assert.equal(fromEnv.sslCaLocation, path.join(dir, 'ca.pem'));
});

test('ssl.ca.location that does not exist, or set without TLS: a CONFIG_INVALID that says what to change', () => {
  const env = {
    KAFKA_BOOTSTRAP_SERVERS: 'broker.example:9093',
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SASL_USERNAME: 'u',
    KAFKA_SASL_PASSWORD: secret,
  };
  assert.throws(
    () =>
      resolveConnection(undefined, { env: { ...env, KAFKA_SSL_CA_LOCATION: '/nonexistent/ca.pem' }, cwd: tempDir() }),
    (error: unknown) =>
      error instanceof LabError &&
      error.code === 'CONFIG_INVALID' &&
      /CA file \/nonexistent\/ca\.pem .* does not exist/.test(error.message),
  );
  const dir = tempDir({ 'ca.pem': 'x' });
  assert.throws(
    () =>
      resolveConnection(undefined, {
        env: { ...env, KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SSL_CA_LOCATION: path.join(dir, 'ca.pem') },
        cwd: tempDir(),
      }),
    (error: unknown) =>
      error instanceof LabError &&
      /security\.protocol is SASL_PLAINTEXT, which does not use TLS/.test(error.message) &&
      !error.message.includes(secret),
  );
});
