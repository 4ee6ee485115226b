import { LabError } from '../errors';

/** Polls `condition` until it holds; the lab waits on states, never on fixed sleeps. */
export async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline)
      throw new LabError('TIMEOUT', `Timed out after ${timeoutMs / 1000} s waiting for ${what}.`);
    await delay(intervalMs);
  }
}

/** A pause for pacing (rate limits, polling intervals), never to wait for an outcome. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
