/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests that scrape a
 * real /metrics: every line must be a HELP, a TYPE or a sample of the family declared last.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/;
const SUFFIXES: Record<Family['type'], string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** Values as Prometheus reads them (Go's ParseFloat: NaN and Inf in any case; prom-client writes `Nan`). */
function parseValue(text: string, line: string): number {
  const special = text.toLowerCase();
  if (special === '+inf' || special === 'inf') return Infinity;
  if (special === '-inf') return -Infinity;
  if (special === 'nan') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad sample value in: ${line}`);
  return Number(text);
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest !== '') {
    const m = LABEL.exec(rest);
    if (!m) throw new Error(`bad labels in: ${line}`);
    const [all, name = '', raw = ''] = m;
    if (name in labels) throw new Error(`duplicate label ${name} in: ${line}`);
    labels[name] = raw.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(all.length);
  }
  return labels;
}

/** Parses an exposition; throws on the first line that is not valid. Families by name. */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  let current: Family | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const help = new RegExp(`^# HELP (${NAME}) (.*)$`).exec(line);
    if (help) {
      current = { name: help[1] as string, type: 'untyped', help: help[2] as string, samples: [] };
      if (families.has(current.name)) throw new Error(`family ${current.name} declared twice`);
      families.set(current.name, current);
      continue;
    }
    const type = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (type) {
      if (!current || current.name !== type[1]) throw new Error(`TYPE without its HELP: ${line}`);
      current.type = type[2] as Family['type'];
      continue;
    }
    if (line.startsWith('#')) throw new Error(`unexpected comment: ${line}`);
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const name = sample[1] as string;
    if (!current || !SUFFIXES[current.type].some((s) => name === `${current?.name}${s}`))
      throw new Error(`sample outside its family: ${line}`);
    current.samples.push({ name, labels: parseLabels(sample[2] ?? '', line), value: parseValue(sample[3] as string, line) });
  }
  return families;
}

/** Sum of the samples named `name` (a family or a histogram's `_bucket`/`_sum`/`_count`) whose labels include `match`. */
export function sumOf(families: Map<string, Family>, name: string, match: Record<string, string> = {}): number {
  const samples = [...families.values()].flatMap((f) => f.samples).filter((s) => s.name === name);
  if (samples.length === 0 && !families.has(name)) throw new Error(`no samples named ${name}`);
  return samples.filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}
