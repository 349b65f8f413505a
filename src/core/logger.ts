/**
 * The logger type every component takes as a dependency (winston's, so child loggers carry
 * `component`, `platform` and `room`). Construction and redaction live in src/ops/logger.ts.
 */
export type { Logger } from 'winston';
