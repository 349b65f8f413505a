/**
 * What keys a config location allows, read from the zod schema itself, so that an unknown-key
 * error can list them and suggest the nearest one for a typo.
 */
import type { z } from 'zod';

type AnySchema = z.core.$ZodType;
type Def = {
  type: string;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  innerType?: AnySchema;
  in?: AnySchema;
  options?: AnySchema[];
  discriminator?: string;
};

function def(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strips wrappers (optional, default, prefault, nullable, readonly, pipe). */
function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const d = def(s);
    const inner = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (!inner) return s;
    s = inner;
  }
  return s;
}

/** The object schema for a union member that matches `data` by its discriminator. */
function pickOption(d: Def, data: unknown): AnySchema | undefined {
  if (!d.options || !d.discriminator || typeof data !== 'object' || data === null) return undefined;
  const value = (data as Record<string, unknown>)[d.discriminator];
  return d.options.find((o) => {
    const shape = def(unwrap(o)).shape;
    const lit = shape?.[d.discriminator as string];
    const values = (lit as unknown as { _zod?: { def?: { values?: unknown[] } } })?._zod?.def?.values;
    return values?.includes(value) ?? false;
  });
}

/** The keys allowed at `path` in `schema`, given the parsed `data`; empty when unknown. */
export function allowedKeys(schema: AnySchema, path: readonly (string | number)[], data: unknown): string[] {
  let s: AnySchema | undefined = unwrap(schema);
  let d: unknown = data;
  for (const key of [...path, null]) {
    if (!s) return [];
    let sd = def(s);
    if (sd.type === 'union') {
      s = pickOption(sd, d);
      if (!s) return [];
      s = unwrap(s);
      sd = def(s);
    }
    if (key === null) return sd.shape ? Object.keys(sd.shape) : [];
    d = typeof d === 'object' && d !== null ? (d as Record<string | number, unknown>)[key] : undefined;
    if (sd.type === 'object' && typeof key === 'string') s = sd.shape?.[key] ? unwrap(sd.shape[key]) : undefined;
    else if (sd.type === 'array' && typeof key === 'number') s = sd.element ? unwrap(sd.element) : undefined;
    else return [];
  }
  return [];
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

/** The allowed key nearest to a typo, if it is near enough to be a likely intent. */
export function nearestKey(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  // A shortened key ("rate" for "rate_per_second") is the likeliest intent.
  const prefixed = allowed.filter((k) => lower.length >= 3 && k.toLowerCase().startsWith(lower));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of allowed) {
    const dd = distance(key.toLowerCase(), k.toLowerCase());
    if (dd < bestD) {
      bestD = dd;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(key.length / 4)) ? best : undefined;
}
