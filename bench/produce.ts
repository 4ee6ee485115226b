import { DEFAULT_BATCH_SIZE } from '../src/internal';
import { dropTopic, freshTopic, logStep, type BenchContext } from './context';
import { parseProducerPerf, runJavaTool } from './javaTools';
import { median, ratio, round, withLoad, type LoadWindow } from './stats';

export interface ProduceFigures {
  records: number;
  avgRecordBytes: number;
  helperMsgsPerSec: number;
  helperMBPerSec: number;
  javaMsgsPerSec: number;
  javaMBPerSec: number;
  ratio: number | null;
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
  ): Promise<{ msgsPerSec: number; mbPerSec: number; cpuUsPerMsg: number; topic: string }> => {
    const topic = await freshTopic(ctx, 'produce');
    const cpu = process.cpuUsage();
    const result = await ctx.lab.produce(count === rows.length ? rows : rows.slice(0, count), { topic });
    const used = process.cpuUsage(cpu);
    if (result.produced !== count) throw new Error(`helper produced ${result.produced} of ${count}`);
    if (!keep) await dropTopic(ctx, topic);
    return {
      msgsPerSec: result.msgsPerSec,
      mbPerSec: result.mbPerSec,
      cpuUsPerMsg: (used.user + used.system) / count,
      topic,
    };
  };
  const javaOnce = async (
    count: number,
  ): Promise<{ msgsPerSec: number; mbPerSec: number; cpuUsPerMsg: number | null }> => {
    const topic = await freshTopic(ctx, 'produce-java');
    const { stdout, cpuSec } = await runJavaTool('kafka-producer-perf-test', [
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
    ]);
    const parsed = parseProducerPerf(stdout);
    if (parsed.records !== count) throw new Error(`kafka-producer-perf-test sent ${parsed.records} of ${count}`);
    await dropTopic(ctx, topic);
    return { ...parsed, cpuUsPerMsg: cpuSec === null ? null : (cpuSec * 1e6) / count };
  };

  logStep(ctx, `produce: warm-up (${Math.min(rows.length, 50_000)} rows each)`);
  await helperOnce(Math.min(rows.length, 50_000));
  await javaOnce(Math.min(rows.length, 50_000));

  const helper: Array<{ msgsPerSec: number; mbPerSec: number; cpuUsPerMsg: number }> = [];
  const java: Array<{ msgsPerSec: number; mbPerSec: number; cpuUsPerMsg: number | null }> = [];
  const load: LoadWindow[] = [];
  let filledTopic = '';
  for (let rep = 1; rep <= ctx.repetitions; rep += 1) {
    // Alternate who goes first, so that a change in the machine's load hits both alike.
    const order = rep % 2 === 1 ? ['helper', 'java'] : ['java', 'helper'];
    for (const who of order) {
      logStep(ctx, `produce ${who}: repetition ${rep}/${ctx.repetitions}, ${rows.length} records of ~${recordSize} B`);
      if (who === 'helper') {
        const keep = filledTopic === '';
        const { value, load: window } = await withLoad(() => helperOnce(rows.length, keep));
        if (keep) filledTopic = value.topic;
        helper.push(value);
        load.push(window);
        ctx.log(
          `  helper: ${Math.round(value.msgsPerSec)} msg/s, ${value.mbPerSec.toFixed(2)} MB/s, ${value.cpuUsPerMsg.toFixed(1)} CPU µs/msg`,
        );
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
