import type { GroupEvent } from '../observe/groupTimeline';
import type { ConsumerState } from './labConsumer';

/**
 * What a member owns and how its group life reads as events, for the clients whose
 * rebalance notices are per call of a rebalance listener (librdkafka's rebalance
 * callback, Kafka's Java ConsumerRebalanceListener): with the eager protocol a revoke
 * takes every partition and the member pauses until the next assignment; with the
 * incremental ones (cooperative-sticky, KIP-848) each call adds or removes some, and
 * the member keeps the rest. Both clients emit the same event shapes through it, so
 * timelines and rebalance measurements read them alike.
 */
export class MemberOwnership {
  #state: ConsumerState = 'starting';
  readonly #owned = new Set<number>();
  #joinedOnce = false;
  #leaving = false;
  readonly #incremental: boolean;
  readonly #emit: (event: Omit<GroupEvent, 'consumer' | 'at'>, at: number) => void;

  constructor(incremental: boolean, emit: (event: Omit<GroupEvent, 'consumer' | 'at'>, at: number) => void) {
    this.#incremental = incremental;
    this.#emit = emit;
  }

  get state(): ConsumerState {
    return this.#state;
  }

  get active(): boolean {
    return this.#state !== 'stopped' && this.#state !== 'crashed';
  }

  /** True once the member has begun to leave: its revokes are no rebalance of its own. */
  get leaving(): boolean {
    return this.#leaving;
  }

  /** The partitions owned now (none while an eager rebalance is in progress). */
  get partitions(): number[] {
    return this.#state === 'joined' ? [...this.#owned].sort((a, b) => a - b) : [];
  }

  owns(partition: number): boolean {
    return this.#owned.has(partition);
  }

  beginLeaving(): void {
    this.#leaving = true;
  }

  /** The member is gone (left or crashed): it owns nothing. */
  end(state: 'stopped' | 'crashed'): void {
    this.#state = state;
    this.#owned.clear();
  }

  revoked(partitions: number[], at: number): void {
    if (this.#incremental || this.#leaving) for (const partition of partitions) this.#owned.delete(partition);
    else this.#owned.clear();
    // Leaving: no rebalance event for this member.
    if (this.#leaving) return;
    if (this.#incremental) {
      this.#incrementalChange(`revoked [${partitions.join(', ')}]`, at);
      return;
    }
    this.#state = 'rebalancing';
    this.#emit({ type: 'rebalance-start', detail: `revoked [${partitions.join(', ')}]` }, at);
  }

  assigned(partitions: number[], at: number): void {
    if (this.#leaving) return;
    if (!this.#incremental) this.#owned.clear();
    for (const partition of partitions) this.#owned.add(partition);
    const detail = `assigned [${partitions.join(', ')}]`;
    if (!this.#joinedOnce) {
      this.#joinedOnce = true;
      this.#state = 'joined';
      this.#emit({ type: 'join' }, at);
      this.#emit({ type: 'assignment', partitions: this.partitions, detail }, at);
      return;
    }
    if (!this.#incremental) {
      if (this.#state === 'rebalancing') this.#emit({ type: 'rebalance-end' }, at);
      this.#state = 'joined';
      this.#emit({ type: 'assignment', partitions: this.partitions, detail }, at);
      return;
    }
    this.#incrementalChange(`gained [${partitions.join(', ')}]`, at);
  }

  /**
   * An incremental change is a rebalance step for this member that keeps what it
   * was not asked to give up: start, the new full owned set, end, at one instant.
   * A step that changes nothing (the classic cooperative protocol calls back with
   * an empty list at the end of each rebalance) is recorded too: the member took
   * part in a rebalance without pausing.
   */
  #incrementalChange(detail: string, at: number): void {
    this.#state = 'joined';
    this.#emit({ type: 'rebalance-start', detail }, at);
    this.#emit({ type: 'assignment', partitions: this.partitions, detail }, at);
    this.#emit({ type: 'rebalance-end', detail }, at);
  }
}
