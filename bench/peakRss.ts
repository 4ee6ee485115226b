import { spawn } from 'node:child_process';
import path from 'node:path';
import { dropTopic, freshName, logStep, type BenchContext } from './context';
import { loadNow, type LoadWindow } from './stats';

export interface PeakRssFigures {
  peakRssMb: number;
  rows: number;
  /** RSS after each stage of the run (loaded, produced, consumed, records decoded). */
  stagesMb: Record<string, number>;
  load: LoadWindow;
}

/** Runs bench/peakRssChild.ts in a fresh Node process and reads the peak RSS it reports. */
export async function measurePeakRss(ctx: BenchContext, datasetFile: string, rows?: number): Promise<PeakRssFigures> {
  const topic = freshName(ctx, 'rss');
  ctx.topics.add(topic);
  logStep(ctx, `peak RSS: one notebook-style run in a child process (${rows ?? 'all'} rows, 3 consumers)`);
  const before = loadNow();
  const child = path.join(__dirname, 'peakRssChild.ts');
  const args = ['--import', 'tsx', child, topic, datasetFile, ...(rows === undefined ? [] : [String(rows)])];
  const stdout = await new Promise<string>((resolve, reject) => {
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    proc.on('error', reject);
    proc.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`peakRssChild exited with ${code}: ${out}`)),
    );
  });
  await dropTopic(ctx, topic);
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const parsed = JSON.parse(line) as { peakRssMb: number; rows: number; stagesMb: Record<string, number> };
  ctx.log(`  peak RSS ${parsed.peakRssMb} MB; stages ${JSON.stringify(parsed.stagesMb)}`);
  return { ...parsed, load: { before, after: loadNow() } };
}
