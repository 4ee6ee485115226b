// Topic names are validated by the caller (KafkaLab checks each name once).
import { validatePartitionCount } from '../options';
import type { Admin, ITopicConfig } from 'kafkajs';
import { LabError } from '../errors';
import { delay, waitUntil } from '../util/waitUntil';

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** Default: 1 on a one-node cluster, else 3 (capped by the broker count). */
  replicationFactor?: number;
  /** Delete and create again when the topic exists (its messages are lost). */
  recreate?: boolean;
  configs?: Record<string, string>;
}

export interface PartitionDescription {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  /** First and next offset: the partition holds end - start messages. */
  startOffset: number;
  endOffset: number;
}

export interface TopicDescription {
  topic: string;
  partitions: PartitionDescription[];
  messages: number;
}


/**
 * Creates the topic and waits until every partition has a leader. An existing
 * topic is kept when its partition count matches, recreated when asked, and
 * otherwise refused with the two counts (a silent mismatch would skew every chart).
 */
export async function createTopic(admin: Admin, spec: TopicSpec): Promise<TopicDescription> {
  validatePartitionCount(spec.partitions);
  const exists = await topicExists(admin, spec.topic);
  if (exists && spec.recreate) {
    await deleteTopic(admin, spec.topic);
  } else if (exists) {
    const current = await describeTopic(admin, spec.topic);
    if (current.partitions.length !== spec.partitions) {
      throw new LabError(
        'TOPIC_MISMATCH',
        `Topic "${spec.topic}" already exists with ${current.partitions.length} partitions, not ${spec.partitions}. ` +
          'Recreate it (recreate: true, or --recreate), or choose another topic name.',
      );
    }
    return current;
  }
  const brokers = (await admin.describeCluster()).brokers.length;
  const replicationFactor = spec.replicationFactor ?? Math.min(3, brokers);
  if (replicationFactor > brokers) {
    throw new LabError(
      'INVALID_OPTION',
      `Replication factor ${replicationFactor} needs at least ${replicationFactor} brokers; the cluster has ${brokers}.`,
    );
  }
  const topicConfig: ITopicConfig = {
    topic: spec.topic,
    numPartitions: spec.partitions,
    replicationFactor,
    configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
  };
  // kafkajs' own waitForLeaders gives up when the metadata does not know the new
  // topic yet (UNKNOWN_TOPIC_OR_PARTITION, seen on a loaded machine): the lab waits itself.
  await retryWhileTopicIsBeingDeleted(() => admin.createTopics({ topics: [topicConfig], waitForLeaders: false }));
  // Right after creation the metadata may not list the topic, or a leader may still
  // answer NOT_LEADER_OR_FOLLOWER: a retriable error here means "not ready yet", so keep waiting.
  let ready: TopicDescription | undefined;
  await waitUntil(
    async () => {
      try {
        ready = await describeTopic(admin, spec.topic);
        return ready.partitions.every((p) => p.leader >= 0);
      } catch (error) {
        if ((error as { retriable?: boolean }).retriable) return false;
        throw error;
      }
    },
    30_000,
    `partitions of ${spec.topic} to get leaders`,
  );
  return ready!;
}

export async function topicExists(admin: Admin, topic: string): Promise<boolean> {
  return (await admin.listTopics()).includes(topic);
}

export async function deleteTopic(admin: Admin, topic: string): Promise<void> {
  if (!(await topicExists(admin, topic))) return;
  await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
  await waitUntil(async () => !(await topicExists(admin, topic)), 30_000, `topic ${topic} to be deleted`);
}

export async function describeTopic(admin: Admin, topic: string): Promise<TopicDescription> {
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const offsets = await admin.fetchTopicOffsets(topic);
  const byPartition = new Map(offsets.map((o) => [o.partition, o]));
  const partitions = metadata.topics[0].partitions
    .map((p) => {
      const o = byPartition.get(p.partitionId);
      return {
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        startOffset: Number(o?.low ?? 0),
        endOffset: Number(o?.high ?? 0),
      };
    })
    .sort((a, b) => a.partition - b.partition);
  return { topic, partitions, messages: partitions.reduce((sum, p) => sum + p.endOffset - p.startOffset, 0) };
}

async function retryWhileTopicIsBeingDeleted<T>(action: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await action();
    } catch (error) {
      const type = (error as { type?: string }).type;
      const nested = (error as { errors?: Array<{ type?: string }> }).errors?.[0]?.type;
      if ((type === 'TOPIC_ALREADY_EXISTS' || nested === 'TOPIC_ALREADY_EXISTS') && Date.now() < deadline) {
        await delay(200);
        continue;
      }
      throw error;
    }
  }
}
