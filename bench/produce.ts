import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_BATCH_SIZE, projectRoot } from '../src/internal';
import { freshTopic, logStep, type BenchContext } from './context';
import { parseProducerPerf, runWarmJavaTool } from './javaTools';
import { median, ratio, round, withLoad, type LoadWindow } from './stats';

export interface ProduceFigures {
  records: number;
  avgRecordBytes: number;
  helperMsgsPerSec: number;
  helperMBPerSec: number;
  javaMsgsPerSec: number;
  javaMBPerSec: number;
  ratio: number | null;
  /** Which client library the lab's producer ran on (librdkafka when installed, else kafkajs). */
  transport: string;
  /** pandas + Python's confluent-kafka sending the same rows; null without that Python environment. */
  pythonMsgsPerSec: number | null;
  pythonRuns: number[];
  /** Why the Python baseline did not run, when it did not. */
  pythonNote?: string;
  /** CPU time per message (user + system, all threads), a figure less bent by a shared machine's load than msg/s. */
  helperCpuUsPerMsg: number;
  /** The JVM's whole run: start-up and JIT included. Null without GNU time. */
  javaCpuUsPerMsg: number | null;
  javaProducerProps: string[];
  helperRuns: number[];
  javaRuns: number[];
  load: LoadWindow[];
  /** A topic the helper filled with the whole data set, for the consume measurement. */
  filledTopic: string;
}

/**
 * The average size of the JSON values the helper sends (`{"seq": n, ...row}`),
 * in bytes, so that Kafka's tool sends records of the same size.
 */
export function averageValueBytes(rows: readonly object[]): number {
  let bytes = 0;
  for (let i = 0; i < rows.length; i += 1) bytes += Buffer.byteLength(JSON.stringify({ seq: i, ...rows[i] }));
  return rows.length ? bytes / rows.length : 0;
}

/**
 * The helper's producer (KafkaLab.produce, no key, acks=all, idempotent, 2,000
 * messages per request) against kafka-producer-perf-test with the same record
 * count, record size, acks, idempotence, batch limit per partition and no compression.
 */
export async function measureProduce(ctx: BenchContext): Promise<ProduceFigures> {
  const { rows } = ctx;
  const avgRecordBytes = averageValueBytes(rows);
  const recordSize = Math.round(avgRecordBytes);
  // kafkajs puts a whole request's messages of one partition into one record batch:
  // 2,000 messages spread round-robin over the partitions.
  const batchBytes = Math.ceil(DEFAULT_BATCH_SIZE / ctx.partitions) * recordSize;
  const javaProducerProps = [
    'acks=all',
    `batch.size=${batchBytes}`,
    'linger.ms=5',
    'compression.type=none',
    'enable.idempotence=true',
    `bootstrap.servers=${ctx.bootstrap}`,
  ];

  const helperOnce = async (
    count: number,
    keep = false,
  ): Promise<{ msgsPerSec: number; mbPerSec: number; cpuUsPerMsg: number; topic: string; transport: string }> => {
    const topic = await freshTopic(ctx, 'produce');
    const cpu = process.cpuUsage();
    const result = await ctx.lab.produce(count === rows.length ? rows : rows.slice(0, count), { topic });
    const used = process.cpuUsage(cpu);
    if (result.produced !== count) throw new Error(`helper produced ${result.produced} of ${count}`);
    return {
      msgsPerSec: result.msgsPerSec,
      mbPerSec: result.mbPerSec,
      cpuUsPerMsg: (used.user + used.system) / count,
      topic,
      transport: result.transport,
    };
  };
  const warmUpRecords = Math.min(rows.length, 50_000);
  const javaArgs = (topic: string, count: number) => [
    '--topic',
    topic,
    '--num-records',
    String(count),
    '--record-size',
    String(recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    ...javaProducerProps,
  ];
  // Each Java run is a fresh JVM: it runs its own warm-up first (bench/WarmPerf.java), as the lab's process has.
  const javaOnce = async (
    count: number,
  ): Promise<{ msgsPerSec: number; mbPerSec: number; cpuUsPerMsg: number | null }> => {
    const warmTopic = await freshTopic(ctx, 'produce-java-warm');
    const topic = await freshTopic(ctx, 'produce-java');
    const { stdout, cpuSec } = await runWarmJavaTool(
      'kafka-producer-perf-test',
      javaArgs(warmTopic, warmUpRecords),
      javaArgs(topic, count),
    );
    const parsed = parseProducerPerf(stdout);
    if (parsed.records !== count) throw new Error(`kafka-producer-perf-test sent ${parsed.records} of ${count}`);
    // The JVM's CPU covers both runs: counted per message of both.
    return { ...parsed, cpuUsPerMsg: cpuSec === null ? null : (cpuSec * 1e6) / (count + warmUpRecords) };
  };
  const python = pythonProducer(ctx, batchBytes);

  logStep(ctx, `produce: the lab's warm-up (${warmUpRecords} rows)`);
  const warm = await helperOnce(warmUpRecords);
  ctx.log(`  the lab's producer runs on ${warm.transport}`);

  const helper: Array<{ msgsPerSec: number; mbPerSec: number; cpuUsPerMsg: number }> = [];
  const java: Array<{ msgsPerSec: number; mbPerSec: number; cpuUsPerMsg: number | null }> = [];
  const pythonRuns: number[] = [];
  const load: LoadWindow[] = [];
  let filledTopic = '';
  let transport = warm.transport;
  try {
    for (let rep = 1; rep <= ctx.repetitions; rep += 1) {
      // Alternate who goes first, so that a change in the machine's load hits both alike.
      const order = rep % 2 === 1 ? ['helper', 'java', 'python'] : ['python', 'java', 'helper'];
      for (const who of order) {
        logStep(
          ctx,
          `produce ${who}: repetition ${rep}/${ctx.repetitions}, ${rows.length} records of ~${recordSize} B`,
        );
        if (who === 'helper') {
          const keep = filledTopic === '';
          const { value, load: window } = await withLoad(() => helperOnce(rows.length, keep));
          if (keep) filledTopic = value.topic;
          transport = value.transport;
          helper.push(value);
          load.push(window);
          ctx.log(
            `  helper: ${Math.round(value.msgsPerSec)} msg/s, ${value.mbPerSec.toFixed(2)} MB/s, ${value.cpuUsPerMsg.toFixed(1)} CPU µs/msg`,
          );
        } else if (who === 'python') {
          if (!python.available) continue;
          const value = await python.once();
          pythonRuns.push(value);
          ctx.log(`  pandas + confluent-kafka: ${Math.round(value)} msg/s`);
        } else {
          const { value, load: window } = await withLoad(() => javaOnce(rows.length));
          java.push(value);
          load.push(window);
          ctx.log(
            `  java:   ${Math.round(value.msgsPerSec)} msg/s, ${value.mbPerSec.toFixed(2)} MB/s, ${value.cpuUsPerMsg?.toFixed(1)} CPU µs/msg`,
          );
        }
      }
    }
  } finally {
    python.cleanUp?.();
  }
  const helperMsgsPerSec = round(median(helper.map((r) => r.msgsPerSec)));
  const javaMsgsPerSec = round(median(java.map((r) => r.msgsPerSec)));
  return {
    records: rows.length,
    avgRecordBytes: round(avgRecordBytes, 1),
    helperMsgsPerSec,
    helperMBPerSec: round(median(helper.map((r) => r.mbPerSec)), 2),
    javaMsgsPerSec,
    javaMBPerSec: round(median(java.map((r) => r.mbPerSec)), 2),
    ratio: ratio(helperMsgsPerSec, javaMsgsPerSec),
    transport,
    pythonMsgsPerSec: pythonRuns.length ? round(median(pythonRuns)) : null,
    pythonRuns: pythonRuns.map((r) => round(r)),
    ...(python.available ? {} : { pythonNote: python.note }),
    helperCpuUsPerMsg: round(median(helper.map((r) => r.cpuUsPerMsg)), 1),
    javaCpuUsPerMsg: java.some((r) => r.cpuUsPerMsg === null)
      ? null
      : round(median(java.map((r) => r.cpuUsPerMsg as number)), 1),
    javaProducerProps: javaProducerProps.filter((prop) => !prop.startsWith('bootstrap.servers')),
    helperRuns: helper.map((r) => round(r.msgsPerSec)),
    javaRuns: java.map((r) => round(r.msgsPerSec)),
    load,
    filledTopic,
  };
}

/** The Python environment's interpreter when it has pandas and confluent-kafka, else null. */
function pythonWithConfluentKafka(): string | null {
  const python = path.join(projectRoot, '.venv', 'bin', 'python');
  if (!fs.existsSync(python)) return null;
  const probe = spawnSync(python, ['-c', 'import pandas, confluent_kafka'], { encoding: 'utf8' });
  return probe.status === 0 ? python : null;
}

/**
 * pandas + Python's confluent-kafka (bench/pythonProduce.py) sending the same
 * cleaned rows, with the settings the lab and Kafka's tool use: the stack a user
 * would pick instead of the lab, which the lab's producer must beat.
 */
function pythonProducer(
  ctx: BenchContext,
  batchBytes: number,
):
  | { available: true; once: () => Promise<number>; cleanUp: () => void }
  | { available: false; note: string; cleanUp?: undefined } {
  const python = pythonWithConfluentKafka();
  if (!python)
    return {
      available: false,
      note: 'no .venv with pandas and confluent-kafka: run `npm run setup:python`',
    };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rows-'));
  const rowsFile = path.join(dir, 'rows.jsonl');
  fs.writeFileSync(rowsFile, ctx.rows.map((row, seq) => JSON.stringify({ seq, ...row })).join('\n'));
  const once = async (): Promise<number> => {
    // Deleted with the step's other topics (dropStepTopics).
    const topic = await freshTopic(ctx, 'produce-python');
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        python,
        [path.join(__dirname, 'pythonProduce.py'), rowsFile, topic, ctx.bootstrap, String(batchBytes)],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`pythonProduce.py exited with ${code}: ${err.slice(-2000)}`)),
      );
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { records: number; msgsPerSec: number };
    if (result.records !== ctx.rows.length)
      throw new Error(`pythonProduce.py sent ${result.records} of ${ctx.rows.length}`);
    return result.msgsPerSec;
  };
  return { available: true, once, cleanUp: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
