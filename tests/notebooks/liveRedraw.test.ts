import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { before, test } from 'node:test';
import { projectRoot } from '../../scripts/report/execute';
import { ensureTestBroker } from '../support/broker';
import { skipUnless } from '../support/requirements';

/**
 * The live charts, in a real tslab kernel: while a cell runs, notebook 08's lag
 * chart and notebook 03's ownership timeline must be redrawn in place
 * (update_display_data on the display they first showed), frame after frame as
 * the stream goes, the last frame being the final chart. nbconvert keeps only
 * the final state of a display, so the kernel's messages are read directly
 * (jupyter_client from the project's .venv), as JupyterLab would receive them.
 */
const python = path.join(projectRoot, '.venv', 'bin', 'python');

/** Runs each code cell in one tslab kernel and returns, per cell, its display messages (and errors). */
const KERNEL_CLIENT = `
import json, sys
from jupyter_client.manager import start_new_kernel
cells = json.load(sys.stdin)
km, kc = start_new_kernel(kernel_name='tslab', cwd=sys.argv[1], startup_timeout=120)
out = []
try:
    for code in cells:
        msg_id = kc.execute(code)
        frames, errors = [], []
        while True:
            msg = kc.get_iopub_msg(timeout=300)
            if msg['parent_header'].get('msg_id') != msg_id:
                continue
            kind, content = msg['msg_type'], msg['content']
            if kind in ('display_data', 'update_display_data'):
                figure = content['data'].get('application/vnd.plotly.v1+json')
                frames.append({
                    'type': kind,
                    'displayId': content.get('transient', {}).get('display_id'),
                    'title': str(((figure or {}).get('layout') or {}).get('title', '')) if figure else None,
                    'points': sum(len(t.get('x') or []) for t in figure['data']) if figure else None,
                })
            elif kind == 'error':
                errors.append(content.get('ename', '') + ': ' + content.get('evalue', ''))
            elif kind == 'stream' and content.get('name') == 'stderr':
                # tslab reports a cell that does not compile on stderr, not as an error message.
                errors.append(content.get('text', ''))
            elif kind == 'status' and content['execution_state'] == 'idle':
                break
        out.append({'frames': frames, 'errors': errors})
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print(json.dumps(out))
`;

interface Frame {
  type: 'display_data' | 'update_display_data';
  displayId: string | null;
  title: string | null;
  points: number | null;
}

function runCells(cells: string[]): Promise<Array<{ frames: Frame[]; errors: string[] }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-c', KERNEL_CLIENT, path.join(projectRoot, 'notebooks')], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`kernel client exited ${code}: ${stderr.slice(-2000)}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
    child.stdin.end(JSON.stringify(cells));
  });
}

/** The display that was updated in place: its frames, in order (the first shown, then the updates). */
function liveFrames(frames: readonly Frame[]): Frame[] {
  const updated = frames.find((f) => f.type === 'update_display_data' && f.points !== null);
  assert.ok(updated, `no chart was redrawn in place: ${JSON.stringify(frames.map((f) => f.type))}`);
  return frames.filter((f) => f.displayId === updated.displayId);
}

before(async () => {
  await ensureTestBroker();
});

test("notebook 08's lag chart and notebook 03's ownership timeline redraw in place in a tslab kernel while the stream runs", {
  skip: skipUnless('python'),
  timeout: 600_000,
}, async (t) => {
  const [setup, day, scaling, close] = await runCells([
    'import * as lab from "..";\nconst kafka = await lab.KafkaLab.connect();',
    // Notebook 08's call, 4 hours of the generated day at 3000x (about 5 s), redrawn every 200 ms.
    `const day = await lab.replayDayLive({ lab: kafka, date: "2010-12-09", speedup: 3000, consumers: 2, slowMs: 20,
      startTime: "10:00", endTime: "14:00", scaleTo: 3, at: "12:00", redrawMs: 200 });`,
    // Notebook 03's call, small.
    `const scaling = await lab.runScalingScenarioLive({ lab: kafka, rows: await lab.loadRetailRows({ rows: 600 }),
      partitions: 3, extraConsumers: 1, ratePerSec: 300, messagesPerStep: 150, key: "customer", redrawMs: 200 });`,
    'await kafka.close();',
  ]);
  for (const cell of [setup, day, scaling, close]) assert.deepEqual(cell.errors, []);
  for (const [name, cell] of [
    ['lag chart (08)', day],
    ['ownership timeline (03)', scaling],
  ] as const) {
    const frames = liveFrames(cell.frames);
    const context = `${name}: ${JSON.stringify(frames)}`;
    t.diagnostic(`${name}: ${frames.length} frames, ${frames.map((f) => f.points).join(' → ')} points`);
    assert.equal(frames[0].type, 'display_data', context);
    assert.ok(
      frames.slice(1).every((f) => f.type === 'update_display_data'),
      context,
    );
    // Several frames while the stream ran, then the final one; the chart grew as it was drawn.
    assert.ok(frames.length >= 4, context);
    const final = frames.at(-1)!.points!;
    assert.ok(frames[0].points! < final, context);
  }
});
