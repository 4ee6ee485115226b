/**
 * How many times each (partition, offset) arrived across a whole group, kept as
 * one byte per offset. It answers "how many distinct messages so far" and "how
 * many arrived more than once" in O(1) as messages arrive.
 */
export class OffsetTally {
  readonly #partitions = new Map<number, { base: number; counts: Uint8Array }>();
  #unique = 0;
  #lastPartition = -1;
  #lastSlot: { base: number; counts: Uint8Array } | undefined;
  #repeats = 0;

  /** Records one arrival; returns how many times this offset has now arrived. */
  add(partition: number, offset: number): number {
    // Messages come in batches of one partition: the last slot is nearly always the one.
    let slot = partition === this.#lastPartition ? this.#lastSlot : this.#partitions.get(partition);
    if (!slot) {
      slot = { base: offset, counts: new Uint8Array(1024) };
      this.#partitions.set(partition, slot);
    }
    if (offset < slot.base) {
      // An earlier offset than any seen (a rewind): shift the window down.
      const shift = slot.base - offset;
      const next = new Uint8Array(slot.counts.length + shift);
      next.set(slot.counts, shift);
      slot.base = offset;
      slot.counts = next;
    }
    this.#lastPartition = partition;
    this.#lastSlot = slot;
    const index = offset - slot.base;
    if (index >= slot.counts.length) {
      const next = new Uint8Array(Math.max(slot.counts.length * 2, index + 1));
      next.set(slot.counts);
      slot.counts = next;
    }
    const seen = slot.counts[index];
    if (seen < 255) slot.counts[index] = seen + 1;
    if (seen === 0) this.#unique += 1;
    else this.#repeats += 1;
    return seen + 1;
  }

  timesSeen(partition: number, offset: number): number {
    const slot = this.#partitions.get(partition);
    if (!slot) return 0;
    const index = offset - slot.base;
    return index >= 0 && index < slot.counts.length ? slot.counts[index] : 0;
  }

  /** Distinct messages received. */
  get unique(): number {
    return this.#unique;
  }

  /** Arrivals beyond the first of the same message. */
  get repeats(): number {
    return this.#repeats;
  }
}
