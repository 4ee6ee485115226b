/**
 * What a Java member prints on stdout: JSON lines, and after a line that names
 * `bytes`, exactly that many raw bytes (a binary frame, see recordFrame.ts). One
 * stream keeps frames in order with the lines around them: a revoke printed after
 * a poll's records arrives after them.
 */
export type JavaOutputListener = (event: Record<string, unknown>, frame?: Buffer) => void;

export class JavaOutputReader {
  readonly #onEvent: JavaOutputListener;
  /** Bytes not yet taken: the start of a line, or of a frame. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** The header of the frame being read, and its size. */
  #frameHeader: Record<string, unknown> | undefined;
  #frameBytes = 0;

  constructor(onEvent: JavaOutputListener) {
    this.#onEvent = onEvent;
  }

  push(chunk: Buffer): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    for (;;) {
      if (this.#frameHeader) {
        if (this.#pendingBytes < this.#frameBytes) return;
        const frame = this.#take(this.#frameBytes);
        const header = this.#frameHeader;
        this.#frameHeader = undefined;
        this.#onEvent(header, frame);
        continue;
      }
      const line = this.#takeLine();
      if (line === undefined) return;
      this.#line(line);
    }
  }

  #line(line: string): void {
    if (!line.startsWith('{')) return;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line) as Record<string, unknown>;
    } catch {
      // A line that is not JSON (a tool's warning on stdout) is not an event.
      return;
    }
    if (typeof event.bytes === 'number') {
      this.#frameHeader = event;
      this.#frameBytes = event.bytes;
      return;
    }
    this.#onEvent(event);
  }

  /** The next line without its newline, or undefined when no whole line is pending. */
  #takeLine(): string | undefined {
    let seen = 0;
    for (const chunk of this.#pending) {
      const newline = chunk.indexOf(10);
      if (newline >= 0) {
        const line = this.#take(seen + newline + 1);
        return line.toString('utf8', 0, line.length - 1);
      }
      seen += chunk.length;
    }
    return undefined;
  }

  /**
   * Removes and returns the first `count` pending bytes: a view when one chunk holds
   * them, else a copy of exactly those bytes (a frame is kept as value storage, so it
   * must not pin the chunks' bytes beyond its own).
   */
  #take(count: number): Buffer {
    const first = this.#pending[0];
    const taken = first.length >= count ? first.subarray(0, count) : Buffer.concat(this.#pending, count);
    this.#pendingBytes -= count;
    let left = count;
    while (left > 0) {
      const chunk = this.#pending[0];
      if (chunk.length > left) {
        this.#pending[0] = chunk.subarray(left);
        break;
      }
      this.#pending.shift();
      left -= chunk.length;
    }
    return taken;
  }
}
