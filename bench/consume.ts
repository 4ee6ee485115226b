import { KafkaLab, type ConsumerGroupRun } from '../src/internal';
import { freshName, logStep, type BenchContext } from './context';
import { parseConsumerPerf, runWarmJavaTool } from './javaTools';
import { median, ratio, round, withLoad, type LoadWindow } from './stats';

export interface ConsumeFigures {
  messages: number;
  /** 1 consumer, from the group's start to the last message. */
  helper1MsgsPerSec: number;
  /** 3 consumers, from the group's start to the last message: the headline figure. */
  helperMsgsPerSec: number;
  helperMBPerSec: number;
  /** 3 consumers, from the first message to the last (the join left out). */
  helperDrainMsgsPerSec: number;
  /** 1 consumer, from the first message to the last (the join left out). */
  helper1DrainMsgsPerSec: number;
  /** The lab's join: from the group's start to its first message, 1 and 3 consumers. */
  helper1JoinMs: number;
  helper3JoinMs: number;
  /** kafka-consumer-perf-test's rebalance.time.ms: its join. */
  javaJoinMs: number;
  /** The judged figures: the lab's drain rate over kafka-consumer-perf-test's fetch rate, both without the join. */
  drainRatio1: number | null;
  drainRatio3: number | null;
  /** The lab's group members' client (kafkajs, or librdkafka: 'confluent'). */
  client: string;
  /**
   * The same drains by members on Kafka's Java client (client: 'java', one JVM
   * per member, each poll's records sent to the lab as one binary frame): their
   * fetching and decoding run outside the lab's JavaScript thread.
   */
  javaMembers: {
    drain1MsgsPerSec: number;
    drain3MsgsPerSec: number;
    drainRatio1: number | null;
    drainRatio3: number | null;
    join1Ms: number;
    join3Ms: number;
    runs1: number[];
    runs3: number[];
  };
  /** kafka-consumer-perf-test's nMsg.sec: from its start (join included) to the last message. */
  javaMsgsPerSec: number;
  javaMBPerSec: number;
  /** kafka-consumer-perf-test's fetch.nMsg.sec (the join left out). */
  javaFetchMsgsPerSec: number;
  ratio: number | null;
  ratio1: number | null;
  /** CPU µs per message, 3 consumers in this process (user + system, all threads). */
  helperCpuUsPerMsg: number;
  /** The JVM's whole run, start-up included. Null without GNU time. */
  javaCpuUsPerMsg: number | null;
  helper1Runs: number[];
  helper3Runs: number[];
  javaRuns: number[];
  load: LoadWindow[];
}

interface HelperDrain {
  msgsPerSec: number;
  mbPerSec: number;
  drainMsgsPerSec: number;
  joinMs: number;
  cpuUsPerMsg: number;
  client: string;
}

function lastReceivedAt(group: ConsumerGroupRun): number {
  let last = 0;
  for (const consumer of group.consumers)
    if (consumer.log.length) last = Math.max(last, consumer.log.receivedAtOf(consumer.log.length - 1));
  return last;
}

function firstReceivedAt(group: ConsumerGroupRun): number {
  let first = Infinity;
  for (const consumer of group.consumers)
    if (consumer.log.length) first = Math.min(first, consumer.log.receivedAtOf(0));
  return first;
}

/**
 * Helper consumers (startConsumerGroup + waitForReceived, values kept as a
 * notebook keeps them) and kafka-consumer-perf-test draining the same topic,
 * each in a fresh group.
 */
export async function measureConsume(
  ctx: BenchContext,
  topic: string,
  messages: number,
  topicBytes: number,
): Promise<ConsumeFigures> {
  const helperOnce = async (consumers: number, client?: 'java'): Promise<HelperDrain> => {
    // A lab per drain: a lab keeps its groups (and their received values) until it is closed.
    const lab = await KafkaLab.connect({ connection: ctx.lab.connection });
    try {
      const cpu = process.cpuUsage();
      const startedAt = Date.now();
      const group = await lab.startConsumerGroup({
        topic,
        consumers,
        client,
        groupId: freshName(ctx, `consume${consumers}${client ?? ''}`),
      });
      await group.waitForReceived(messages, 600_000);
      const last = lastReceivedAt(group);
      const first = firstReceivedAt(group);
      const used = process.cpuUsage(cpu);
      await group.stop();
      if (group.tally.unique !== messages)
        throw new Error(`helper group received ${group.tally.unique} of ${messages}`);
      const seconds = Math.max(1, last - startedAt) / 1000;
      return {
        msgsPerSec: messages / seconds,
        mbPerSec: topicBytes / 1_048_576 / seconds,
        drainMsgsPerSec: messages / (Math.max(1, last - first) / 1000),
        joinMs: first - startedAt,
        cpuUsPerMsg: (used.user + used.system) / messages,
        client: group.choice.client,
      };
    } finally {
      await lab.close();
    }
  };
  const warmUpMessages = Math.min(messages, 50_000);
  const javaArgs = (count: number, group: string) => [
    '--bootstrap-server',
    ctx.bootstrap,
    '--topic',
    topic,
    '--num-records',
    String(count),
    '--group',
    group,
    '--timeout',
    '60000',
  ];
  // A fresh JVM per run: it first drains part of the topic in a group of its own (bench/WarmPerf.java).
  const javaOnce = async () => {
    const { stdout, cpuSec } = await runWarmJavaTool(
      'kafka-consumer-perf-test',
      javaArgs(warmUpMessages, freshName(ctx, 'consume-java-warm')),
      javaArgs(messages, freshName(ctx, 'consume-java')),
    );
    const parsed = parseConsumerPerf(stdout);
    if (parsed.messages < messages)
      throw new Error(`kafka-consumer-perf-test consumed ${parsed.messages} of ${messages}`);
    return { ...parsed, cpuUsPerMsg: cpuSec === null ? null : (cpuSec * 1e6) / (messages + warmUpMessages) };
  };

  logStep(ctx, "consume: the lab's warm-up (3 consumers)");
  await helperOnce(3);

  const helper1: HelperDrain[] = [];
  const helper3: HelperDrain[] = [];
  const javaMembers1: HelperDrain[] = [];
  const javaMembers3: HelperDrain[] = [];
  const java: Array<Awaited<ReturnType<typeof javaOnce>>> = [];
  const load: LoadWindow[] = [];
  for (let rep = 1; rep <= ctx.repetitions; rep += 1) {
    const order =
      rep % 2 === 1
        ? ['helper1', 'helper3', 'members1', 'members3', 'java']
        : ['java', 'members3', 'members1', 'helper3', 'helper1'];
    for (const who of order) {
      logStep(ctx, `consume ${who}: repetition ${rep}/${ctx.repetitions}, ${messages} messages`);
      if (who === 'java') {
        const { value, load: window } = await withLoad(javaOnce);
        java.push(value);
        load.push(window);
        ctx.log(
          `  java: ${Math.round(value.msgsPerSec)} msg/s (join ${value.rebalanceMs} ms; fetch ${Math.round(value.fetchMsgsPerSec)} msg/s), ${value.cpuUsPerMsg?.toFixed(1)} CPU µs/msg`,
        );
      } else if (who.startsWith('members')) {
        const consumers = who === 'members1' ? 1 : 3;
        const { value, load: window } = await withLoad(() => helperOnce(consumers, 'java'));
        (consumers === 1 ? javaMembers1 : javaMembers3).push(value);
        load.push(window);
        ctx.log(
          `  Java members ${consumers}: join ${value.joinMs} ms; from first message: ${Math.round(value.drainMsgsPerSec)} msg/s`,
        );
      } else {
        const consumers = who === 'helper1' ? 1 : 3;
        const { value, load: window } = await withLoad(() => helperOnce(consumers));
        (consumers === 1 ? helper1 : helper3).push(value);
        load.push(window);
        ctx.log(
          `  helper ${consumers} (${value.client}): ${Math.round(value.msgsPerSec)} msg/s (join ${value.joinMs} ms; from first message: ${Math.round(value.drainMsgsPerSec)} msg/s), ${value.cpuUsPerMsg.toFixed(1)} CPU µs/msg`,
        );
      }
    }
  }
  const helperMsgsPerSec = round(median(helper3.map((r) => r.msgsPerSec)));
  const helper1MsgsPerSec = round(median(helper1.map((r) => r.msgsPerSec)));
  const javaMsgsPerSec = round(median(java.map((r) => r.msgsPerSec)));
  const javaFetchMsgsPerSec = round(median(java.map((r) => r.fetchMsgsPerSec)));
  const helperDrainMsgsPerSec = round(median(helper3.map((r) => r.drainMsgsPerSec)));
  const helper1DrainMsgsPerSec = round(median(helper1.map((r) => r.drainMsgsPerSec)));
  const javaDrain1 = round(median(javaMembers1.map((r) => r.drainMsgsPerSec)));
  const javaDrain3 = round(median(javaMembers3.map((r) => r.drainMsgsPerSec)));
  return {
    messages,
    helper1MsgsPerSec,
    helperMsgsPerSec,
    helperMBPerSec: round(median(helper3.map((r) => r.mbPerSec)), 2),
    helperDrainMsgsPerSec,
    helper1DrainMsgsPerSec,
    helper1JoinMs: round(median(helper1.map((r) => r.joinMs))),
    helper3JoinMs: round(median(helper3.map((r) => r.joinMs))),
    javaJoinMs: round(median(java.map((r) => r.rebalanceMs))),
    drainRatio1: ratio(helper1DrainMsgsPerSec, javaFetchMsgsPerSec),
    drainRatio3: ratio(helperDrainMsgsPerSec, javaFetchMsgsPerSec),
    client: helper3[0]?.client ?? 'n/a',
    javaMembers: {
      drain1MsgsPerSec: javaDrain1,
      drain3MsgsPerSec: javaDrain3,
      drainRatio1: ratio(javaDrain1, javaFetchMsgsPerSec),
      drainRatio3: ratio(javaDrain3, javaFetchMsgsPerSec),
      join1Ms: round(median(javaMembers1.map((r) => r.joinMs))),
      join3Ms: round(median(javaMembers3.map((r) => r.joinMs))),
      runs1: javaMembers1.map((r) => round(r.drainMsgsPerSec)),
      runs3: javaMembers3.map((r) => round(r.drainMsgsPerSec)),
    },
    javaMsgsPerSec,
    javaMBPerSec: round(median(java.map((r) => r.mbPerSec)), 2),
    javaFetchMsgsPerSec,
    ratio: ratio(helperMsgsPerSec, javaMsgsPerSec),
    ratio1: ratio(helper1MsgsPerSec, javaMsgsPerSec),
    helperCpuUsPerMsg: round(median(helper3.map((r) => r.cpuUsPerMsg)), 1),
    javaCpuUsPerMsg: java.some((r) => r.cpuUsPerMsg === null)
      ? null
      : round(median(java.map((r) => r.cpuUsPerMsg as number)), 1),
    helper1Runs: helper1.map((r) => round(r.msgsPerSec)),
    helper3Runs: helper3.map((r) => round(r.msgsPerSec)),
    javaRuns: java.map((r) => round(r.msgsPerSec)),
    load,
  };
}
