/**
 * One whole produce-and-consume run as notebook 02 does it, in its own process
 * so that its peak RSS is its own: load the cleaned data set, stream it keyed
 * by customer, drain it with 3 consumers, decode the records, account.
 * Prints one JSON line: peak RSS and the RSS after each stage.
 *
 *   node --import tsx bench/peakRssChild.ts <topic> <datasetFile> [rows]
 */
import { KafkaLab, streamRetailRows } from '../src/internal';

async function main(): Promise<void> {
  const [topic, file, rowsArg] = process.argv.slice(2);
  if (!topic || !file) throw new Error('usage: peakRssChild.ts <topic> <datasetFile> [rows]');
  const stages: Record<string, number> = {};
  const mark = (stage: string) => (stages[stage] = Math.round(process.memoryUsage().rss / 1_048_576));
  mark('start');
  const lab = await KafkaLab.connect();
  try {
    const rows = streamRetailRows({ file, rows: rowsArg ? Number(rowsArg) : undefined });
    mark('loaded');
    await lab.createTopic({ topic, partitions: 6, recreate: true });
    const produced = await lab.produce(rows, { topic, key: 'customer' });
    mark('produced');
    const group = await lab.startConsumerGroup({ topic, consumers: 3, from: 'earliest' });
    await group.waitForReceived(produced.produced, 600_000);
    mark('consumed');
    const records = group.records();
    mark('records');
    const accounting = lab.accountFor(produced, group);
    if (accounting.missing !== 0) throw new Error(`${accounting.missing} messages missing`);
    process.stdout.write(
      `${JSON.stringify({
        rows: rows.total,
        records: records.length,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        stagesMb: stages,
      })}\n`,
    );
  } finally {
    await lab.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
