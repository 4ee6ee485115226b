/**
 * Errors the lab raises on purpose. Each has a stable `code` that tests and
 * callers can match on, and a message that says what was wrong and how to fix it
 * (the habit of kafkajs' and platformatic's typed errors).
 */
export type LabErrorCode =
  | 'BROKER_UNREACHABLE'
  | 'BROKER_START_FAILED'
  | 'JARS_MISSING'
  | 'INVALID_OPTION'
  | 'INVALID_TOPIC'
  | 'TOPIC_MISMATCH'
  | 'CONFIG_INVALID'
  | 'AUTH_FAILED'
  | 'TLS_FAILED'
  | 'TLS_REQUIRED'
  | 'DATASET_INVALID'
  | 'TIMEOUT'
  | 'JAVA_MISSING'
  | 'SHARE_GROUPS_DISABLED';

export class LabError extends Error {
  readonly code: LabErrorCode;

  constructor(code: LabErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LabError';
    this.code = code;
  }
}
