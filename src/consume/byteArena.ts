/**
 * Append-only storage for many small byte strings (message values) in large
 * shared chunks, so that half a million values cost their bytes plus 12 bytes of
 * index each, instead of one JavaScript string object apiece.
 */
const CHUNK_BYTES = 4 * 1024 * 1024;

export class ByteArena {
  readonly #chunks: Buffer[] = [];
  #used = CHUNK_BYTES;

  /** Stores the bytes and returns where they start in chunk `lastChunk` (no pair allocated per value). */
  append(bytes: Uint8Array): number {
    if (bytes.length > CHUNK_BYTES - this.#used) {
      this.#chunks.push(Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes.length)));
      this.#used = 0;
    }
    const start = this.#used;
    this.#chunks[this.#chunks.length - 1].set(bytes, start);
    this.#used += bytes.length;
    // A value larger than a chunk got a chunk of its own; the next value starts a new one.
    if (bytes.length > CHUNK_BYTES) this.#used = CHUNK_BYTES;
    return start;
  }

  /**
   * Keeps `bytes` as a chunk of its own, uncopied, and returns its number: values
   * inside it are then recorded by position (a Java member's frame holds each
   * poll's values between small headers). Later appends start a new chunk.
   */
  hold(bytes: Buffer): number {
    this.#chunks.push(bytes);
    this.#used = CHUNK_BYTES;
    return this.#chunks.length - 1;
  }

  /** The chunk the last `append` wrote into. */
  get lastChunk(): number {
    return this.#chunks.length - 1;
  }

  read(chunk: number, start: number, length: number): Buffer {
    return this.#chunks[chunk].subarray(start, start + length);
  }

  get allocatedBytes(): number {
    return this.#chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }
}
