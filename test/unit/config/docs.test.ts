import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import type { z } from 'zod';
import { ConfigSchema } from '../../../src/config/schema.js';

type Def = {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  options?: z.core.$ZodType[];
};
const def = (s: z.core.$ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Every key path in the schema, with `sources[]` expanded per platform option. */
function keyPaths(schema: z.core.$ZodType, prefix: string, out: Set<string>): Set<string> {
  const d = def(schema);
  const inner = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
  if (inner) return keyPaths(inner, prefix, out);
  if (d.type === 'array' && d.element) return keyPaths(d.element, `${prefix}[]`, out);
  if (d.type === 'union') {
    for (const o of d.options ?? []) keyPaths(o, prefix, out);
    return out;
  }
  if (d.type === 'object' && d.shape) {
    for (const [k, v] of Object.entries(d.shape)) {
      const p = prefix ? `${prefix}.${k}` : k;
      out.add(p);
      keyPaths(v, p, out);
    }
  }
  return out;
}

test('docs/config.md documents every config key', () => {
  const doc = readFileSync('docs/config.md', 'utf8');
  const missing = [...keyPaths(ConfigSchema, '', new Set())].filter((p) => {
    const leaf = p.split('.').at(-1) as string;
    return !doc.includes(`\`${leaf.replace('[]', '')}\``);
  });
  expect(missing).toEqual([]);
});
