/**
 * Produces the cleaned data set once through the helper, for profiling:
 *
 *   node --cpu-prof --cpu-prof-dir=.cache/profiles --import tsx bench/profileProduce.ts [rows] [batchSize]
 *
 * Prints msg/s; the topic is deleted at the end.
 */
import { KafkaLab, loadRetailRows, resolveDataset } from '../src/internal';

async function main(): Promise<void> {
  const generatedRows = Number(process.argv[2] ?? 541_909);
  const batchSize = process.argv[3] ? Number(process.argv[3]) : undefined;
  const rows = await loadRetailRows({ file: resolveDataset({ generatedRows }).file });
  const lab = await KafkaLab.connect();
  const topic = `bench-profile-${Date.now().toString(36)}`;
  try {
    await lab.createTopic({ topic, partitions: 6 });
    // Monotonic microseconds, the clock of a .cpuprofile's timestamps: the produce window.
    const from = process.hrtime.bigint() / 1000n;
    const result = await lab.produce(rows, { topic, batchSize });
    console.log(`window ${from} ${process.hrtime.bigint() / 1000n}`);
    console.log(
      `${result.produced} messages in ${result.durationMs} ms: ${Math.round(result.msgsPerSec)} msg/s, ${result.mbPerSec.toFixed(2)} MB/s`,
    );
  } finally {
    await lab.deleteTopic(topic).catch(() => undefined);
    await lab.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
