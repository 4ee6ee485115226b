/**
 * Drains a freshly produced topic with N helper consumers, for profiling:
 *
 *   node --cpu-prof --cpu-prof-dir=.cache/profiles --import tsx bench/profileConsume.ts [rows] [consumers]
 *
 * Prints msg/s and the drain window in the monotonic microseconds of a
 * .cpuprofile; the topic is deleted at the end.
 */
import { KafkaLab, loadRetailRows, resolveDataset } from '../src/internal';

async function main(): Promise<void> {
  const generatedRows = Number(process.argv[2] ?? 541_909);
  const consumers = Number(process.argv[3] ?? 3);
  const rows = await loadRetailRows({ file: resolveDataset({ generatedRows }).file });
  const lab = await KafkaLab.connect();
  const topic = `bench-profile-${Date.now().toString(36)}`;
  try {
    await lab.createTopic({ topic, partitions: 6 });
    const produced = await lab.produce(rows, { topic });
    const from = process.hrtime.bigint() / 1000n;
    const startedAt = Date.now();
    const group = await lab.startConsumerGroup({ topic, consumers });
    await group.waitForReceived(produced.produced, 600_000);
    const last = Math.max(...group.consumers.map((c) => c.log.receivedAtOf(c.log.length - 1)));
    console.log(`window ${from} ${process.hrtime.bigint() / 1000n}`);
    console.log(
      `${produced.produced} messages drained by ${consumers} consumers in ${last - startedAt} ms: ${Math.round((produced.produced * 1000) / (last - startedAt))} msg/s`,
    );
  } finally {
    await lab.close();
    await lab.deleteTopic(topic).catch(() => undefined);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
