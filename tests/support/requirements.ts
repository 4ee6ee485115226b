import fs from 'node:fs';
import { test } from 'node:test';
import { confluentClientAvailable } from '../../src/internal';
import { SAMPLE_FILE } from './sample';
import { jupyterLabProblem } from '../../src/cli/jupyterLab';
import { CHROMIUM } from '../../scripts/report/browser';

/**
 * What some tests need beyond Node and Java, and how to tell it is there.
 * Outside CI a test without it skips, saying why. Under `CI=true` a missing
 * requirement is a failure that names it: a green CI run must mean that the
 * librdkafka, notebook and real-data tests ran.
 */
export type Requirement = 'librdkafka' | 'python' | 'sample' | 'chromium';

const checks: Record<Requirement, () => string | undefined> = {
  librdkafka: () =>
    confluentClientAvailable()
      ? undefined
      : 'the librdkafka client (@confluentinc/kafka-javascript) does not load: install the Debian packages listed in .ci/run, then `CKJS_LINKING=dynamic npm install`',
  python: () => {
    const problem = jupyterLabProblem();
    return problem ? `the notebook Python environment is missing (${problem})` : undefined;
  },
  chromium: () =>
    fs.existsSync(CHROMIUM) ? undefined : `Chromium (${CHROMIUM}) is missing: \`apt-get install chromium\``,
  sample: () =>
    fs.existsSync(SAMPLE_FILE)
      ? undefined
      : `the shared real sample ${SAMPLE_FILE} is missing: put the 39,641-row Online Retail sample there, or set KAFKA_LAB_SAMPLE_FILE`,
};

/** Why `requirement` is not met on this machine, or undefined when it is. */
export function missingRequirement(requirement: Requirement): string | undefined {
  return checks[requirement]();
}

export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

const reported = new Set<Requirement>();

/**
 * The `skip` option for a test (or describe) that needs these requirements:
 * `false` when all are met, else the reason (node's runner prints it after
 * `# SKIP`). Under CI=true it also registers, once per requirement and test
 * file, a failing test whose message names what is missing.
 */
export function skipUnless(...requirements: Requirement[]): string | false {
  const missing = requirements
    .map((r) => [r, missingRequirement(r)] as const)
    .filter(([, reason]) => reason !== undefined);
  if (missing.length === 0) return false;
  if (underCi()) {
    for (const [requirement, reason] of missing) {
      if (reported.has(requirement)) continue;
      reported.add(requirement);
      test(`CI needs ${requirement}`, () => {
        throw new Error(`CI=true and ${reason}. Tests that need it would otherwise be skipped silently.`);
      });
    }
  }
  return missing.map(([, reason]) => reason).join('; ');
}

/**
 * For a test that runs either way but covers less without a requirement (notebook 06 runs only
 * the eager protocol without librdkafka): under CI=true a missing one fails, by name; outside CI
 * nothing happens.
 */
export function requireUnderCi(...requirements: Requirement[]): void {
  if (underCi()) skipUnless(...requirements);
}
