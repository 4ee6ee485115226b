import { KafkaLab, type RetailRow } from '../src/internal';
import { freshName, freshTopic, logStep, type BenchContext } from './context';
import { median, percentileOfSorted, round, withLoad, type LoadWindow } from './stats';

export interface LatencyFigures {
  ratePerSec: number;
  seconds: number;
  consumers: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The rate the producer actually held. */
  achievedPerSec: number;
  runs: Array<{ p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number }>;
  load: LoadWindow[];
}

/** `count` rows, cycling through the data set when it is shorter. */
function* cycle(rows: readonly RetailRow[], count: number): Generator<RetailRow> {
  for (let i = 0; i < count; i += 1) yield rows[i % rows.length];
}

/**
 * End-to-end latency: 3 consumers in a group, then the helper producing at a
 * fixed rate; each message's receivedAt − producedAt (its Kafka timestamp, set
 * when the helper sends it).
 */
export async function measureLatency(ctx: BenchContext, ratePerSec = 5_000): Promise<LatencyFigures> {
  const seconds = ctx.quick ? 10 : 30;
  const consumers = 3;
  const once = async (runSeconds: number) => {
    const count = ratePerSec * runSeconds;
    const topic = await freshTopic(ctx, 'latency');
    const lab = await KafkaLab.connect({ connection: ctx.lab.connection });
    try {
      const group = await lab.startConsumerGroup({
        topic,
        consumers,
        from: 'latest',
        groupId: freshName(ctx, 'latency'),
      });
      const produced = await lab.produce(cycle(ctx.rows, count), { topic, ratePerSec });
      await group.waitForReceived(produced.produced, 120_000);
      await group.stop();
      const latencies = new Float64Array(group.received);
      let n = 0;
      for (const consumer of group.consumers) {
        const log = consumer.log;
        for (let i = 0; i < log.length; i += 1) latencies[n++] = log.receivedAtOf(i) - log.producedAtOf(i);
      }
      latencies.sort();
      return {
        p50Ms: percentileOfSorted(latencies, 50),
        p95Ms: percentileOfSorted(latencies, 95),
        p99Ms: percentileOfSorted(latencies, 99),
        maxMs: latencies[latencies.length - 1],
        achievedPerSec: produced.msgsPerSec,
      };
    } finally {
      await lab.close();
    }
  };

  logStep(ctx, `latency: warm-up (${ratePerSec} msg/s for 3 s)`);
  await once(3);
  const runs: Array<Awaited<ReturnType<typeof once>>> = [];
  const load: LoadWindow[] = [];
  for (let rep = 1; rep <= ctx.repetitions; rep += 1) {
    logStep(
      ctx,
      `latency: repetition ${rep}/${ctx.repetitions}, ${ratePerSec} msg/s for ${seconds} s, ${consumers} consumers`,
    );
    const { value, load: window } = await withLoad(() => once(seconds));
    runs.push(value);
    load.push(window);
    ctx.log(
      `  p50 ${value.p50Ms} ms, p95 ${value.p95Ms} ms, p99 ${value.p99Ms} ms, max ${value.maxMs} ms at ${Math.round(value.achievedPerSec)} msg/s`,
    );
  }
  return {
    ratePerSec,
    seconds,
    consumers,
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p95Ms: median(runs.map((r) => r.p95Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    maxMs: median(runs.map((r) => r.maxMs)),
    achievedPerSec: round(median(runs.map((r) => r.achievedPerSec))),
    runs: runs.map(({ p50Ms, p95Ms, p99Ms, maxMs }) => ({ p50Ms, p95Ms, p99Ms, maxMs })),
    load,
  };
}
