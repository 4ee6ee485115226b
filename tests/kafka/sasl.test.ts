import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  KafkaLab,
  LabError,
  SASL_BROKER_NAME,
  SASL_USER,
  fromPropertiesFile,
  startLocalBroker,
  stopLocalBroker,
  type LocalBrokerState,
} from '../../src/internal';
import { spawnSync } from 'node:child_process';
import { freshName, projectRoot, runCli, sampleRows } from '../support/broker';
import { skipUnless } from '../support/requirements';

// The local broker with a SASL_PLAINTEXT listener stands in for an authenticated
// cluster such as Confluent Cloud: the lab reaches it only through client.properties.
let state: LocalBrokerState;
let password: string;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-sasl-'));

before(async () => {
  state = (await startLocalBroker({ sasl: true })).state;
  password = /^sasl\.password=(.*)$/m.exec(fs.readFileSync(state.clientProperties!, 'utf8'))![1];
});
after(async () => {
  await stopLocalBroker(SASL_BROKER_NAME);
});

function propertiesWith(passwordValue: string): string {
  const file = path.join(scratch, `client-${Math.random().toString(36).slice(2)}.properties`);
  fs.writeFileSync(
    file,
    fs.readFileSync(state.clientProperties!, 'utf8').replace(/^sasl\.password=.*$/m, `sasl.password=${passwordValue}`),
  );
  return file;
}

test('right credentials through client.properties work end to end', async () => {
  const lab = await KafkaLab.connect({ connection: fromPropertiesFile(state.clientProperties!) });
  try {
    assert.equal(lab.connection.securityProtocol, 'SASL_PLAINTEXT');
    const topic = freshName('sasl');
    await lab.createTopic({ topic, partitions: 2 });
    const group = await lab.startConsumerGroup({ topic, consumers: 2 });
    const produced = await lab.produce(sampleRows(200), { topic, key: 'customer' });
    await group.waitForReceived(200, 30_000);
    await group.stop();
    assert.equal(lab.accountFor(produced, group).missing, 0);
  } finally {
    await lab.close();
  }
});

test('wrong credentials: authentication failed for that user, and the wrong password is not echoed', async () => {
  const wrong = 'Wr0ng-Passw0rd-For-Test';
  await assert.rejects(
    KafkaLab.connect({ connection: fromPropertiesFile(propertiesWith(wrong)) }),
    (error: unknown) =>
      error instanceof LabError &&
      error.code === 'AUTH_FAILED' &&
      error.message.includes(`Authentication failed for user "${SASL_USER}"`) &&
      !error.message.includes(wrong),
  );
  const cli = await runCli(['run', '--rows', '10'], { KAFKA_CLIENT_PROPERTIES: propertiesWith(wrong) });
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /Authentication failed for user "lab"/);
  assert.ok(!cli.stdout.includes(wrong) && !cli.stderr.includes(wrong));
});

test('a known secret never appears in CLI output, logs or files written', async () => {
  const cli = await runCli(['run', '--rows', '300', '--partitions', '3', '--json'], {
    KAFKA_CLIENT_PROPERTIES: state.clientProperties!,
    KAFKA_LAB_LOG_LEVEL: 'debug',
  });
  assert.equal(cli.code, 0, cli.stderr);
  const summary = JSON.parse(cli.stdout);
  assert.equal(summary.received, 300);
  assert.match(summary.connection, /as lab \(PLAIN, password \*\*\*\*\)/);
  assert.ok(cli.stderr.length > 0, 'debug logging produced output to search');
  for (const [name, text] of [
    ['stdout', cli.stdout],
    ['stderr', cli.stderr],
  ] as const) {
    assert.ok(!text.includes(password), `the password leaked into ${name}`);
  }
  // The broker's own logs print its JAAS configuration as [hidden].
  for (const node of state.nodes)
    assert.ok(!fs.readFileSync(node.logFile, 'utf8').includes(password), `leaked into ${node.logFile}`);
});

test('a full report run over the SASL cluster writes no secret into any file', {
  skip: skipUnless('python'),
  timeout: 1_200_000,
}, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-report-'));
  // Small runs, as the notebook execution test gives them: this test is about secrets, not sizes.
  const small = [
    '--rows',
    '2000',
    '--generated-rows',
    '5000',
    '--kills',
    '2',
    '--speedup',
    '3000',
    '--start-time',
    '10:00',
  ];
  small.push('--end-time', '14:00', '--storm-watch-sec', '8', '--queue-consumers', '6', '--queue-partitions', '2');
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/report.ts', '--no-build', '--out', out, ...small],
    {
      cwd: projectRoot,
      // Client debug logging (checked above for the CLI) would flood every cell's output here.
      env: { ...process.env, KAFKA_CLIENT_PROPERTIES: state.clientProperties! },
      encoding: 'utf8',
      timeout: 1_200_000,
    },
  );
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.ok(
    !run.stdout.includes(password) && !run.stderr.includes(password),
    'the password leaked into the report runner output',
  );
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(out);
  const notebooks = fs.readdirSync(path.join(projectRoot, 'notebooks')).filter((f) => f.endsWith('.ipynb'));
  for (const notebook of notebooks) {
    const name = notebook.replace(/\.ipynb$/, '');
    assert.ok(
      files.some((f) => f.endsWith(`${name}.html`)),
      `no report for ${name}: ${files.join(', ')}`,
    );
  }
  for (const file of files)
    assert.ok(!fs.readFileSync(file, 'utf8').includes(password), `the password leaked into ${file}`);
  const html = fs.readFileSync(files.find((f) => f.endsWith('02-produce-and-consume.html'))!, 'utf8');
  assert.match(
    html,
    /SASL_PLAINTEXT as lab \(PLAIN, password \*\*\*\*\)/,
    'the report names the connection with the password redacted',
  );
});
