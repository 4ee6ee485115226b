import type { Admin } from 'kafkajs';

export interface LagSample {
  at: number;
  partition: number;
  /** The group's committed offset (-1 before its first commit). */
  committed: number;
  /** The partition's end offset (the next offset to be written). */
  end: number;
  /** end minus committed; a group that never committed lags by everything since the start. */
  lag: number;
}

/** One reading of committed and end offsets, per partition, for a group on a topic. */
export async function sampleLag(admin: Admin, groupId: string, topic: string): Promise<LagSample[]> {
  const at = Date.now();
  const [committed, ends] = await Promise.all([
    admin.fetchOffsets({ groupId, topics: [topic] }),
    admin.fetchTopicOffsets(topic),
  ]);
  const committedByPartition = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends
    .map((end) => {
      const committedOffset = committedByPartition.get(end.partition) ?? -1;
      const endOffset = Number(end.high);
      const start = Number(end.low);
      return {
        at,
        partition: end.partition,
        committed: committedOffset,
        end: endOffset,
        lag: endOffset - (committedOffset >= 0 ? committedOffset : start),
      };
    })
    .sort((a, b) => a.partition - b.partition);
}

/**
 * Samples lag every `intervalMs` until stopped. Each reading is kept, so a
 * notebook can chart lag over time; a failed reading is counted and skipped.
 */
export class LagSampler {
  readonly samples: LagSample[] = [];
  failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(
    private readonly admin: Admin,
    private readonly groupId: string,
    private readonly topic: string,
    private readonly intervalMs = 500,
  ) {}

  start(): this {
    if (this.#timer) return this;
    const tick = () => {
      if (this.#inFlight) return;
      this.#inFlight = sampleLag(this.admin, this.groupId, this.topic)
        .then((samples) => {
          this.samples.push(...samples);
        })
        .catch(() => {
          this.failures += 1;
        })
        .finally(() => {
          this.#inFlight = undefined;
        });
    };
    tick();
    this.#timer = setInterval(tick, this.intervalMs);
    return this;
  }

  /** Stops sampling and waits for a reading in progress, so no timer outlives the call. */
  async stop(): Promise<LagSample[]> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
    return this.samples;
  }

  /** Total lag over all partitions at each sampling time. */
  totals(): Array<{ at: number; lag: number }> {
    const byTime = new Map<number, number>();
    for (const sample of this.samples) byTime.set(sample.at, (byTime.get(sample.at) ?? 0) + sample.lag);
    return [...byTime.entries()].map(([at, lag]) => ({ at, lag })).sort((a, b) => a.at - b.at);
  }
}
