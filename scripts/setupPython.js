#!/usr/bin/env node
'use strict';
/**
 * Sets up the notebook side's Python environment: a project-local `.venv/` with
 * the pinned packages of `notebooks/requirements.txt` (constrained by
 * `notebooks/constraints.txt`), and the tslab TypeScript kernel registered in it.
 *
 * Plain JavaScript on purpose: `npm install` runs it from postinstall, before the
 * TypeScript build. Exported as `setupPython()` and runnable directly:
 *
 *   node scripts/setupPython.js          # set up, or do nothing when up to date
 *   node scripts/setupPython.js --force  # reinstall packages and the kernel
 *
 * Environment:
 *   KAFKA_LAB_SKIP_PYTHON=1   skip the whole step
 *   KAFKA_LAB_PYTHON=<path>   the Python used to create the venv (default python3)
 *   PIP_RETRIES, PIP_TIMEOUT  passed to pip (defaults 1 and 20 so that an
 *                             unreachable index fails in seconds, not minutes)
 */
const childProcess = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const projectRoot = path.resolve(__dirname, '..');
const venvDir = path.join(projectRoot, '.venv');
const venvPython = path.join(venvDir, 'bin', 'python');
const requirementsFile = path.join(projectRoot, 'notebooks', 'requirements.txt');
const constraintsFile = path.join(projectRoot, 'notebooks', 'constraints.txt');
const stampFile = path.join(venvDir, '.kafka-lab-stamp');
const tslabBinary = path.join(projectRoot, 'node_modules', '.bin', 'tslab');
const kernelJson = path.join(venvDir, 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json');
const MIN_PYTHON = [3, 9];

/** A failure that says which step failed and how to fix it. */
class PythonSetupError extends Error {
  constructor(step, detail, fix) {
    super(
      `Python set-up failed while ${step}: ${detail}\n  Fix: ${fix}\n  (Set KAFKA_LAB_SKIP_PYTHON=1 to skip the notebook side.)`,
    );
    this.name = 'PythonSetupError';
    this.step = step;
  }
}

function run(command, args, step, fix, options = {}) {
  const result = childProcess.spawnSync(command, args, {
    cwd: projectRoot,
    stdio: options.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
    env: options.env || process.env,
  });
  if (result.error) {
    throw new PythonSetupError(step, `could not start \`${command}\` (${result.error.message})`, fix);
  }
  if (result.status !== 0) {
    const tail = options.capture
      ? `\n${String(result.stderr || result.stdout)
          .trim()
          .split('\n')
          .slice(-8)
          .join('\n')}`
      : '';
    throw new PythonSetupError(step, `\`${[command, ...args].join(' ')}\` exited with ${result.status}${tail}`, fix);
  }
  return options.capture ? String(result.stdout).trim() : '';
}

function basePython() {
  return process.env.KAFKA_LAB_PYTHON || 'python3';
}

function pythonVersion(python) {
  const out = run(
    python,
    ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'],
    `checking the Python interpreter \`${python}\``,
    'Install Python 3.9+ with venv (Debian: `apt-get install -y python3 python3-venv`), or point KAFKA_LAB_PYTHON at one.',
    { capture: true },
  );
  const [major, minor] = out.split('.').map(Number);
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    throw new PythonSetupError(
      `checking the Python interpreter \`${python}\``,
      `found Python ${out}, need ${MIN_PYTHON.join('.')}+`,
      'Install a newer Python 3 and set KAFKA_LAB_PYTHON to its path.',
    );
  }
  return out;
}

function tslabVersion() {
  try {
    return require(path.join(projectRoot, 'node_modules', 'tslab', 'package.json')).version;
  } catch {
    throw new PythonSetupError(
      'locating the tslab kernel',
      `${path.relative(projectRoot, tslabBinary)} is missing`,
      'Run `npm install` in the project folder first (tslab is an npm dependency).',
    );
  }
}

/** What the venv must match: the requirement files, the Python, tslab and where it lives. */
function wantedStamp(python) {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(requirementsFile));
  if (fs.existsSync(constraintsFile)) hash.update(fs.readFileSync(constraintsFile));
  hash.update(`python=${python}\ntslab=${tslabVersion()}\nbinary=${tslabBinary}\n`);
  return hash.digest('hex');
}

function kernelPointsAtThisProject() {
  try {
    const spec = JSON.parse(fs.readFileSync(kernelJson, 'utf8'));
    return spec.argv && spec.argv[0] === tslabBinary && fs.existsSync(tslabBinary);
  } catch {
    return false;
  }
}

/** True when `.venv` already has everything; nothing will be done. */
function isUpToDate() {
  if (!fs.existsSync(venvPython) || !fs.existsSync(stampFile)) return false;
  let python;
  try {
    python = pythonVersion(venvPython);
  } catch {
    return false;
  }
  return fs.readFileSync(stampFile, 'utf8').trim() === wantedStamp(python) && kernelPointsAtThisProject();
}

function log(message) {
  process.stdout.write(`[setup-python] ${message}\n`);
}

/**
 * Creates or updates `.venv/`. Returns `{ skipped, upToDate, seconds }`.
 * Throws a PythonSetupError naming the failed step and the fix.
 */
function setupPython(options = {}) {
  const started = Date.now();
  if (process.env.KAFKA_LAB_SKIP_PYTHON === '1') {
    log('KAFKA_LAB_SKIP_PYTHON=1: skipping the notebook Python environment.');
    return { skipped: true, upToDate: false, seconds: 0 };
  }
  if (!fs.existsSync(requirementsFile)) {
    throw new PythonSetupError(
      'reading the requirements',
      `${requirementsFile} is missing`,
      'Restore notebooks/requirements.txt from git.',
    );
  }
  tslabVersion();
  if (!options.force && isUpToDate()) {
    log(`.venv is up to date (${path.relative(process.cwd(), stampFile) || stampFile} matches); nothing to do.`);
    return { skipped: false, upToDate: true, seconds: (Date.now() - started) / 1000 };
  }

  if (!fs.existsSync(venvPython)) {
    const python = basePython();
    log(`creating .venv with ${python} (Python ${pythonVersion(python)})`);
    run(
      python,
      ['-m', 'venv', venvDir],
      'creating the virtual environment .venv',
      'Install the venv module (Debian: `apt-get install -y python3-venv`), then run `node scripts/setupPython.js` again. If .venv is half-made, delete it first.',
    );
  }
  const venvVersion = pythonVersion(venvPython);

  const env = {
    ...process.env,
    PIP_RETRIES: process.env.PIP_RETRIES || '1',
    PIP_TIMEOUT: process.env.PIP_TIMEOUT || '20',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
  };
  const pipArgs = ['-m', 'pip', 'install', '--quiet', '-r', requirementsFile];
  if (fs.existsSync(constraintsFile)) pipArgs.push('-c', constraintsFile);
  log(
    `installing ${path.relative(projectRoot, requirementsFile)} into .venv (this takes a minute or two the first time)`,
  );
  run(
    venvPython,
    pipArgs,
    'installing the notebook packages with pip',
    'Check that PyPI (or the index in PIP_INDEX_URL) is reachable, then run `node scripts/setupPython.js` again.',
    { env },
  );

  log('registering the tslab TypeScript kernel in .venv');
  run(
    process.execPath,
    [
      path.join(projectRoot, 'node_modules', 'tslab', 'bin', 'tslab'),
      'install',
      `--python=${venvPython}`,
      `--binary=${tslabBinary}`,
      '--sys-prefix',
    ],
    'registering the tslab kernel (tslab install)',
    'Make sure `npm install` completed (node_modules/tslab present) and .venv has jupyter_client, then run `node scripts/setupPython.js --force`.',
    { capture: true },
  );
  if (!kernelPointsAtThisProject()) {
    throw new PythonSetupError(
      'registering the tslab kernel',
      `${kernelJson} does not point at ${tslabBinary}`,
      'Run `node scripts/setupPython.js --force`.',
    );
  }

  fs.writeFileSync(stampFile, `${wantedStamp(venvVersion)}\n`);
  const seconds = (Date.now() - started) / 1000;
  log(`ready in ${seconds.toFixed(1)} s: ${path.relative(projectRoot, venvPython)} with the tslab kernel.`);
  return { skipped: false, upToDate: false, seconds };
}

module.exports = { setupPython, isUpToDate, PythonSetupError, venvDir, venvPython, kernelJson };

if (require.main === module) {
  try {
    setupPython({ force: process.argv.includes('--force') });
  } catch (error) {
    process.stderr.write(`${error?.message ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
