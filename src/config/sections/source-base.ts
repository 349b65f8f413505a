/**
 * Keys every source section shares. Each adapter's config.ts spreads these into its own
 * strict schema and adds a `platform` literal.
 */
import { z } from 'zod';

/** The keys every platform's source schema spreads in. */
export const SourceBaseShape = {
  /** The source's name in logs, metrics and events; defaults to `<platform>:<room>`. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'letters, digits, _ . : - (at most 64)')
    .optional(),
};
