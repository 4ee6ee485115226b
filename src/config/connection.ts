import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import propertiesReader from 'properties-reader';
import { LabError } from '../errors';
import { projectRoot } from '../paths';
import { readLocalBrokerState } from '../broker/brokerState';
import { REDACTED, Secret } from './secret';

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

const securityProtocols: readonly SecurityProtocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const saslMechanisms: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

/** Where the settings came from, shown at the top of reports. */
export type ConnectionSource = 'local broker' | 'environment' | '.env' | 'client.properties' | 'options';

export interface ConnectionSettings {
  readonly bootstrapServers: readonly string[];
  readonly securityProtocol: SecurityProtocol;
  readonly sasl?: { readonly mechanism: SaslMechanism; readonly username: string; readonly password: Secret };
  readonly source: ConnectionSource;
  /** PEM file of the CA that signed the broker's certificate (`ssl.ca.location`); without it, the system's CAs. */
  readonly sslCaLocation?: string;
  /** True when this is the broker that `kafka-lab broker start` runs on this machine. */
  readonly isLocal: boolean;
  /** One line for humans, with the password redacted. */
  describe(): string;
}

/** The plain settings a caller may pass in (a notebook, a test, the CLI). */
export interface ConnectionOptions {
  bootstrapServers: string | readonly string[];
  securityProtocol?: string;
  saslMechanism?: string;
  saslUsername?: string;
  saslPassword?: string;
  sslCaLocation?: string;
}

export const DEFAULT_LOCAL_BOOTSTRAP = '127.0.0.1:9092';

/**
 * Finds the Kafka connection, first match wins:
 * 1. explicit options; 2. `KAFKA_BOOTSTRAP_SERVERS` (and `KAFKA_SECURITY_PROTOCOL`,
 * `KAFKA_SASL_MECHANISM`, `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD`, `KAFKA_SSL_CA_LOCATION`) in the
 * environment; 3. the same keys in `<cwd>/.env`; 4. a Confluent `client.properties`
 * (`KAFKA_CLIENT_PROPERTIES`, else `<cwd>/client.properties`); 5. the local broker.
 */
export function resolveConnection(
  options?: ConnectionOptions,
  context: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): ConnectionSettings {
  const env = context.env ?? process.env;
  // A notebook kernel runs in notebooks/: the project folder's .env and client.properties count too.
  const cwd = context.cwd ?? settingsFolder();
  if (options) return fromOptions(options, 'options');

  if (env.KAFKA_BOOTSTRAP_SERVERS) return fromEnvironment(env, 'environment');

  const dotenvFile = path.join(cwd, '.env');
  if (fs.existsSync(dotenvFile)) {
    const parsed = dotenv.parse(fs.readFileSync(dotenvFile));
    if (parsed.KAFKA_BOOTSTRAP_SERVERS) return fromEnvironment(parsed, '.env');
    if (parsed.KAFKA_CLIENT_PROPERTIES) return fromPropertiesFile(userPath(parsed.KAFKA_CLIENT_PROPERTIES, cwd));
  }

  const propertiesFile = env.KAFKA_CLIENT_PROPERTIES
    ? userPath(env.KAFKA_CLIENT_PROPERTIES, cwd)
    : path.join(cwd, 'client.properties');
  if (env.KAFKA_CLIENT_PROPERTIES || fs.existsSync(propertiesFile)) return fromPropertiesFile(propertiesFile);

  const local = readLocalBrokerState();
  return build({
    bootstrapServers: [local?.bootstrap ?? DEFAULT_LOCAL_BOOTSTRAP],
    securityProtocol: 'PLAINTEXT',
    source: 'local broker',
    isLocal: true,
  });
}

/**
 * A path the user gave, relative to the folder they were in: that is usually the
 * project folder, while a notebook kernel runs in notebooks/. So a relative path
 * that does not exist from `cwd` is looked up from the project folder too.
 */
function userPath(given: string, cwd: string): string {
  if (path.isAbsolute(given)) return given;
  const fromCwd = path.resolve(cwd, given);
  const fromProject = path.resolve(projectRoot, given);
  return !fs.existsSync(fromCwd) && fs.existsSync(fromProject) ? fromProject : fromCwd;
}

/** The current folder if it has a .env or client.properties, else the project folder. */
function settingsFolder(): string {
  const here = process.cwd();
  const hasSettings = (dir: string) =>
    fs.existsSync(path.join(dir, '.env')) || fs.existsSync(path.join(dir, 'client.properties'));
  return hasSettings(here) || !hasSettings(projectRoot) ? here : projectRoot;
}

/** The settings of a broker that `kafka-lab broker start` runs on this machine. */
export function localConnection(bootstrap: string): ConnectionSettings {
  return build({
    bootstrapServers: bootstrap.split(','),
    securityProtocol: 'PLAINTEXT',
    source: 'local broker',
    isLocal: true,
  });
}

/** Reads a Confluent Cloud style `client.properties` (Java properties syntax). */
export function fromPropertiesFile(file: string): ConnectionSettings {
  if (!fs.existsSync(file)) {
    throw new LabError(
      'CONFIG_INVALID',
      `The client properties file ${file} does not exist. Download it from your cluster's "Clients" page ` +
        '(or write bootstrap.servers=host:port in it), or unset KAFKA_CLIENT_PROPERTIES to use the local broker.',
    );
  }
  const props = propertiesReader(file);
  const read = (key: string): string | undefined => {
    // getRaw: get() would turn an all-digit secret into a number and lose digits.
    const value = props.getRaw(key);
    return value === null || value === undefined ? undefined : value.trim();
  };
  const bootstrap = read('bootstrap.servers');
  if (!bootstrap) {
    throw new LabError('CONFIG_INVALID', `${file} has no bootstrap.servers. Add a line bootstrap.servers=host:port.`);
  }
  let username = read('sasl.username');
  let password = read('sasl.password');
  // Confluent's Java-client files carry the credentials inside sasl.jaas.config instead.
  const jaas = read('sasl.jaas.config');
  if (jaas && (!username || !password)) {
    username ??= /username\s*=\s*["']([^"']*)["']/.exec(jaas)?.[1];
    password ??= /password\s*=\s*["']([^"']*)["']/.exec(jaas)?.[1];
  }
  const caLocation = read('ssl.ca.location');
  return fromOptions(
    {
      bootstrapServers: bootstrap,
      securityProtocol: read('security.protocol'),
      saslMechanism: read('sasl.mechanisms') ?? read('sasl.mechanism'),
      saslUsername: username,
      saslPassword: password,
      // A relative CA path in the file means: next to the file.
      sslCaLocation: caLocation ? path.resolve(path.dirname(file), caLocation) : undefined,
    },
    'client.properties',
    file,
  );
}

function fromEnvironment(env: Record<string, string | undefined>, source: ConnectionSource): ConnectionSettings {
  return fromOptions(
    {
      bootstrapServers: env.KAFKA_BOOTSTRAP_SERVERS ?? '',
      securityProtocol: env.KAFKA_SECURITY_PROTOCOL,
      saslMechanism: env.KAFKA_SASL_MECHANISM,
      saslUsername: env.KAFKA_SASL_USERNAME,
      saslPassword: env.KAFKA_SASL_PASSWORD,
      sslCaLocation: env.KAFKA_SSL_CA_LOCATION,
    },
    source,
  );
}

function fromOptions(options: ConnectionOptions, source: ConnectionSource, origin?: string): ConnectionSettings {
  const where = origin ?? (source === 'options' ? 'the connection options' : `the ${source}`);
  const servers = (
    typeof options.bootstrapServers === 'string' ? options.bootstrapServers.split(',') : [...options.bootstrapServers]
  )
    .map((server) => server.trim())
    .filter((server) => server.length > 0);
  if (servers.length === 0) {
    throw new LabError('CONFIG_INVALID', `No bootstrap servers in ${where}. Give them as host:port[,host:port].`);
  }
  for (const server of servers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(server.replace(/^\w+:\/\//, ''))) {
      throw new LabError('CONFIG_INVALID', `Bootstrap server "${server}" in ${where} is not host:port.`);
    }
  }
  const protocol = (options.securityProtocol ?? (options.saslUsername ? 'SASL_SSL' : 'PLAINTEXT')).toUpperCase();
  if (!securityProtocols.includes(protocol as SecurityProtocol)) {
    throw new LabError(
      'CONFIG_INVALID',
      `Unknown security.protocol "${options.securityProtocol}" in ${where}. Use one of ${securityProtocols.join(', ')} ` +
        '(Confluent Cloud uses SASL_SSL).',
    );
  }
  const securityProtocol = protocol as SecurityProtocol;
  let sasl: ConnectionSettings['sasl'];
  if (securityProtocol.startsWith('SASL')) {
    const mechanism = (options.saslMechanism ?? 'PLAIN').toUpperCase();
    if (!saslMechanisms.includes(mechanism as SaslMechanism)) {
      throw new LabError(
        'CONFIG_INVALID',
        `Unsupported SASL mechanism "${options.saslMechanism}" in ${where}. Use one of ${saslMechanisms.join(', ')}.`,
      );
    }
    if (!options.saslUsername || !options.saslPassword) {
      throw new LabError(
        'CONFIG_INVALID',
        `${securityProtocol} needs a username and a password in ${where} ` +
          '(sasl.username and sasl.password, or KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD).',
      );
    }
    sasl = {
      mechanism: mechanism as SaslMechanism,
      username: options.saslUsername,
      password: new Secret(options.saslPassword),
    };
  }
  let sslCaLocation: string | undefined;
  if (options.sslCaLocation) {
    if (!securityProtocol.endsWith('SSL')) {
      throw new LabError(
        'CONFIG_INVALID',
        `ssl.ca.location is set in ${where} but security.protocol is ${securityProtocol}, which does not use TLS. ` +
          'Set security.protocol=SASL_SSL (or SSL), or remove ssl.ca.location.',
      );
    }
    sslCaLocation = path.resolve(options.sslCaLocation);
    if (!fs.existsSync(sslCaLocation)) {
      throw new LabError(
        'CONFIG_INVALID',
        `The CA file ${sslCaLocation} (ssl.ca.location in ${where}) does not exist. Point it at the PEM file of the CA that signed the broker's certificate, or remove it to trust the system's CAs.`,
      );
    }
  }
  const local = readLocalBrokerState();
  return build({
    bootstrapServers: servers,
    securityProtocol,
    sasl,
    sslCaLocation,
    source,
    isLocal: local !== undefined && servers.includes(local.bootstrap),
  });
}

function build(fields: Omit<ConnectionSettings, 'describe'>): ConnectionSettings {
  const settings: ConnectionSettings = {
    ...fields,
    describe() {
      const auth = fields.sasl ? ` as ${fields.sasl.username} (${fields.sasl.mechanism}, password ${REDACTED})` : '';
      return `${fields.bootstrapServers.join(',')} over ${fields.securityProtocol}${auth}, from ${fields.source}`;
    },
  };
  Object.defineProperty(settings, 'toString', { value: () => settings.describe(), enumerable: false });
  Object.defineProperty(settings, 'describe', { enumerable: false });
  return Object.freeze(settings);
}
