import { LabError } from '../errors';

/*
 * Loading @confluentinc/kafka-javascript (librdkafka), an optionalDependency (a
 * native build): the lab must compile and run without it. The consumer group's
 * librdkafka members and the librdkafka producer transport both load it here.
 */

/** The raw (node-rdkafka style) producer: produce() takes Buffers, delivery reports come as events. */
export interface RdProducer {
  connect(options: Record<string, unknown>, callback: (error: RdError | null) => void): void;
  produce(
    topic: string,
    partition: number | null,
    value: Buffer,
    key: string | Buffer | null,
    timestamp: number | null,
    opaque?: unknown,
  ): unknown;
  poll(): void;
  setPollInterval(ms: number): void;
  flush(timeoutMs: number, callback: (error: RdError | null) => void): void;
  disconnect(callback: (error: RdError | null) => void): void;
  on(event: 'delivery-report', listener: (error: RdError | null, report: RdDeliveryReport) => void): void;
  on(event: 'event.error', listener: (error: RdError) => void): void;
  removeAllListeners(): void;
  isConnected(): boolean;
}
export interface RdError extends Error {
  code: number;
  isFatal?: boolean;
  isRetriable?: boolean;
}
export interface RdDeliveryReport {
  topic: string;
  partition: number;
  offset: number;
  size: number;
  timestamp?: number;
  opaque?: unknown;
}
export interface CkjsModule {
  librdkafkaVersion: string;
  Producer: new (config: Record<string, unknown>, topicConfig?: Record<string, unknown>) => RdProducer;
  CODES: { ERRORS: Record<string, number> };
  KafkaJS: {
    Kafka: new <C>(config: Record<string, unknown>) => { consumer(config: Record<string, unknown>): C };
    logLevel: Record<'NOTHING' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG', number>;
    ErrorCodes: Record<string, number>;
  };
}

const PACKAGE = '@confluentinc/kafka-javascript';
let loaded: { module?: CkjsModule; error?: Error } | undefined;

/** `KAFKA_LAB_CONFLUENT_CLIENT=off` makes the lab behave as if the client were not installed (kafkajs only; also how tests check that path). */
export const CONFLUENT_CLIENT_SWITCH = 'KAFKA_LAB_CONFLUENT_CLIENT';

function load(): { module?: CkjsModule; error?: Error } {
  if (process.env[CONFLUENT_CLIENT_SWITCH] === 'off') {
    return {
      error: Object.assign(new Error(`switched off by ${CONFLUENT_CLIENT_SWITCH}=off`), { code: 'SWITCHED_OFF' }),
    };
  }
  if (!loaded) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = { module: require(PACKAGE) as CkjsModule };
    } catch (error) {
      loaded = { error: error as Error };
    }
  }
  return loaded;
}

/** The message a user gets when the librdkafka client is not there: what to install, what to run. */
export function confluentClientMissingMessage(reason: string): string {
  return (
    `The librdkafka client (${PACKAGE}, an optional dependency) is not available on this machine: ${reason}. ` +
    'It builds against system libraries: on Debian/Ubuntu run ' +
    '`sudo apt-get install -y zlib1g-dev libssl-dev libzstd-dev libsasl2-dev liblz4-dev libcurl4-openssl-dev`, ' +
    'then `CKJS_LINKING=dynamic npm install` in the project folder (about a minute). ' +
    "Without it, use the kafkajs client (client: 'kafkajs', protocol: 'eager')."
  );
}

/**
 * True when the native client loads. With `throwIfMissing`, a missing client is
 * a LabError that says how to enable it.
 */
export function confluentClientAvailable(options: { throwIfMissing?: boolean } = {}): boolean {
  const { module, error } = load();
  if (module) return true;
  if (options.throwIfMissing) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const reason =
      code === 'MODULE_NOT_FOUND'
        ? 'it is not installed'
        : code === 'SWITCHED_OFF'
          ? error!.message
          : `it does not load (${error?.message.split('\n')[0]})`;
    throw new LabError('INVALID_OPTION', confluentClientMissingMessage(reason), { cause: error });
  }
  return false;
}

/** librdkafka's version, or null when the client is not installed. */
export function librdkafkaVersion(): string | null {
  return load().module?.librdkafkaVersion ?? null;
}

/** The loaded module (a LabError saying how to install it when it is not there). */
export function ckjs(): CkjsModule {
  confluentClientAvailable({ throwIfMissing: true });
  return load().module!;
}
