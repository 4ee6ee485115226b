import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors';
import { cacheDir, projectRoot } from '../paths';

/** The pom that pins the Kafka release; Maven resolves its jars from Maven Central. */
const kafkaPom = path.join(projectRoot, 'kafka', 'pom.xml');

/** The Kafka version pinned in kafka/pom.xml (one place to change it). */
export function kafkaVersion(): string {
  const pom = fs.readFileSync(kafkaPom, 'utf8');
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match) throw new LabError('JARS_MISSING', `No <kafka.version> property in ${kafkaPom}.`);
  return match[1].trim();
}

export function kafkaLibDir(version = kafkaVersion()): string {
  return path.join(cacheDir, 'kafka', version, 'libs');
}

/** True when the broker jar of the pinned version is already in the cache. */
export function kafkaJarsPresent(version = kafkaVersion()): boolean {
  return fs.existsSync(path.join(kafkaLibDir(version), `kafka_2.13-${version}.jar`));
}

/**
 * Makes sure the broker and tool jars are in the cache, asking Maven for them
 * the first time. Maven's own download cache (~/.m2) makes a second clone fast.
 */
export function ensureKafkaJars(options: { quiet?: boolean } = {}): string {
  const version = kafkaVersion();
  const libDir = kafkaLibDir(version);
  if (kafkaJarsPresent(version)) return libDir;
  const staging = `${libDir}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  const result = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      kafkaPom,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
      '-DincludeScope=runtime',
    ],
    { stdio: options.quiet ? 'pipe' : ['ignore', 'inherit', 'inherit'], encoding: 'utf8' },
  );
  if (result.error || result.status !== 0) {
    const reason = result.error ? result.error.message : `mvn exited with ${result.status}`;
    throw new LabError(
      'JARS_MISSING',
      `Could not fetch the Kafka ${version} jars with Maven (${reason}). ` +
        'Install Maven 3 and Java 17+, check that Maven Central is reachable, then run `npm install` again.',
    );
  }
  // Rename last, so that an interrupted download never looks complete.
  fs.rmSync(libDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(libDir), { recursive: true });
  fs.renameSync(staging, libDir);
  return libDir;
}

/** The java classpath for the broker and tools: every jar of the pinned version. */
export function kafkaClasspath(): string {
  return `${ensureKafkaJars()}${path.sep}*`;
}

/** `java`, or the one under JAVA_HOME when set. */
export function javaBinary(): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, 'bin', 'java') : 'java';
}
