/**
 * One vocabulary: every error code, discard reason, drop reason and reconnect reason the bridge
 * writes is a snake_case token (`^[a-z0-9_]+$`): they are metrics label values and what logs and
 * tests match on. The declared lists are checked directly; the literals written in the code are
 * found by walking the TypeScript syntax of src/ and adapters/, so a new one cannot slip in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PACKET_PROBLEMS } from '../../../adapters/bilibili/packet.js';
import { DOUYIN_DISCARD_REASONS } from '../../../adapters/douyin/codec.js';
import { INFLATED_TOO_LARGE } from '../../../adapters/kit/inflate.js';
import {
  KIT_DISCARD_REASONS,
  RECONNECT_REASONS,
  RECOVERIES,
  RECOVERY,
  SESSION_END_KINDS,
  TOKEN,
} from '../../../adapters/kit/vocabulary.js';
import { REPLAY_DISCARD_REASONS } from '../../../adapters/replay/index.js';
import { SOURCE_STATES } from '../../../src/core/source.js';
import { ROOT } from '../../helpers/e2e.js';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

type Found = { kind: 'code' | 'discard' | 'drop' | 'reconnect'; value: string; where: string };

const text = (n: ts.Node | undefined): string | undefined => (n && ts.isStringLiteralLike(n) ? n.text : undefined);
const calleeName = (e: ts.Expression): string =>
  ts.isPropertyAccessExpression(e) ? e.name.getText() : ts.isIdentifier(e) ? e.text : ts.isPrivateIdentifier(e) ? e.text : '';

/** The literals written where a code or reason goes. */
function literals(file: string): Found[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: Found[] = [];
  const add = (kind: Found['kind'], value: string | undefined, node: ts.Node) => {
    if (value === undefined) return;
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    found.push({ kind, value, where: `${path.relative(ROOT, file)}:${line + 1}` });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression);
      const [first, second] = node.arguments;
      if (node.expression.kind === ts.SyntaxKind.SuperKeyword) {
        const cls = node.parent?.parent?.parent?.parent;
        const base = cls && ts.isClassDeclaration(cls) ? cls.heritageClauses?.[0]?.types[0]?.expression.getText() : undefined;
        if (base?.endsWith('Error') && first && ts.isStringLiteralLike(first)) add('code', first.text, first);
      }
      if (name === 'discard' || name === 'report' || name === 'problem') add('discard', text(first), node);
      if (name === 'drop' || name === '#drop') add('drop', text(second), node);
      if (name === 'reconnect') add('reconnect', text(first), node);
    }
    if (ts.isNewExpression(node) && node.expression.getText() === 'BridgeError') add('code', text(node.arguments?.[0]), node);
    if (ts.isNewExpression(node) && node.expression.getText() === 'Problem') add('discard', text(node.arguments?.[0]), node);
    if (ts.isObjectLiteralExpression(node)) {
      const props = new Map<string, ts.Expression>();
      for (const p of node.properties) if (ts.isPropertyAssignment(p)) props.set(p.name.getText(), p.initializer);
      add('code', text(props.get('code')), node);
      add('discard', text(props.get('problem')), node);
      if (props.has('intentional')) add('drop', text(props.get('reason')), node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const written = [...files(path.join(ROOT, 'src')), ...files(path.join(ROOT, 'adapters'))].flatMap(literals);

describe('the vocabulary', () => {
  it('declares its lists as tokens, and the recovery table covers every end kind', () => {
    const lists = [
      RECONNECT_REASONS,
      SESSION_END_KINDS,
      RECOVERIES,
      KIT_DISCARD_REASONS,
      DOUYIN_DISCARD_REASONS,
      REPLAY_DISCARD_REASONS,
      PACKET_PROBLEMS,
      SOURCE_STATES,
      [INFLATED_TOO_LARGE],
    ];
    for (const list of lists) for (const word of list) expect(word).toMatch(TOKEN);
    expect(Object.keys(RECOVERY).sort()).toEqual([...SESSION_END_KINDS].sort());
    for (const r of Object.values(RECOVERY)) expect(RECOVERIES).toContain(r);
  });

  it('finds the literals where codes and reasons are written (the scan is not blind)', () => {
    const kinds = new Set(written.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(['code', 'discard', 'drop', 'reconnect']);
    const values = new Set(written.map((f) => f.value));
    for (const known of [
      'douyin_signer',
      'config_invalid',
      'text_frame',
      'malformed_capture_line',
      'no_data',
      'initial',
      'pipeline_closed',
    ])
      expect(values).toContain(known);
  });

  it('writes every code, discard, drop and reconnect reason as a snake_case token', () => {
    const bad = written.filter((f) => !TOKEN.test(f.value)).map((f) => `${f.where}: ${f.kind} ${JSON.stringify(f.value)}`);
    expect(bad).toEqual([]);
  });

  it('emits only declared reconnect reasons', () => {
    for (const f of written.filter((w) => w.kind === 'reconnect')) expect(RECONNECT_REASONS, f.where).toContain(f.value);
  });
});
