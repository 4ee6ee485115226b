import { inspect } from 'node:util';

export const REDACTED = '****';

/**
 * A value that never prints: `String()`, JSON, `console.log` and template strings
 * all show `****`. Only `reveal()` hands the value to the Kafka client.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    registerSecretValue(value);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/**
 * Every secret the process has seen, so that text leaving the lab (errors from
 * the Kafka client, reports) can be scrubbed even when a library echoes a value.
 */
const knownSecretValues = new Set<string>();

function registerSecretValue(value: string): void {
  // Very short values would turn ordinary words into ****; they are not real secrets anyway.
  if (value.length >= 4) knownSecretValues.add(value);
}

/** Replaces every known secret value in `text` with `****`. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const value of knownSecretValues) result = result.split(value).join(REDACTED);
  return result;
}
