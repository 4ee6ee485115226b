/**
 * One consumer of the consumer-crash scenario, as its own process, so that it can
 * be killed with SIGKILL like a crashed application. It joins the group, commits
 * after processing, and reports on stdout, one JSON line each:
 *   {"t":"assigned","memberId":"...","partitions":[0,3]}  after every (re)join
 *   {"t":"m","p":0,"o":41}                                 a message processed
 *   {"t":"c","p":0,"o":42}                                 a commit Kafka confirmed (next offset to read)
 * Writes to a pipe are synchronous on Linux, so every line written before a
 * SIGKILL reaches the lab. "stop" on stdin (or SIGTERM) leaves the group cleanly.
 * "hold" on stdin makes it go on processing without committing (it answers
 * {"t":"holding"}), so that the lab can crash it between two commits for certain
 * rather than by luck of timing.
 *
 * Started as `node dist/chaos/consumerWorker.js '<json options>'`; the
 * connection comes from the environment (KAFKA_BOOTSTRAP_SERVERS and friends).
 */
import { resolveConnection } from '../config/connection';
import { createKafkaClient } from '../kafka/client';
import { kafkajsConsumerConfig } from '../consume/labConsumer';

export interface ConsumerWorkerOptions {
  id: string;
  topic: string;
  groupId: string;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** Simulated work per message. */
  processingDelayMs: number;
  /** Commit after this many processed messages of a partition (and at the end of every batch). */
  commitEvery: number;
}

function line(value: object): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ConsumerWorkerOptions;
  const kafka = createKafkaClient(resolveConnection(), `chaos-${options.id}`);
  const consumer = kafka.consumer(kafkajsConsumerConfig(options));
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    line({
      t: 'assigned',
      memberId: payload.memberId,
      partitions: [...(payload.memberAssignment[options.topic] ?? [])].sort((a, b) => a - b),
    });
  });
  consumer.on(consumer.events.REBALANCING, () => line({ t: 'rebalancing' }));
  consumer.on(consumer.events.CRASH, ({ payload }) =>
    line({ t: 'crash', error: payload.error?.message, restart: payload.restart }),
  );

  let holdingCommits = false;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await consumer.disconnect().catch(() => undefined);
    line({ t: 'stopped' });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('data', (chunk) => {
    const text = String(chunk);
    if (text.includes('hold')) {
      holdingCommits = true;
      line({ t: 'holding' });
    }
    if (text.includes('stop')) void stop();
  });
  process.stdin.on('end', () => void stop());

  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, commitOffsetsIfNecessary }) => {
      const { topic, partition } = batch;
      let uncommitted: number | undefined;
      let sinceCommit = 0;
      const commit = async () => {
        if (uncommitted === undefined || holdingCommits) return;
        const next = String(uncommitted + 1);
        // The batch's own commit: consumer.commitOffsets() silently skips once a stop has begun.
        await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
        line({ t: 'c', p: partition, o: uncommitted + 1 });
        uncommitted = undefined;
        sinceCommit = 0;
        // After the commit, so that a rebalance noticed here finds nothing processed and uncommitted.
        await heartbeat();
      };
      for (const message of batch.messages) {
        if (!isRunning()) break;
        if (options.processingDelayMs > 0)
          await new Promise((resolve) => setTimeout(resolve, options.processingDelayMs));
        const offset = Number(message.offset);
        line({ t: 'm', p: partition, o: offset });
        resolveOffset(message.offset);
        uncommitted = offset;
        sinceCommit += 1;
        if (sinceCommit >= options.commitEvery) await commit();
      }
      await commit();
    },
  });
  line({ t: 'running' });
}

main().catch((error: unknown) => {
  line({ t: 'error', error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
