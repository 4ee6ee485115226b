import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { runningLocalBroker, waitUntil, type KafkaLab, type RetailRow } from '../src/internal';
import { uptimeLine } from './machine';

/** What every measurement needs: the lab, the broker, the rows, how many repetitions. */
export interface BenchContext {
  lab: KafkaLab;
  bootstrap: string;
  rows: RetailRow[];
  quick: boolean;
  repetitions: number;
  partitions: number;
  /** Prefix of every topic and group this run creates. */
  runId: string;
  /** Topics to delete at the end of the run. */
  topics: Set<string>;
  log: (line: string) => void;
}

export function newRunId(): string {
  return `bench-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
}

export function freshName(ctx: BenchContext, what: string): string {
  return `${ctx.runId}-${what}-${randomBytes(2).toString('hex')}`;
}

/**
 * Creates a fresh topic. Right after a big topic is deleted, the broker can
 * answer the creation's metadata wait with UNKNOWN_TOPIC_OR_PARTITION; a
 * second try under a new name succeeds, so up to three are made.
 */
export async function freshTopic(ctx: BenchContext, what: string): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    const topic = freshName(ctx, what);
    ctx.topics.add(topic);
    try {
      await ctx.lab.createTopic({ topic, partitions: ctx.partitions });
      return topic;
    } catch (error) {
      if (attempt >= 3) throw error;
      ctx.log(`  creating ${topic} failed (${(error as Error).message}); trying again under a new name`);
      await dropTopic(ctx, topic);
    }
  }
}

export async function dropTopic(ctx: BenchContext, topic: string): Promise<void> {
  await ctx.lab.deleteTopic(topic).catch(() => undefined);
  ctx.topics.delete(topic);
}

/** Logs the step with the machine's load: the machine is shared, so every figure carries it. */
export function logStep(ctx: BenchContext, step: string): void {
  ctx.log(`${step}  [${uptimeLine()}]`);
}

/**
 * Waits until the local broker has removed the files of the topics deleted so far.
 * It removes them a minute after the deletion (file.delete.delay.ms), and in a
 * full run that clean-up of a dozen topics of 384k messages landed in the next
 * step's measurement (the latency p99 went from about 20 ms to 211 ms). Nothing
 * to wait for on a remote cluster.
 */
/**
 * Deletes the topics of the step that just ended, then waits until the broker has
 * removed their files: topics are not deleted mid-step, so that no clean-up lands
 * inside a measurement.
 */
export async function dropStepTopics(ctx: BenchContext): Promise<void> {
  for (const topic of [...ctx.topics]) await dropTopic(ctx, topic);
  await settleDeletedTopics(ctx);
}

export async function settleDeletedTopics(ctx: BenchContext): Promise<void> {
  const broker = runningLocalBroker();
  if (!broker) return;
  const logDirs = broker.nodes.map((node) => `${broker.dataDir}/node-${node.nodeId}`);
  const pending = () =>
    logDirs
      .flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []))
      .filter((name) => name.endsWith('-delete'));
  if (pending().length === 0) return;
  logStep(ctx, `waiting for the broker to remove ${pending().length} deleted partitions' files`);
  await waitUntil(() => pending().length === 0, 180_000, "the broker's removal of deleted topics' files", 500);
}
