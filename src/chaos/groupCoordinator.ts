import type { Admin } from 'kafkajs';

/** Java's String.hashCode, which Kafka uses to place a group on a __consumer_offsets partition. */
function javaHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i += 1) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * The broker that coordinates a group: the leader of __consumer_offsets partition
 * abs(hash(groupId)) % partitions. Undefined when the offsets topic is not there yet.
 */
export async function groupCoordinatorOf(admin: Admin, groupId: string): Promise<number | undefined> {
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] });
    const partitions = metadata.topics[0].partitions;
    const partition = (javaHashCode(groupId) & 0x7fffffff) % partitions.length;
    return partitions.find((p) => p.partitionId === partition)?.leader;
  } catch {
    return undefined;
  }
}
