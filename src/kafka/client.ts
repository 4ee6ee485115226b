import { Kafka } from 'kafkajs';
import type { ConnectionSettings } from '../config/connection';
import { kafkaJsConfig } from './clientSettings';

// kafkajs warns about its v2 partitioner on every producer; the lab chooses its partitioner explicitly.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

/** A kafkajs client for these settings (configured in ./clientSettings.ts). */
export function createKafkaClient(
  settings: ConnectionSettings,
  clientId = 'retail-kafka-lab',
  options: { retries?: number } = {},
): Kafka {
  return new Kafka(kafkaJsConfig(settings, clientId, options));
}
