/**
 * Keeps a mapping and its .proto from drifting apart: a decoded message is wrapped in a proxy
 * that records every property the code reads, nested messages and repeated elements included,
 * and each read is checked against the fields the loaded .proto declares. A typo or a field the
 * schema lost would otherwise read `undefined` and map silently to 0 or ''.
 */
import protobuf from 'protobufjs';

/** Reads a wrapped message saw: `Type.field` for each, and those the schema does not declare. */
export interface ReadLog {
  reads: Set<string>;
  unknown: Set<string>;
}

const IGNORED = new Set(['then', 'toJSON', 'constructor', '$type', 'toString', 'valueOf']);

/** A sample value for every field (nested messages `depth` levels deep), for `type.fromObject`. */
export function sampleOf(type: protobuf.Type, depth = 4): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    const one = (): unknown => {
      if (field.resolvedType instanceof protobuf.Type) return depth > 0 ? sampleOf(field.resolvedType, depth - 1) : {};
      if (field.resolvedType instanceof protobuf.Enum) return Object.values(field.resolvedType.values)[0];
      switch (field.type) {
        case 'string':
          return `${field.name}-1`;
        case 'bool':
          return true;
        case 'bytes':
          return Uint8Array.of(1, 2, 3);
        case 'double':
        case 'float':
          return 1.5;
        default:
          // 1 takes the branches that compare with 1 (imageType 1 is the honour badge, action 1 a follow).
          return 1;
      }
    };
    if (field instanceof protobuf.MapField) out[field.name] = { k: one() };
    else out[field.name] = field.repeated ? [one(), one()] : one();
  }
  return out;
}

/** Encodes a sample with every field set. */
export function fullMessage(type: protobuf.Type): Uint8Array {
  return type.encode(type.fromObject(sampleOf(type))).finish();
}

/** Every path of message fields in a sample, `depth` levels deep (repeated ones through their first element). */
function paths(sample: Record<string, unknown>, depth: number, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(sample)) {
    out.push([...prefix, k]);
    const inner = Array.isArray(v) ? v[0] : v;
    if (depth > 0 && inner && typeof inner === 'object' && !(inner instanceof Uint8Array)) {
      out.push(...paths(inner as Record<string, unknown>, depth - 1, [...prefix, k, ...(Array.isArray(v) ? ['0'] : [])]));
    }
  }
  return out;
}

/** Nested messages present but empty, every scalar and list absent: where fallbacks end. */
function skeletonOf(type: protobuf.Type, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    if (field.resolvedType instanceof protobuf.Type && !field.repeated && !(field instanceof protobuf.MapField))
      out[field.name] = depth > 0 ? skeletonOf(field.resolvedType, depth - 1) : {};
  }
  return out;
}

/**
 * The full sample, the skeleton (messages present, nothing else), then one sample per field with
 * that field left out, encoded: a mapping that falls back from one field to another reads the
 * fallback only when the first is missing.
 */
export function messageVariants(type: protobuf.Type, depth = 3): Uint8Array[] {
  const full = sampleOf(type);
  const out = [type.encode(type.fromObject(full)).finish(), type.encode(type.fromObject(skeletonOf(type, depth))).finish()];
  for (const path of paths(full, depth)) {
    const copy = structuredClone(full);
    let node: Record<string, unknown> = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
    delete node[path.at(-1) as string];
    out.push(type.encode(type.fromObject(copy)).finish());
  }
  return out;
}

function wrap(value: unknown, type: protobuf.Type, log: ReadLog): unknown {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value as object, {
    get(target, prop, receiver) {
      const got: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || IGNORED.has(prop)) return got;
      const field = type.fields[prop];
      if (!field) {
        log.unknown.add(`${type.name}.${prop}`);
        return got;
      }
      log.reads.add(`${type.name}.${prop}`);
      field.resolve();
      const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
      if (!nested || field instanceof protobuf.MapField) return got;
      if (field.repeated && Array.isArray(got)) return got.map((element) => wrap(element, nested, log));
      return wrap(got, nested, log);
    },
  });
}

/** Wraps a decoded message of `type`; reads land in `log`. */
export function tracked<T>(
  decoded: T,
  type: protobuf.Type,
  log: ReadLog = { reads: new Set(), unknown: new Set() },
): { value: T; log: ReadLog } {
  return { value: wrap(decoded, type, log) as T, log };
}
