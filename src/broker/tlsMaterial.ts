import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors';
import { javaBinary } from './kafkaRuntime';

/**
 * A throw-away certificate authority and a broker certificate signed by it, made
 * with the JDK's `keytool` (Java is already required for Kafka, so no openssl
 * dependency). The CA's certificate is written as PEM for the clients
 * (`ssl.ca.location`); the broker gets a PKCS12 keystore (its key and chain) and
 * a truststore holding the CA, which it needs to talk to itself over SASL_SSL.
 * Made once per broker folder; deleting the folder makes new ones.
 */
export interface TlsMaterial {
  /** PEM certificate of the CA: what clients trust. */
  caFile: string;
  keystore: string;
  truststore: string;
  /** Password of both stores (PKCS12 needs one); it lives only in the broker's git-ignored folder. */
  storePassword: string;
}

/** keytool next to the java Kafka runs on, else the one on PATH. */
function keytoolBinary(): string {
  const java = javaBinary();
  const sibling = path.join(path.dirname(java), 'keytool');
  return path.isAbsolute(java) && fs.existsSync(sibling) ? sibling : 'keytool';
}

function keytool(args: string[], input?: string): string {
  const result = spawnSync(keytoolBinary(), args, { encoding: 'utf8', input });
  if (result.status !== 0) {
    // keytool echoes no passwords in its errors; the arguments (which hold one) are not shown.
    throw new LabError(
      'BROKER_START_FAILED',
      `Generating the TLS certificates with keytool failed (${result.error?.message ?? `exit ${result.status}`}): ${(result.stderr || result.stdout || '').trim().slice(-600)}. ` +
        'keytool comes with Java 17+; check `keytool -help` works, or delete the broker folder and start again.',
    );
  }
  return result.stdout;
}

export function tlsMaterialFor(home: string): TlsMaterial {
  const dir = path.join(home, 'tls');
  const material: TlsMaterial = {
    caFile: path.join(dir, 'ca.pem'),
    keystore: path.join(dir, 'broker.p12'),
    truststore: path.join(dir, 'truststore.p12'),
    storePassword: '',
  };
  const passwordFile = path.join(dir, 'store.secret');
  if ([material.caFile, material.keystore, material.truststore, passwordFile].every((file) => fs.existsSync(file))) {
    return { ...material, storePassword: fs.readFileSync(passwordFile, 'utf8').trim() };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const password = randomBytes(18).toString('base64url');
  fs.writeFileSync(passwordFile, password, { mode: 0o600 });
  const caStore = path.join(dir, 'ca.p12');
  const store = (file: string) => [
    '-keystore',
    file,
    '-storetype',
    'PKCS12',
    '-storepass',
    password,
    '-keypass',
    password,
  ];
  const san = 'SAN=ip:127.0.0.1,dns:localhost';

  keytool([
    '-genkeypair',
    '-alias',
    'ca',
    '-dname',
    'CN=retail-kafka-lab local CA',
    '-keyalg',
    'RSA',
    '-keysize',
    '2048',
    '-validity',
    '825',
    '-ext',
    'bc:c',
    ...store(caStore),
  ]);
  fs.writeFileSync(material.caFile, keytool(['-exportcert', '-rfc', '-alias', 'ca', ...store(caStore)]));
  keytool([
    '-genkeypair',
    '-alias',
    'broker',
    '-dname',
    'CN=localhost',
    '-keyalg',
    'RSA',
    '-keysize',
    '2048',
    '-validity',
    '825',
    '-ext',
    san,
    ...store(material.keystore),
  ]);
  const request = keytool(['-certreq', '-alias', 'broker', ...store(material.keystore)]);
  const signed = keytool(
    [
      '-gencert',
      '-rfc',
      '-alias',
      'ca',
      '-validity',
      '825',
      '-ext',
      san,
      '-ext',
      'ku:c=digitalSignature,keyEncipherment',
      '-ext',
      'eku=serverAuth,clientAuth',
      ...store(caStore),
    ],
    request,
  );
  keytool(['-importcert', '-noprompt', '-alias', 'ca', '-file', material.caFile, ...store(material.keystore)]);
  const chain = path.join(dir, 'broker-chain.pem');
  fs.writeFileSync(chain, signed + fs.readFileSync(material.caFile, 'utf8'));
  keytool(['-importcert', '-noprompt', '-alias', 'broker', '-file', chain, ...store(material.keystore)]);
  keytool(['-importcert', '-noprompt', '-alias', 'ca', '-file', material.caFile, ...store(material.truststore)]);
  fs.rmSync(caStore);
  return { ...material, storePassword: password };
}
