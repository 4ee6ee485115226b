import { captureKafkaTool } from '../../src/internal';

/**
 * Kafka's own view of a topic and a group, read with Kafka's own tools (the
 * same jars as the broker), so tests can compare the lab's accounting with a
 * witness that shares none of its code.
 */

async function tool(name: string, args: string[]): Promise<string> {
  const result = await captureKafkaTool(name, args);
  if (result.code !== 0)
    throw new Error(`${name} ${args.join(' ')} exited with ${result.code}: ${result.stderr.trim().slice(-800)}`);
  return result.stdout;
}

/** `kafka-get-offsets --time -1`: the end offset of every partition (on a fresh topic, how many messages it holds). */
export async function endOffsets(bootstrap: string, topic: string): Promise<Map<number, number>> {
  const out = await tool('kafka-get-offsets', ['--bootstrap-server', bootstrap, '--topic', topic, '--time', '-1']);
  const offsets = new Map<number, number>();
  for (const line of out.split('\n')) {
    // topic:partition:offset; a topic name may not hold ':' (Kafka allows [a-zA-Z0-9._-]).
    const match = /^(.+):(\d+):(\d+)$/.exec(line.trim());
    if (match && match[1] === topic) offsets.set(Number(match[2]), Number(match[3]));
  }
  return offsets;
}

/** Splits the whitespace-aligned table Kafka's tools print into rows keyed by the header. */
function table(out: string): Array<Record<string, string>> {
  const lines = out.split('\n').filter((line) => line.trim().length > 0);
  const headerAt = lines.findIndex((line) => line.startsWith('GROUP '));
  if (headerAt < 0) return [];
  const header = lines[headerAt].trim().split(/\s+/);
  return lines
    .slice(headerAt + 1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => cells.length >= header.length - 1)
    .map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}

/** `kafka-consumer-groups --describe --offsets`: the group's committed offset per partition of `topic` (null: none committed). */
export async function committedOffsets(
  bootstrap: string,
  group: string,
  topic: string,
): Promise<Map<number, number | null>> {
  const out = await tool('kafka-consumer-groups', [
    '--bootstrap-server',
    bootstrap,
    '--describe',
    '--group',
    group,
    '--offsets',
  ]);
  const committed = new Map<number, number | null>();
  for (const row of table(out)) {
    if (row.TOPIC !== topic) continue;
    committed.set(Number(row.PARTITION), row['CURRENT-OFFSET'] === '-' ? null : Number(row['CURRENT-OFFSET']));
  }
  return committed;
}

/** `kafka-consumer-groups --describe --members --verbose`: each member's id and the partitions of `topic` Kafka assigned it. */
export async function groupMembers(bootstrap: string, group: string, topic: string): Promise<Map<string, number[]>> {
  const out = await tool('kafka-consumer-groups', [
    '--bootstrap-server',
    bootstrap,
    '--describe',
    '--group',
    group,
    '--members',
    '--verbose',
  ]);
  const members = new Map<string, number[]>();
  for (const row of table(out)) {
    const assignment = row.ASSIGNMENT ?? row['CURRENT-ASSIGNMENT'] ?? '-';
    // "topic:0,1" (Kafka 4) or "topic(0,1)" (older tools); "-" when the member owns nothing.
    const match = new RegExp(`${topic.replace(/[.]/g, '\\.')}[:(]([\\d,]+)`).exec(assignment);
    members.set(
      row['CONSUMER-ID'],
      match
        ? match[1]
            .split(',')
            .map(Number)
            .sort((a, b) => a - b)
        : [],
    );
  }
  return members;
}

export interface ConsoleMessage {
  partition: number;
  offset: number;
  key: string;
  value: string;
}

/** `kafka-console-consumer --from-beginning`: every message of `topic` as an independent reader sees it (expects `count`). */
export async function consoleRead(bootstrap: string, topic: string, count: number): Promise<ConsoleMessage[]> {
  const out = await tool('kafka-console-consumer', [
    '--bootstrap-server',
    bootstrap,
    '--topic',
    topic,
    '--from-beginning',
    '--max-messages',
    String(count),
    '--timeout-ms',
    '30000',
    '--property',
    'print.partition=true',
    '--property',
    'print.offset=true',
    '--property',
    'print.key=true',
  ]);
  return out
    .split('\n')
    .map((line) => /^Partition:(\d+)\tOffset:(\d+)\t([^\t]*)\t(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ partition: Number(match[1]), offset: Number(match[2]), key: match[3], value: match[4] }));
}
