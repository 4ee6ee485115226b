import type { KafkaLab } from '../lab';
import type { TopicDescription, TopicSpec } from '../kafka/topics';
import { delay } from '../util/waitUntil';

/**
 * createTopic, retried while Kafka answers with a retriable error. Right after a
 * topic is created, `createTopic`'s own wait (describeTopic -> ListOffsets) can be
 * answered NOT_LEADER_FOR_PARTITION before the new leader has loaded the
 * partition; that throws out of its wait instead of waiting on. Asking again
 * returns the (now ready) topic, since an existing topic of the same shape is kept.
 */
export async function createChaosTopic(lab: KafkaLab, spec: TopicSpec, timeoutMs = 30_000): Promise<TopicDescription> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await lab.createTopic(spec);
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || Date.now() >= deadline) throw error;
      await delay(200);
    }
  }
}
