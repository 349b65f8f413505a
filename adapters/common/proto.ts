/**
 * protobufjs set up once for every platform schema: `long` installed so that 64-bit fields
 * decode to Long (never a lossy JS number), and schemas read from the package's proto/ folder,
 * which both the TypeScript sources and dist/ find through packagePath().
 */
import Long from 'long';
import protobuf from 'protobufjs';
import { packagePath } from '../../src/core/paths.js';

// protobufjs picks up Long only if it finds it at load time; set it explicitly so that a
// bundler or a missing optional require can never make u64 fields decode as numbers.
protobuf.util.Long = Long;
protobuf.configure();

/** The absolute path of proto/<file>. */
export function protoPath(file: string): string {
  return packagePath('proto', file);
}

/** A loader that parses proto/<file> on its first call (once per process) and returns that Root after. */
export function lazyProtoRoot(file: string, options?: protobuf.IParseOptions): () => protobuf.Root {
  let root: protobuf.Root | undefined;
  return () => (root ??= new protobuf.Root().loadSync(protoPath(file), options));
}
