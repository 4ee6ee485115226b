#!/usr/bin/env node
/**
 * `npm install` sets up everything a fresh clone needs, in this order:
 * 1. compile the helper (src/ -> dist/) so that `npx kafka-lab` and the notebooks work;
 * 2. fetch the pinned Apache Kafka jars with Maven into .cache/kafka (once);
 * 3. the notebook side: a project-local Python environment with JupyterLab and the tslab kernel.
 * Each step says what failed and how to fix it.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function step(title, action) {
  const began = Date.now();
  process.stderr.write(`[retail-kafka-lab] ${title}...\n`);
  action();
  process.stderr.write(`[retail-kafka-lab] ${title}: done in ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
}

function fail(message) {
  process.stderr.write(`\n[retail-kafka-lab] ${message}\n`);
  process.exit(1);
}

step('Compiling the helper (tsc)', () => {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (result.status !== 0) fail('TypeScript compilation failed (see above). Fix the error, then run `npm run build`.');
});

step('Fetching the Apache Kafka jars (Maven)', () => {
  const { ensureKafkaJars, kafkaVersion } = require(path.join(root, 'dist', 'broker', 'kafkaRuntime.js'));
  try {
    const dir = ensureKafkaJars();
    process.stderr.write(`[retail-kafka-lab] Kafka ${kafkaVersion()} jars in ${dir}\n`);
  } catch (error) {
    fail(error.message);
  }
});

step('Setting up the notebook Python environment', () => {
  const { setupPython } = require('./setupPython.js');
  try {
    setupPython();
  } catch (error) {
    fail(error.message);
  }
});
