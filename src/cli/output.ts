import fs from 'node:fs';
import path from 'node:path';

/** Prints one JSON document on stdout: the machine-readable answer of `--json` commands. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Human-facing progress and notes go to stderr so that stdout stays parseable. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * Writes the same JSON document to a file (`--out`), so README figures come from a
 * real run: `npx kafka-lab queue --json --out docs/results/queue-share.json`.
 */
export function writeJsonFile(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(
    file,
    `${JSON.stringify({ ...(value as object), recordedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  note(`Wrote ${file}`);
}
