/**
 * Loads one per-stream YAML file: parse with positions, substitute ${ENV} in scalars,
 * validate against the strict schema, and turn every problem into
 * `file:line:col: key.path: what was expected`.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode, type Scalar } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { EnvSubstitutionError, substituteEnv } from './env.js';
import { configSchemaFor, type Config } from './schema.js';
import { registry as builtins, type PluginRegistry } from '../../adapters/registry.js';
import { allowedKeys, nearestKey } from './keys.js';
import { collectSecrets } from './secrets.js';

/** A loaded config plus what the logger must mask. */
export interface LoadedConfig {
  config: Config;
  /** Every secret value found in the resolved config (for the redactor). */
  secrets: string[];
  file: string;
}

type PathKey = string | number;

/** Bounds on hostile input: a config is a few KiB; nothing legitimate comes near these. */
export const CONFIG_LIMITS = {
  /** The file itself. */
  maxFileBytes: 1024 * 1024,
  /** One value after ${ENV} substitution (a cookie is a few KiB). */
  maxValueChars: 64 * 1024,
  /** Alias expansions (a "billion laughs" or merge-key bomb expands to millions). */
  maxAliasCount: 100,
} as const;

function formatPath(path: readonly PathKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** Finds the node at `path`, or the deepest ancestor that exists, and its key node when asked. */
function locate(doc: Document, path: readonly PathKey[], wantKey?: string): YamlNode | null {
  let node: unknown = doc.contents;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number' && node.items[key] !== undefined) {
      node = node.items[key];
    } else {
      break;
    }
  }
  if (wantKey !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === wantKey);
    if (pair && isScalar(pair.key)) return pair.key;
  }
  return (node as YamlNode | null) ?? null;
}

function position(lc: LineCounter, node: YamlNode | null): string {
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = lc.linePos(offset);
  return `${line}:${col}`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  // zod's own messages are precise ("Invalid input: expected number, received string"); make the
  // first letter lower-case so they read after "key.path: ".
  const msg = issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  const disc = /^invalid discriminator value\. Expected (.*)$/.exec(msg);
  if (disc?.[1]) {
    const values = disc[1].split(' | ').map((v) => `"${v.replace(/^'|'$/g, '')}"`);
    const list = values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : values[0];
    return `invalid input: expected one of ${list}`;
  }
  return msg;
}

function unknownKeyMessage(schema: z.core.$ZodType, data: unknown, path: readonly PathKey[], key: string): string {
  const allowed = allowedKeys(schema, path, data);
  if (allowed.length === 0) return 'unknown key';
  const near = nearestKey(key, allowed);
  return `unknown key${near ? ` (did you mean "${near}"?)` : ''}; allowed here: ${allowed.join(', ')}`;
}

/**
 * Applies ${ENV} substitution to every string scalar (values only, never keys). Returns the
 * scalars whose value became a number or boolean, with their text, so that the loader can turn
 * one back into a string where the schema wants a string (`room: ${ROOM}` with a numeric id).
 */
function substituteAll(doc: Document, env: NodeJS.ProcessEnv, file: string, lc: LineCounter, problems: string[]): Map<Scalar, string> {
  const coerced = new Map<Scalar, string>();
  visit(doc, {
    Pair(_key, pair) {
      const v = pair.value;
      if (isScalar(v) && typeof v.value === 'string') {
        try {
          const { value, fromEnv } = substituteEnv(v.value, env);
          if (fromEnv || value !== v.value) {
            const typed = coerceFromEnv(value, fromEnv, v.value);
            if (typeof typed !== 'string') coerced.set(v, value);
            v.value = typed;
          }
        } catch (err) {
          if (!(err instanceof EnvSubstitutionError)) throw err;
          problems.push(`${file}:${position(lc, v)}: ${err.message}`);
        }
      }
    },
    Seq(_key, seq) {
      seq.items.forEach((item) => {
        if (isScalar(item) && typeof item.value === 'string') {
          try {
            item.value = substituteEnv(item.value, env).value;
          } catch (err) {
            if (!(err instanceof EnvSubstitutionError)) throw err;
            problems.push(`${file}:${position(lc, item)}: ${err.message}`);
          }
        }
      });
    },
  });
  return coerced;
}

/**
 * A scalar that is wholly one `${VAR}` takes the YAML type of its value (`port: ${PORT}` is a
 * number, `dry_run: ${DRY:-false}` a boolean); anything mixed stays a string. Where the schema
 * wants a string (ids), the loader puts the text back: see uncoerceStrings.
 */
function coerceFromEnv(value: string, fromEnv: boolean, original: string): string | number | boolean {
  if (!fromEnv || !/^\$\{[^}]+\}$/.test(original.trim())) return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d{1,15}(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

/** Whether an issue says a string was expected (directly, or by one branch of a union). */
function wantsString(issue: z.core.$ZodIssue): boolean {
  if (issue.code === 'invalid_type') return issue.expected === 'string';
  return issue.code === 'invalid_union' && issue.errors.some((branch) => branch.some(wantsString));
}

/** Puts back the text of env-typed scalars where the schema expected a string; true if any was. */
function uncoerceStrings(doc: Document, issues: readonly z.core.$ZodIssue[], coerced: Map<Scalar, string>): boolean {
  let changed = false;
  for (const issue of issues) {
    if (!wantsString(issue)) continue;
    const node = locate(
      doc,
      issue.path.filter((k): k is PathKey => typeof k !== 'symbol'),
    );
    const text = isScalar(node) ? coerced.get(node) : undefined;
    if (isScalar(node) && text !== undefined) {
      node.value = text;
      changed = true;
    }
  }
  return changed;
}

/** Refuses a value longer than CONFIG_LIMITS.maxValueChars (after substitution), with its position. */
function checkValueSizes(doc: Document, file: string, lc: LineCounter): void {
  let found: Scalar | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.value.length > CONFIG_LIMITS.maxValueChars) {
        found = node;
        return visit.BREAK;
      }
    },
  });
  if (found) {
    const length = (found.value as string).length;
    throw new ConfigError([
      `${file}:${position(lc, found)}: a value of ${length} characters is over the limit of ${CONFIG_LIMITS.maxValueChars}`,
    ]);
  }
}

/** The document as plain data; an alias bomb is a ConfigError at its first alias, not a crash. */
function toPlain(doc: Document, file: string, lc: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: CONFIG_LIMITS.maxAliasCount });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    let alias: YamlNode | null = null;
    visit(doc, {
      Alias(_key, node) {
        alias = node;
        return visit.BREAK;
      },
    });
    throw new ConfigError([
      `${file}:${position(lc, alias)}: YAML aliases expand beyond ${CONFIG_LIMITS.maxAliasCount} nodes (an alias or merge-key bomb); write the values out`,
    ]);
  }
}

/**
 * Parses and validates config text. Throws ConfigError listing every problem found.
 * @param file the name used in messages (a path as the user typed it)
 */
export function parseConfig(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  registry: PluginRegistry = builtins,
): LoadedConfig {
  const schema = configSchemaFor(registry);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const problems: string[] = [];
  const [first, ...rest] = doc.errors;
  if (first) {
    // Later syntax errors are almost always echoes of the first; show that one precisely.
    const { line, col } = lc.linePos(first.pos[0]);
    const more = rest.length > 0 ? ` (${rest.length} more error${rest.length > 1 ? 's' : ''} follow from it)` : '';
    throw new ConfigError([`${file}:${line}:${col}: YAML syntax: ${first.message.split('\n')[0]}${more}`]);
  }
  if (!isMap(doc.contents)) {
    throw new ConfigError([`${file}:1:1: expected a mapping of keys (stream, sources, metastudio, ...) at the top level`]);
  }
  const coerced = substituteAll(doc, env, file, lc, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  checkValueSizes(doc, file, lc);

  let data: unknown = toPlain(doc, file, lc);
  let parsed = schema.safeParse(data);
  if (!parsed.success && uncoerceStrings(doc, parsed.error.issues, coerced)) {
    data = toPlain(doc, file, lc);
    parsed = schema.safeParse(data);
  }
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const node = locate(doc, path, key);
          problems.push(`${file}:${position(lc, node)}: ${formatPath([...path, key])}: ${unknownKeyMessage(schema, data, path, key)}`);
        }
        continue;
      }
      const node = locate(doc, path);
      problems.push(`${file}:${position(lc, node)}: ${formatPath(path)}: ${describeIssue(issue)}`);
    }
    throw new ConfigError(problems);
  }
  return { config: parsed.data, secrets: collectSecrets(parsed.data, registry), file };
}

/**
 * Reads and parses a config file. A missing or unreadable file is a ConfigError too, and so is
 * anything but a regular file (a FIFO would block the read forever) or a file over the size limit.
 * @param registry the platforms `sources[]` may name (the built-ins by default)
 */
export async function loadConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  registry: PluginRegistry = builtins,
): Promise<LoadedConfig> {
  return parseConfig(await readConfigFile(file), file, env, registry);
}

async function readConfigFile(file: string): Promise<string> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then says what it is.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([`${file}: cannot read the config file (${code ?? String(err)})`]);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ConfigError([`${file}: not a regular file (${kindOf(info)}); give the path of a YAML file`]);
    if (info.size > CONFIG_LIMITS.maxFileBytes)
      throw new ConfigError([`${file}: the config file is ${info.size} bytes; the limit is ${CONFIG_LIMITS.maxFileBytes}`]);
    const buffer = Buffer.alloc(Math.min(info.size, CONFIG_LIMITS.maxFileBytes) + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > CONFIG_LIMITS.maxFileBytes)
      throw new ConfigError([`${file}: the config file is over ${CONFIG_LIMITS.maxFileBytes} bytes, the limit`]);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([`${file}: cannot read the config file (${code ?? String(err)})`]);
  } finally {
    await handle.close();
  }
}

function kindOf(info: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a file';
}
