import fs from 'node:fs';

/**
 * Results a notebook hands to the report runner. When `KAFKA_LAB_RESULTS_FILE`
 * is set (by `npm run report`), each call appends one JSON line
 * `{ notebook, name, value }`; otherwise it does nothing.
 */
export function recordResult(name: string, value: unknown, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.KAFKA_LAB_RESULTS_FILE;
  if (!file) return;
  fs.appendFileSync(file, `${JSON.stringify({ notebook: env.KAFKA_LAB_NOTEBOOK ?? '', name, value })}\n`);
}

/** Reads what `recordResult` wrote. */
export function readResults(file: string): { notebook: string; name: string; value: unknown }[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { notebook: string; name: string; value: unknown });
}
