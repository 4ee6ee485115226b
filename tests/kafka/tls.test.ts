import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  KafkaLab,
  LabError,
  SASL_USER,
  SCRAM_USER,
  TLS_BROKER_NAME,
  fromPropertiesFile,
  resolveConnection,
  startLocalBroker,
  stopLocalBroker,
  type ConnectionSettings,
  type LocalBrokerState,
} from '../../src/internal';
import { freshName, runCli, sampleRows } from '../support/broker';
import { skipUnless } from '../support/requirements';
import { executeNotebook } from '../../scripts/report/execute';

/*
 * The path Confluent Cloud users take, against a real broker: SASL_SSL with a
 * certificate signed by a CA generated at start-up (`broker start --tls`), PLAIN
 * and SCRAM-SHA-512 users, reached through each configuration source.
 */
let state: LocalBrokerState;
let plainFile: string;
let scramFile: string;
let secrets: string[];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-tls-'));

function property(file: string, key: string): string {
  return new RegExp(`^${key.replace(/\./g, '\\.')}=(.*)$`, 'm').exec(fs.readFileSync(file, 'utf8'))![1];
}

/** A copy of a client.properties with some lines changed (or removed with `null`). */
function variant(file: string, changes: Record<string, string | null>): string {
  let text = fs.readFileSync(file, 'utf8');
  for (const [key, value] of Object.entries(changes)) {
    const line = new RegExp(`^${key.replace(/\./g, '\\.')}=.*\\n?`, 'm');
    text = value === null ? text.replace(line, '') : text.replace(line, `${key}=${value}\n`);
  }
  const out = path.join(scratch, `client-${Math.random().toString(36).slice(2)}.properties`);
  fs.writeFileSync(out, text);
  return out;
}

before(async () => {
  state = (await startLocalBroker({ tls: true, startTimeoutMs: 120_000 })).state;
  plainFile = state.clientProperties!;
  scramFile = path.join(path.dirname(plainFile), 'client-scram.properties');
  const storeSecret = fs.readFileSync(path.join(path.dirname(plainFile), 'tls', 'store.secret'), 'utf8').trim();
  secrets = [property(plainFile, 'sasl.password'), property(scramFile, 'sasl.password'), storeSecret];
});
after(async () => {
  await stopLocalBroker(TLS_BROKER_NAME);
});

/** Produces 300 rows and reads them back with a 2-member group on `client`; nothing may be missing. */
async function roundTrip(connection: ConnectionSettings, client: 'kafkajs' | 'confluent'): Promise<void> {
  const lab = await KafkaLab.connect({ connection });
  try {
    const topic = freshName(`tls-${client}`);
    await lab.createTopic({ topic, partitions: 2 });
    const produced = await lab.produce(sampleRows(300), { topic, key: 'customer' });
    const group = await lab.startConsumerGroup({ topic, consumers: 2, client, connection });
    await group.waitForReceived(300, 60_000);
    await group.stop();
    const accounting = lab.accountFor(produced, group);
    assert.equal(accounting.missing, 0);
    assert.equal(accounting.duplicates, 0);
  } finally {
    await lab.close();
  }
}

describe('SASL_SSL against the local TLS broker', () => {
  test('client.properties is written as Confluent Cloud writes it, plus ssl.ca.location', () => {
    const text = fs.readFileSync(plainFile, 'utf8');
    assert.match(text, /^security\.protocol=SASL_SSL$/m);
    assert.match(text, /^sasl\.mechanisms=PLAIN$/m);
    assert.match(text, new RegExp(`^sasl\\.username=${SASL_USER}$`, 'm'));
    assert.match(fs.readFileSync(property(plainFile, 'ssl.ca.location'), 'utf8'), /^-----BEGIN CERTIFICATE-----/);
    assert.equal(fs.statSync(plainFile).mode & 0o077, 0, 'the file holding the password is readable by its owner only');
    assert.ok(state.bootstrap.startsWith('127.0.0.1:'));
  });

  for (const [mechanism, file] of [
    ['PLAIN', () => plainFile],
    ['SCRAM-SHA-512', () => scramFile],
  ] as const) {
    test(`${mechanism}: kafkajs produces and a kafkajs group consumes everything`, async () => {
      const connection = fromPropertiesFile(file());
      assert.equal(connection.securityProtocol, 'SASL_SSL');
      assert.equal(connection.sasl?.mechanism, mechanism);
      await roundTrip(connection, 'kafkajs');
    });
    test(`${mechanism}: a librdkafka group consumes everything`, { skip: skipUnless('librdkafka') }, async () => {
      await roundTrip(fromPropertiesFile(file()), 'confluent');
    });
  }

  test('each configuration source connects, and environment beats .env beats client.properties', async () => {
    const cwd = fs.mkdtempSync(path.join(scratch, 'cwd-'));
    const ca = property(plainFile, 'ssl.ca.location');
    const env = {
      KAFKA_BOOTSTRAP_SERVERS: state.bootstrap,
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: SCRAM_USER,
      KAFKA_SASL_PASSWORD: property(scramFile, 'sasl.password'),
      KAFKA_SSL_CA_LOCATION: ca,
    };
    // .env carries the PLAIN user, client.properties (in the same folder) the SCRAM one: each source is recognisable.
    fs.writeFileSync(
      path.join(cwd, '.env'),
      `KAFKA_BOOTSTRAP_SERVERS=${state.bootstrap}\nKAFKA_SECURITY_PROTOCOL=SASL_SSL\nKAFKA_SASL_MECHANISM=PLAIN\nKAFKA_SASL_USERNAME=${SASL_USER}\nKAFKA_SASL_PASSWORD=${property(plainFile, 'sasl.password')}\nKAFKA_SSL_CA_LOCATION=${ca}\n`,
    );
    fs.copyFileSync(scramFile, path.join(cwd, 'client.properties'));

    const expected: Array<[string, NodeJS.ProcessEnv, string]> = [
      ['environment', env, SCRAM_USER],
      ['.env', {}, SASL_USER],
    ];
    for (const [source, environment, user] of expected) {
      const settings = resolveConnection(undefined, { env: environment, cwd });
      assert.equal(settings.source, source);
      assert.equal(settings.sasl?.username, user);
      const lab = await KafkaLab.connect({ connection: settings });
      await lab.close();
    }
    fs.rmSync(path.join(cwd, '.env'));
    const fromFile = resolveConnection(undefined, { env: {}, cwd });
    assert.equal(fromFile.source, 'client.properties');
    assert.equal(fromFile.sasl?.mechanism, 'SCRAM-SHA-512');
    await (await KafkaLab.connect({ connection: fromFile })).close();
    // KAFKA_CLIENT_PROPERTIES names another file: that one wins over ./client.properties.
    const named = resolveConnection(undefined, { env: { KAFKA_CLIENT_PROPERTIES: plainFile }, cwd });
    assert.equal(named.sasl?.mechanism, 'PLAIN');
  });
});

describe('what a wrong setting says', () => {
  const rejectsWith = async (file: string, code: string, pattern: RegExp) => {
    await assert.rejects(KafkaLab.connect({ connection: fromPropertiesFile(file) }), (error: unknown) => {
      assert.ok(error instanceof LabError, String(error));
      assert.equal(error.code, code, error.message);
      assert.match(error.message, pattern);
      for (const secret of secrets) assert.ok(!error.message.includes(secret), 'a secret in the error message');
      return true;
    });
  };

  test('a CA that did not sign the broker certificate: says so and names ssl.ca.location', async () => {
    // Debian's public CA bundle: valid PEM, but none of those CAs signed the local broker.
    const publicCas = '/etc/ssl/certs/ca-certificates.crt';
    const file = fs.existsSync(publicCas)
      ? variant(plainFile, { 'ssl.ca.location': publicCas })
      : variant(plainFile, { 'ssl.ca.location': null });
    await rejectsWith(file, 'TLS_FAILED', /certificate is not trusted .*ssl\.ca\.location/);
  });

  test('no CA at all (the system CAs): the same clear message', async () => {
    await rejectsWith(variant(plainFile, { 'ssl.ca.location': null }), 'TLS_FAILED', /Set ssl\.ca\.location/);
  });

  test('a wrong password, PLAIN and SCRAM-SHA-512: authentication failed for that user, the password not echoed', async () => {
    const wrong = 'Wr0ng-Passw0rd-Over-TLS';
    await rejectsWith(
      variant(plainFile, { 'sasl.password': wrong }),
      'AUTH_FAILED',
      new RegExp(`Authentication failed for user "${SASL_USER}".*PLAIN`),
    );
    await rejectsWith(
      variant(scramFile, { 'sasl.password': wrong }),
      'AUTH_FAILED',
      new RegExp(`Authentication failed for user "${SCRAM_USER}".*SCRAM-SHA-512`),
    );
  });

  test('plaintext against the TLS listener: says the broker expects TLS and which security.protocol to set', async () => {
    const file = variant(plainFile, { 'security.protocol': 'SASL_PLAINTEXT', 'ssl.ca.location': null });
    await rejectsWith(file, 'TLS_REQUIRED', /expects TLS.*Set security\.protocol=SASL_SSL/);
  });
});

describe('the CLI over SASL_SSL', () => {
  test('`broker start --tls` reuses the running broker and prints the client.properties path', async () => {
    const cli = await runCli(['broker', 'start', '--tls']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(cli.stdout.trim().split('\n'), [state.bootstrap, plainFile]);
  });

  test('KAFKA_CLIENT_PROPERTIES=<that file> `run --rows 1000 --json` reports 1000 received over SASL_SSL, and no secret is printed even with debug logs', async () => {
    const cli = await runCli(['run', '--rows', '1000', '--json'], {
      KAFKA_CLIENT_PROPERTIES: plainFile,
      KAFKA_LAB_LOG_LEVEL: 'debug',
    });
    assert.equal(cli.code, 0, cli.stderr);
    const summary = JSON.parse(cli.stdout);
    assert.equal(summary.received, 1000);
    assert.equal(summary.missing, 0);
    assert.match(summary.connection, /over SASL_SSL as lab \(PLAIN, password \*\*\*\*\)/);
    assert.ok(cli.stderr.length > 0, 'debug logging produced output to search');
    for (const secret of secrets)
      assert.ok(!cli.stdout.includes(secret) && !cli.stderr.includes(secret), 'a secret in the CLI output');
    for (const node of state.nodes) {
      const log = fs.readFileSync(node.logFile, 'utf8');
      for (const secret of secrets) assert.ok(!log.includes(secret), `a secret in ${node.logFile}`);
    }
  });
});

test('a notebook run over SASL_SSL shows the connection with the password redacted and writes no secret into any file', {
  skip: skipUnless('python'),
  timeout: 600_000,
}, async () => {
  const outDir = fs.mkdtempSync(path.join(scratch, 'report-'));
  const resultsFile = path.join(outDir, 'results.jsonl');
  const notebook = path.join(__dirname, '..', '..', 'notebooks', '02-produce-and-consume.ipynb');
  const result = await executeNotebook(notebook, {
    outDir,
    params: { rows: 300, consumers: 2, partitions: 3 },
    resultsFile,
    cellTimeoutSec: 300,
    env: { KAFKA_CLIENT_PROPERTIES: plainFile },
  });
  assert.equal(result.failure, undefined, result.failure);
  assert.deepEqual(result.errors, []);
  const written = fs.readdirSync(outDir).map((file) => path.join(outDir, file));
  assert.ok(written.some((file) => file.endsWith('.html')) && written.some((file) => file.endsWith('.ipynb')));
  for (const file of written) {
    const text = fs.readFileSync(file, 'utf8');
    for (const secret of secrets) assert.ok(!text.includes(secret), `a secret in ${path.basename(file)}`);
  }
  assert.match(fs.readFileSync(result.executed!, 'utf8'), /SASL_SSL as lab \(PLAIN, password \*\*\*\*\)/);
  assert.match(fs.readFileSync(resultsFile, 'utf8'), /"missing":0/);
});

test('`broker stop --tls` stops it, and no JVM of it is left', async () => {
  const cli = await runCli(['broker', 'stop', '--tls']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /^Stopped the local broker/);
  for (const node of state.nodes) {
    assert.throws(() => process.kill(node.pid, 0), 'the broker process is gone');
  }
});
