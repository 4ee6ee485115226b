/**
 * The ledger's consume-transform-produce processor, as its own OS process so
 * that the lab can kill it with SIGKILL for real. It reads order lines from the
 * input topic, turns each into a revenue event (src/ledger/classify.ts) on the
 * output topic, or dead-letters it to `<input>.dlq` with headers saying why and
 * where it came from. Work goes in chunks of up to `chunkSize` messages of one
 * partition:
 *   exactly-once:  begin transaction; send events and dead letters; send the input
 *                  offsets to the transaction; commit. The producer's
 *                  transactional.id is stable across restarts, so a restarted
 *                  processor's initTransactions aborts what a killed one left open
 *                  and fences it, like Kafka's own TransactionalMessageCopier.
 *   at-least-once: send (acks=all), then commit the input offsets.
 * It reports on stdout, one JSON line each (pipe writes are synchronous on Linux,
 * so every line written before a SIGKILL reaches the lab):
 *   {"t":"ready"}                       producer initialised (exactly-once: the fence is up)
 *   {"t":"assigned","partitions":[..]}  after every (re)join
 *   {"t":"m","p":0,"o":41}              a message turned into an event
 *   {"t":"d","p":0,"o":42,"why":"..."}  a message dead-lettered
 *   {"t":"sent","p":0,"n":100,"txn":3}  a chunk written (inside transaction 3, or acknowledged)
 *   {"t":"c","p":0,"o":143,"txn":3}     committed: transaction 3, or the offset commit (next offset to read)
 *   {"t":"paused"}                      stopped before committing, at the lab's kill point
 *   {"t":"holding"}                     (zombie demo) holding its first transaction open
 *   {"t":"fenced","error":"..."}        the broker fenced this producer; it exits
 * stdin: "go" releases a holding zombie; "stop" (or SIGTERM) leaves cleanly.
 *
 * Started as `node dist/ledger/processorWorker.js '<json options>'`; the
 * connection comes from the environment (KAFKA_BOOTSTRAP_SERVERS and friends).
 */
import type { IHeaders, Message, Producer } from 'kafkajs';
import { resolveConnection } from '../config/connection';
import { createKafkaClient } from '../kafka/client';
import type { Guarantee } from '../options';
import { classify, type RevenueEvent } from './classify';

export interface ProcessorOptions {
  /** "p3": incarnation 3 of the processor. */
  id: string;
  incarnation: number;
  guarantee: Guarantee;
  inputTopic: string;
  outputTopic: string;
  dlqTopic: string;
  groupId: string;
  /** Exactly-once: the same for every incarnation. */
  transactionalId: string;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** Messages per transaction (or per send + commit). */
  chunkSize: number;
  maxValueBytes: number;
  /** Stop before committing once this many messages were handled in this incarnation (the lab then kills it). */
  pauseAfter?: number;
  /** Zombie demo: hold the first transaction open until "go", then try to go on. */
  holdFirstTransaction?: boolean;
}

/** What the output topic holds: the event, and who wrote it in which transaction (for the ledger's explanations). */
export interface OutputEvent extends RevenueEvent {
  source: { partition: number; offset: number };
  writer: { incarnation: number; txn: number };
}

function line(value: object): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** What kafkajs puts on its errors: a protocol error's type and code, and the error it wraps. */
interface ClientError {
  type?: string;
  code?: number;
  message?: string;
  cause?: unknown;
  originalError?: unknown;
}

/** kafkajs 2.2.4 names code 47 INVALID_PRODUCER_EPOCH; brokers answer newer clients with 90 PRODUCER_FENCED. */
export function isFencedError(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (
    let e = error as ClientError | undefined;
    e && !seen.has(e);
    e = (e.cause ?? e.originalError) as ClientError | undefined
  ) {
    seen.add(e);
    if (e.type === 'INVALID_PRODUCER_EPOCH' || e.type === 'PRODUCER_FENCED' || e.code === 47 || e.code === 90)
      return true;
    if (typeof e.message === 'string' && /fenced|producer epoch/i.test(e.message)) return true;
  }
  return false;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ProcessorOptions;
  const eos = options.guarantee === 'exactly-once';
  const kafka = createKafkaClient(resolveConnection(), `ledger-${options.id}`);
  const producer: Producer = kafka.producer(
    eos
      ? {
          transactionalId: options.transactionalId,
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
        }
      : { idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false },
  );
  // Before the consumer: initTransactions completes or aborts whatever the previous
  // incarnation left open, so the committed offsets the consumer starts from are stable.
  await producer.connect();
  if (eos) {
    // kafkajs runs initTransactions (InitProducerId with the transactional.id) lazily, at the
    // first transaction. An empty one now makes it happen before the consumer joins: the broker
    // then fences every older incarnation and finishes (aborts) what it left open, and only then
    // does this one read its committed offsets.
    await (await producer.transaction()).abort();
  }
  line({ t: 'ready' });

  const consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: options.heartbeatIntervalMs,
    rebalanceTimeout: Math.max(options.sessionTimeoutMs * 2, 10_000),
    readUncommitted: false,
    maxBytesPerPartition: 256 * 1024,
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    line({
      t: 'assigned',
      partitions: [...(payload.memberAssignment[options.inputTopic] ?? [])].sort((a, b) => a - b),
    });
  });

  let stopping = false;
  let released: (() => void) | undefined;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    line({ t: 'stopped' });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('data', (chunk) => {
    const text = String(chunk);
    if (text.includes('go')) released?.();
    if (text.includes('stop')) void stop();
  });

  let handled = 0;
  let txn = 0;
  let pausedForKill = false;
  const fenced = (error: unknown) => {
    line({ t: 'fenced', error: error instanceof Error ? error.message : String(error) });
    process.exit(3);
  };

  await consumer.connect();
  await consumer.subscribe({ topic: options.inputTopic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
      const { topic, partition } = batch;
      let i = 0;
      while (i < batch.messages.length && isRunning() && !isStale() && !pausedForKill) {
        // A chunk ends at the kill point, so the kill lands right after that message's output was written.
        let end = Math.min(i + options.chunkSize, batch.messages.length);
        if (options.pauseAfter !== undefined && handled < options.pauseAfter)
          end = Math.min(end, i + (options.pauseAfter - handled));
        const chunk = batch.messages.slice(i, end);
        i = end;
        txn += 1;
        const events: Message[] = [];
        const dead: Message[] = [];
        for (const message of chunk) {
          const offset = Number(message.offset);
          const result = classify(message.value, options.maxValueBytes);
          if (result.kind === 'event') {
            const event: OutputEvent = {
              ...result.event,
              source: { partition, offset },
              writer: { incarnation: options.incarnation, txn },
            };
            events.push({ key: `${event.invoice}/${event.line}`, value: JSON.stringify(event) });
            line({ t: 'm', p: partition, o: offset });
          } else {
            dead.push({
              key: message.key,
              value: message.value,
              headers: deadLetterHeaders(result.reason, topic, partition, message.offset, message.headers),
            });
            line({ t: 'd', p: partition, o: offset, why: result.reason });
          }
        }
        handled += chunk.length;
        const next = String(Number(chunk[chunk.length - 1].offset) + 1);
        const topicMessages = [
          ...(events.length ? [{ topic: options.outputTopic, messages: events }] : []),
          ...(dead.length ? [{ topic: options.dlqTopic, messages: dead }] : []),
        ];
        const atKillPoint = options.pauseAfter !== undefined && handled >= options.pauseAfter;
        try {
          if (eos) {
            const transaction = await producer.transaction();
            await transaction.sendBatch({ topicMessages });
            line({ t: 'sent', p: partition, n: chunk.length, txn });
            if (options.holdFirstTransaction && txn === 1) {
              line({ t: 'holding' });
              await new Promise<void>((resolve) => (released = resolve));
              // Released after a second processor took the transactional.id: this write and commit must fail.
              await transaction.sendBatch({ topicMessages });
              line({ t: 'sent', p: partition, n: chunk.length, txn });
            }
            if (atKillPoint) return pauseForKill();
            await transaction.sendOffsets({
              consumerGroupId: options.groupId,
              topics: [{ topic, partitions: [{ partition, offset: next }] }],
            });
            await transaction.commit();
          } else {
            await producer.sendBatch({ topicMessages, acks: -1 });
            line({ t: 'sent', p: partition, n: chunk.length, txn });
            if (atKillPoint) return pauseForKill();
            await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
          }
        } catch (error) {
          if (eos && isFencedError(error)) return fenced(error);
          throw error;
        }
        line({ t: 'c', p: partition, o: Number(next), txn });
        resolveOffset(chunk[chunk.length - 1].offset);
        await heartbeat();
      }
    },
  });

  /** Written output not yet committed: the lab kills the process here (SIGKILL), mid-transaction. */
  async function pauseForKill(): Promise<void> {
    pausedForKill = true;
    line({ t: 'paused' });
    await new Promise(() => undefined);
  }
}

/** Why the message was dead-lettered and where it came from; the source's own headers kept beside. */
function deadLetterHeaders(
  reason: string,
  topic: string,
  partition: number,
  offset: string,
  original?: IHeaders,
): IHeaders {
  return {
    ...(original ?? {}),
    'dlq.reason': reason,
    'dlq.source.topic': topic,
    'dlq.source.partition': String(partition),
    'dlq.source.offset': offset,
  };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    line({ t: 'error', error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
}
