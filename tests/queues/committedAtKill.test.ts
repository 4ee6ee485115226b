import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markCommittedAtKill, REDELIVERY_GRACE_MS, type ShareDelivery } from '../../src/consume/shareGroup';

// A SIGKILL can land after the broker took a member's commit but before the member printed
// "committed": those records never come back. Only a record still missing well after its
// lock expired is counted as acknowledged; one that came back stays uncommitted.
function delivery(consumer: string, offset: number, deliveryCount: number, committed: boolean): ShareDelivery {
  return {
    consumer,
    partition: 0,
    offset,
    key: null,
    producedAt: 0,
    receivedAt: 0,
    deliveryCount,
    ack: 'accept',
    poison: false,
    committed,
    committedAtKill: false,
  };
}

const LOCK_MS = 5_000;
const killedAt = new Map<string, number | undefined>([
  ['killed', 1_000],
  ['alive', undefined],
]);

test('a killed member’s unconfirmed record that never came back is committed, but only after the lock and grace', () => {
  const early = markCommittedAtKill([delivery('killed', 1, 1, false)], killedAt, LOCK_MS, 1_000 + LOCK_MS);
  assert.equal(early[0].committed, false, 'inside the lock timeout it may still come back');
  const late = markCommittedAtKill(
    [delivery('killed', 1, 1, false)],
    killedAt,
    LOCK_MS,
    1_000 + LOCK_MS + REDELIVERY_GRACE_MS + 1,
  );
  assert.deepEqual([late[0].committed, late[0].committedAtKill], [true, true]);
});

test('a record that came back stays uncommitted in the killed member; a live member’s is never inferred', () => {
  const now = 1_000 + LOCK_MS + REDELIVERY_GRACE_MS + 1;
  const marked = markCommittedAtKill(
    [delivery('killed', 1, 1, false), delivery('alive', 1, 2, true), delivery('alive', 2, 1, false)],
    killedAt,
    LOCK_MS,
    now,
  );
  assert.deepEqual(
    marked.map((d) => [d.committed, d.committedAtKill]),
    [
      [false, false],
      [true, false],
      [false, false],
    ],
  );
});
