/**
 * Warnings only the config's text can give, before substitution: `$VAR` written without braces.
 * The loader takes it literally (only `${VAR}` is a variable), and when it sits under a secret
 * key the printed config shows `***`, so nothing on screen says the variable was never read.
 */
import { isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import { isSecretKey } from '../ops/redact.js';

/** `$NAME` not preceded by another `$` (`$$` is the escape) and not followed by `{`. */
const BARE = /(?<!\$)(?:\$\$)*\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** What the text says besides its values: each bare `$VAR`, with its position and key path. */
export function rawWarnings(text: string, file: string): string[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) return [];
  const warnings: string[] = [];
  visit(doc, {
    Scalar(_key, node, path) {
      if (typeof node.value !== 'string') return;
      // Only values: the scalar must be a pair's value or a sequence item.
      const parent = path.at(-1);
      if (isPair(parent) && parent.key === node) return;
      const keys: string[] = [];
      for (const [i, p] of path.entries()) {
        if (isPair(p) && isScalar(p.key)) keys.push(String(p.key.value));
        else if (isSeq(p)) keys.push(`[${p.items.indexOf((path[i + 1] ?? node) as never)}]`);
      }
      const names = [...node.value.matchAll(BARE)].map((m) => m[1] as string);
      if (names.length === 0) return;
      const key = keys.filter((k) => !k.startsWith('[')).at(-1) ?? '';
      const where = keys.join('.').replace(/\.\[/g, '[');
      const { line, col } = lc.linePos(node.range?.[0] ?? 0);
      // Under a secret key the name could be a piece of the secret itself: say only what to do.
      const what = isSecretKey(key) ? 'a `$` followed by a name' : names.map((n) => `$${n}`).join(', ');
      warnings.push(
        `${file}:${line}:${col}: ${where}: ${what} is taken literally; write \${NAME} for an environment variable, $$ for a literal $`,
      );
    },
  });
  return warnings;
}
