import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { JavaOutputReader, type JavaOutputListener } from './javaOutput';
import { javaBinary, kafkaJarsPresent, kafkaLibDir, kafkaVersion } from '../broker/kafkaRuntime';
import { toolsLog4jConfig } from '../broker/kafkaTools';
import type { ConnectionSettings } from '../config/connection';
import { LabError } from '../errors';
import { cacheDir, projectRoot } from '../paths';

/** The lab's own Java sources (run against the Kafka jars the broker uses). */
export const javaSourceDir = path.join(projectRoot, 'src', 'java');

const javaProbes = new Map<string, string | null>();

/** Why `java -version` fails (null when it runs), asked once per Java binary in a process. */
function javaProblem(binary: string): string | null {
  if (!javaProbes.has(binary)) {
    // Synchronous, but once per process: the group and CLI validators that call it are synchronous.
    const probe = spawnSync(binary, ['-version'], { encoding: 'utf8' });
    javaProbes.set(binary, probe.error || probe.status !== 0 ? (probe.error?.message ?? `exit ${probe.status}`) : null);
  }
  return javaProbes.get(binary) ?? null;
}

/**
 * Checks that `java` runs and that the Kafka jars are in the cache, and says how
 * to fix it when not: a Java member cannot start without either.
 */
export function assertJavaMembersCanRun(version = kafkaVersion()): void {
  const problem = javaProblem(javaBinary());
  if (problem !== null) {
    throw new LabError(
      'JAVA_MISSING',
      `Java members need Java 17 or newer, but \`${javaBinary()} -version\` failed (${problem}). ` +
        'Install a JDK 17+ (Debian: `sudo apt-get install openjdk-17-jdk-headless`) or point JAVA_HOME at one.',
    );
  }
  if (!kafkaJarsPresent(version)) {
    throw new LabError(
      'JARS_MISSING',
      `Java members run on Kafka's own client jars, but the Kafka ${version} jars are not in ${kafkaLibDir(version)}. ` +
        'Run `npm install` (or `npx kafka-lab broker start`, which fetches them with Maven) first.',
    );
  }
}

export interface JavaRunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

/**
 * Runs a program to its end without blocking the event loop (other members and progress
 * lines keep going). Its stdin is a pipe never written to, closed if this process dies.
 */
export function runToEnd(command: string, args: string[], timeoutMs = 90_000): Promise<JavaRunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => undefined);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ status: null, stdout, stderr, error });
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const compiling = new Map<string, Promise<{ classpath: string[]; mainArgs: string[] }>>();

/**
 * The classpath entry for one of the lab's Java sources: compiled once with javac
 * into .cache/java (keyed by the source and the Kafka version), so that twelve
 * members do not compile it twelve times (the sources share Json.java, so a JRE's
 * single-file source launcher would not do: a JDK is needed).
 */
export function labJavaClass(name: string): Promise<{ classpath: string[]; mainArgs: string[] }> {
  const source = path.join(javaSourceDir, `${name}.java`);
  // Keyed by every lab source (a class may use another, e.g. Json) and the Kafka version.
  const hasher = createHash('sha1').update(kafkaVersion());
  for (const file of fs.readdirSync(javaSourceDir).sort())
    hasher.update(file).update(fs.readFileSync(path.join(javaSourceDir, file)));
  const hash = hasher.digest('hex').slice(0, 12);
  const outDir = path.join(cacheDir, 'java', `${name}-${hash}`);
  let result = compiling.get(outDir);
  if (!result) {
    // Members started together share one compilation.
    result = compileLabClass(name, source, outDir);
    compiling.set(outDir, result);
    result.catch(() => compiling.delete(outDir));
  }
  return result;
}

async function compileLabClass(
  name: string,
  source: string,
  outDir: string,
): Promise<{ classpath: string[]; mainArgs: string[] }> {
  const libs = `${kafkaLibDir()}${path.sep}*`;
  if (!fs.existsSync(path.join(outDir, `${name}.class`))) {
    const javac = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'javac') : 'javac';
    const staging = `${outDir}.partial-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const compiled = await runToEnd(
      javac,
      ['-nowarn', '-cp', libs, '-sourcepath', javaSourceDir, '-d', staging, source],
      120_000,
    );
    if (compiled.error || compiled.status !== 0) {
      fs.rmSync(staging, { recursive: true, force: true });
      if (compiled.error)
        throw new LabError(
          'JAVA_MISSING',
          `Java members need a JDK (javac compiles the lab's Java sources in src/java), but \`${javac}\` did not run (${compiled.error.message}). ` +
            'Install a JDK 17+ (Debian: `sudo apt-get install openjdk-17-jdk-headless`) or point JAVA_HOME at one.',
        );
      throw new LabError(
        'JARS_MISSING',
        `Compiling ${source} against the Kafka ${kafkaVersion()} jars failed:\n${compiled.stderr.slice(-1500)}`,
      );
    }
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.renameSync(staging, outDir);
  }
  return { classpath: [outDir, libs], mainArgs: [name] };
}

/** Runs one of the lab's Java classes to its end, under ParentWatch like a member (it exits if this process dies). */
export async function runLabJava(name: string, args: string[], timeoutMs = 90_000): Promise<JavaRunResult> {
  const [target, watch] = await Promise.all([labJavaClass(name), labJavaClass('ParentWatch')]);
  return runToEnd(
    javaBinary(),
    [
      '-XX:TieredStopAtLevel=1',
      `-Dlog4j2.configurationFile=${toolsLog4jConfig()}`,
      '-cp',
      [watch.classpath[0], ...target.classpath].join(path.delimiter),
      'ParentWatch',
      ...target.mainArgs,
      ...args,
    ],
    timeoutMs,
  );
}

/**
 * Client settings for a Java member beyond the bootstrap servers: security, as a
 * properties file readable only by this user, removed when the member ends.
 * Returns undefined for a PLAINTEXT cluster.
 */
export function writeClientConfig(
  settings: ConnectionSettings,
  extra: Record<string, string | number> = {},
): string | undefined {
  const lines: Record<string, string | number> = { ...extra };
  if (settings.securityProtocol !== 'PLAINTEXT') lines['security.protocol'] = settings.securityProtocol;
  if (settings.sslCaLocation && settings.securityProtocol.endsWith('SSL')) {
    lines['ssl.truststore.type'] = 'PEM';
    lines['ssl.truststore.location'] = settings.sslCaLocation;
  }
  if (settings.sasl) {
    const { mechanism, username, password } = settings.sasl;
    const module =
      mechanism === 'PLAIN'
        ? 'org.apache.kafka.common.security.plain.PlainLoginModule'
        : 'org.apache.kafka.common.security.scram.ScramLoginModule';
    const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    lines['sasl.mechanism'] = mechanism;
    lines['sasl.jaas.config'] = `${module} required username=${quote(username)} password=${quote(password.reveal())};`;
  }
  if (Object.keys(lines).length === 0) return undefined;
  const dir = path.join(cacheDir, 'java', 'config');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(
    dir,
    `client-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.properties`,
  );
  const escaped = (value: string | number) => String(value).replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  fs.writeFileSync(
    file,
    `${Object.entries(lines)
      .map(([key, value]) => `${key}=${escaped(value)}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );
  return file;
}

export interface JavaProcessOptions {
  /** Classpath entries and the main class (or source file) with its arguments. */
  classpath: string[];
  main: string[];
  /** Called with each JSON object the process prints on stdout, and the binary frame that follows it if any. */
  onEvent: JavaOutputListener;
  /** Called once when the process has exited (code, or the signal that ended it). */
  onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** A file to remove when the process ends (its client config). */
  cleanup?: string;
  heapMb?: number;
}

/** Java children still running, killed if this process exits normally (ParentWatch covers a SIGKILLed parent). */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const running of liveChildren) running.kill('SIGKILL');
  });
}

/**
 * A Java member process: Kafka's log lines go to stderr (the last ones are kept
 * for error messages), stdout is read as JSON lines and binary frames
 * (javaOutput.ts). Every child runs under src/java/ParentWatch.java with a stdin
 * pipe this process never writes to: when this process dies, even by SIGKILL, the
 * pipe closes and the child exits.
 */
export class JavaProcess {
  readonly child: ChildProcess;
  readonly #stderrTail: string[] = [];
  readonly exited: Promise<void>;

  /** Starts a Java process under the parent watch. */
  static async launch(options: JavaProcessOptions): Promise<JavaProcess> {
    const watch = await labJavaClass('ParentWatch');
    return new JavaProcess(options, [watch.classpath[0], ...options.classpath], ['ParentWatch', ...options.main]);
  }

  private constructor(options: JavaProcessOptions, classpath: string[], main: string[]) {
    this.child = spawn(
      javaBinary(),
      [
        `-Xmx${options.heapMb ?? 160}m`,
        // A member is small and short-lived: start fast rather than peak fast.
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        `-Dlog4j2.configurationFile=${toolsLog4jConfig()}`,
        '-cp',
        classpath.join(path.delimiter),
        ...main,
      ],
      // stdin: a pipe never written to, closed when this process dies (the child's ParentWatch then exits).
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    // The child may exit first; a write-side error on the unused pipe is not news.
    this.child.stdin?.on('error', () => undefined);
    trackChild(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.#stderrTail.push(error.message);
        options.onExit(null, null);
        resolve();
      });
      this.child.once('exit', (code, signal) => {
        if (options.cleanup) fs.rmSync(options.cleanup, { force: true });
        options.onExit(code, signal);
        resolve();
      });
    });
    const output = new JavaOutputReader(options.onEvent);
    this.child.stdout!.on('data', (chunk: Buffer) => output.push(chunk));
    readline.createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.#stderrTail.push(line);
      if (this.#stderrTail.length > 20) this.#stderrTail.shift();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined;
  }

  /** The last lines the process wrote to stderr, for error messages. */
  stderrTail(): string {
    return this.#stderrTail.join('\n');
  }

  /** SIGTERM: the member's shutdown hook leaves the group cleanly. Falls back to SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL: the process dies at once, with no goodbye to the group (a crash). */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }
}
