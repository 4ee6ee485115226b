import path from 'node:path';
import { projectRoot } from '../../src/paths';

/**
 * The shared real sample (39,641 rows of December 2010; not part of the repository).
 * KAFKA_LAB_SAMPLE_FILE points elsewhere (a git worktree sits one folder deeper than the clone).
 */
export const SAMPLE_FILE = process.env.KAFKA_LAB_SAMPLE_FILE
  ? path.resolve(process.env.KAFKA_LAB_SAMPLE_FILE)
  : path.resolve(projectRoot, '..', 'shared', 'datasets', 'online-retail-sample.csv');
