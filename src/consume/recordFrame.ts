import type { ReceivedLog } from './receivedLog';

/**
 * The records of one poll of a Java member (src/java/ConsumerMember.java's
 * RecordFrame), big-endian, one after another: int32 partition, float64 offset,
 * float64 timestamp, int32 key length (-1: null), the key, int32 value length
 * (-1: null), the value. Doubles hold offsets and timestamps exactly (below 2^53).
 */
export function appendRecordFrame(
  log: ReceivedLog,
  tally: { add(partition: number, offset: number): void },
  frame: Buffer,
  receivedAt: number,
): number {
  // The values stay where they are, in the frame: no copy, no Buffer per value.
  const held = log.holdValues(frame);
  let at = 0;
  let count = 0;
  while (at < frame.length) {
    const partition = frame.readInt32BE(at);
    const offset = frame.readDoubleBE(at + 4);
    const producedAt = frame.readDoubleBE(at + 12);
    const keyLength = frame.readInt32BE(at + 20);
    at += 24;
    const key = keyLength < 0 ? null : frame.subarray(at, at + keyLength);
    at += Math.max(0, keyLength);
    const valueLength = frame.readInt32BE(at);
    at += 4;
    log.appendHeld(partition, offset, key, producedAt, receivedAt, held, at, valueLength);
    at += Math.max(0, valueLength);
    tally.add(partition, offset);
    count += 1;
  }
  return count;
}
