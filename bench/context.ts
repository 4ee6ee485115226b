import { randomBytes } from 'node:crypto';
import type { KafkaLab, RetailRow } from '../src/internal';
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
