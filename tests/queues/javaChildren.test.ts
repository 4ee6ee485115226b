import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { waitUntil } from '../../src/internal';
import { ensureTestBroker, projectRoot } from '../support/broker';

/**
 * Java members must not outlive the node process that started them: each has a stdin
 * pipe and exits when it closes (src/java/ParentWatch.java). Before, a SIGKILLed CLI or
 * notebook kernel left its JVMs running, still in their groups.
 */

/** The state letter of a process (R, S, Z...), or undefined when it is gone. */
function processState(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Java processes whose parent is `parent`. */
function javaChildrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === parent && stat.includes('(java)')) children.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

// A zombie has exited; it only waits for a reaper (PID 1 of a container may not reap).
const alive = (pid: number) => {
  const state = processState(pid);
  return state !== undefined && state !== 'Z';
};

for (const groupType of ['share', 'consumer'] as const) {
  test(`the Java members of a SIGKILLed queue command (${groupType} group) exit with it`, {
    timeout: 120_000,
  }, async () => {
    await ensureTestBroker();
    const cli = spawn(
      process.execPath,
      [
        path.join(projectRoot, 'bin', 'kafka-lab.js'),
        'queue',
        '--group-type',
        groupType,
        '--consumers',
        '3',
        '--partitions',
        '3',
        '--rows',
        '50000',
      ],
      { cwd: projectRoot, stdio: 'ignore' },
    );
    try {
      await waitUntil(() => javaChildrenOf(cli.pid!).length >= 3, 60_000, 'three Java members under the command');
      const members = javaChildrenOf(cli.pid!);
      assert.ok(members.every(alive));
      cli.kill('SIGKILL');
      await waitUntil(
        () => !members.some(alive),
        30_000,
        `the members ${members.join(', ')} to exit after their parent died (alive: ${members.filter(alive).join(', ')})`,
      );
    } finally {
      if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
    }
  });
}
