import { LabError } from '../errors';

/** Where a group with no committed offsets starts reading. */
export type StartFrom = 'earliest' | 'latest';
/** When offsets are committed: periodically by the client, or after each batch is processed. */
export type CommitMode = 'auto' | 'after-processing';

export const MAX_CONSUMERS = 100;

export function validateStartFrom(from: unknown): asserts from is StartFrom {
  if (from !== 'earliest' && from !== 'latest') {
    throw new LabError('INVALID_OPTION', `Invalid start position ${JSON.stringify(from)}: use "earliest" or "latest".`);
  }
}

export function validateCommitMode(commit: unknown): asserts commit is CommitMode {
  if (commit !== 'auto' && commit !== 'after-processing') {
    throw new LabError('INVALID_OPTION', `Invalid commit mode ${JSON.stringify(commit)}: use "auto" or "after-processing".`);
  }
}

export function validateConsumerCount(consumers: unknown): asserts consumers is number {
  if (typeof consumers !== 'number' || !Number.isInteger(consumers) || consumers < 1 || consumers > MAX_CONSUMERS) {
    throw new LabError(
      'INVALID_OPTION',
      `Invalid consumer count ${JSON.stringify(consumers)}: a group needs a whole number of consumers from 1 to ${MAX_CONSUMERS}.`,
    );
  }
}
