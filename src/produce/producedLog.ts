/**
 * Which offsets the producer wrote, per partition, as runs of consecutive
 * offsets: the ground truth the accounting compares every consumer against.
 */
export class ProducedLog {
  /** partition -> flat list of [firstOffset, count] pairs, in append order. */
  readonly #runs = new Map<number, number[]>();
  #count = 0;

  add(partition: number, firstOffset: number, count: number): void {
    if (count <= 0) return;
    const runs = this.#runs.get(partition) ?? [];
    const last = runs.length - 2;
    if (last >= 0 && runs[last] + runs[last + 1] === firstOffset) runs[last + 1] += count;
    else runs.push(firstOffset, count);
    this.#runs.set(partition, runs);
    this.#count += count;
  }

  get count(): number {
    return this.#count;
  }

  partitions(): number[] {
    return [...this.#runs.keys()].sort((a, b) => a - b);
  }

  countIn(partition: number): number {
    const runs = this.#runs.get(partition) ?? [];
    let total = 0;
    for (let i = 1; i < runs.length; i += 2) total += runs[i];
    return total;
  }

  /** Calls `visit` for every produced offset of the partition, in order. */
  forEachOffset(partition: number, visit: (offset: number) => void): void {
    const runs = this.#runs.get(partition) ?? [];
    for (let i = 0; i < runs.length; i += 2) {
      for (let offset = runs[i]; offset < runs[i] + runs[i + 1]; offset += 1) visit(offset);
    }
  }

  /** Lowest and one-past-highest offset written to the partition. */
  range(partition: number): { first: number; end: number } | undefined {
    const runs = this.#runs.get(partition);
    if (!runs || runs.length === 0) return undefined;
    let first = Infinity;
    let end = -Infinity;
    for (let i = 0; i < runs.length; i += 2) {
      first = Math.min(first, runs[i]);
      end = Math.max(end, runs[i] + runs[i + 1]);
    }
    return { first, end };
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.partitions().map((p) => [String(p), this.countIn(p)]));
  }
}
