/** Prints one JSON document on stdout: the machine-readable answer of `--json` commands. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Human-facing progress and notes go to stderr so that stdout stays parseable. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
