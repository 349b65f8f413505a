/**
 * Table rendering for benchmark results: an aligned plain-text table for the terminal and a
 * GitHub markdown table for bench/results/*.md.
 */
import type { ModuleResult } from './types.js';

const HEADERS = ['bench', 'measure', 'value', 'unit', 'target', 'ok', 'notes'] as const;

/** Formats a figure with thousands separators and at most two decimals. */
export function formatValue(value: number): string {
  const digits = Number.isInteger(value) ? 0 : Math.abs(value) >= 100 ? 0 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function cells(results: readonly ModuleResult[]): string[][] {
  const rows: string[][] = [];
  for (const result of results) {
    if (result.error !== undefined) rows.push([result.name, 'ERROR', '', '', '', 'no', result.error]);
    for (const row of result.rows) {
      const ok = row.pass === undefined ? '' : row.pass ? 'yes' : 'no';
      rows.push([result.name, row.name, formatValue(row.value), row.unit, row.target ?? '', ok, row.notes ?? '']);
    }
  }
  return rows;
}

/** An aligned plain-text table (numbers right-aligned). */
export function renderText(results: readonly ModuleResult[]): string {
  const rows = [HEADERS.slice() as string[], ...cells(results)];
  const widths = HEADERS.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

function escapeCell(cell: string): string {
  return cell.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** A GitHub markdown table, with a heading line saying when and where it was measured. */
export function renderMarkdown(results: readonly ModuleResult[], environment: string): string {
  const head = `| ${HEADERS.join(' | ')} |`;
  const rule = `| ${HEADERS.map((h) => (h === 'value' ? '---:' : '---')).join(' | ')} |`;
  const body = cells(results).map((r) => `| ${r.map(escapeCell).join(' | ')} |`);
  return [`Measured ${environment}.`, '', head, rule, ...body, ''].join('\n');
}
