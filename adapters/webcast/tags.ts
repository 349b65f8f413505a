/**
 * Wire tags from the platform's .proto: the hand-written decoders compare the tags they read
 * against numbers looked up here once, at load, by message and field name, so proto/<p>.proto is
 * the one place a field number is written and the code cannot drift from it (a renamed or removed
 * field fails at load, naming it).
 */
import protobuf from 'protobufjs';
import { WIRE } from './reader.js';

const VARINT_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool']);
const FIXED64_TYPES = new Set(['fixed64', 'sfixed64', 'double']);
const FIXED32_TYPES = new Set(['fixed32', 'sfixed32', 'float']);

/** The wire type a (non-repeated-scalar) field is written with. */
export function wireTypeOf(field: protobuf.Field): number {
  field.resolve();
  if (field instanceof protobuf.MapField || field.resolvedType instanceof protobuf.Type) return WIRE.bytes;
  if (field.resolvedType instanceof protobuf.Enum || VARINT_TYPES.has(field.type)) {
    // proto3 packs repeated scalars into one length-delimited field.
    return field.repeated ? WIRE.bytes : WIRE.varint;
  }
  if (FIXED64_TYPES.has(field.type)) return field.repeated ? WIRE.bytes : WIRE.fixed64;
  if (FIXED32_TYPES.has(field.type)) return field.repeated ? WIRE.bytes : WIRE.fixed32;
  return WIRE.bytes;
}

/** The tag of `type.name` as it appears on the wire; throws when the .proto has no such field. */
export function tagOf(type: protobuf.Type, name: string): number {
  const field = type.fields[name];
  if (!field) throw new TypeError(`${type.fullName} has no field "${name}" (the decoder and the .proto disagree)`);
  return (field.id << 3) | wireTypeOf(field);
}

/** The tag of an optional field: -1 (never read) when the .proto does not declare it. */
export function optionalTagOf(type: protobuf.Type, name: string): number {
  return type.fields[name] ? tagOf(type, name) : -1;
}

/** The tags of several fields of one message, by name. */
export function tagsOf<const K extends string>(type: protobuf.Type, names: readonly K[]): Readonly<Record<K, number>> {
  const out = {} as Record<K, number>;
  for (const name of names) out[name] = tagOf(type, name);
  return Object.freeze(out);
}
