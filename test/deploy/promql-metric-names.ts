/**
 * The metric names a PromQL expression selects, for checking dashboards and alert rules
 * against what the services export. A tokenizer, not a full parser: it skips strings,
 * comments, label matchers, range and subquery brackets, grouping label lists (`by`,
 * `without`, `on`, `ignoring`, `group_left`, `group_right`), numbers and durations, Grafana
 * variables, keywords, and every identifier called as a function or aggregation. What is
 * left is a vector selector's metric name; `{__name__="x"}` counts as `x`.
 */

const AGGREGATIONS = new Set(['sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio']);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'atan2', 'bool', 'offset', 'inf', 'nan']);

type Token = { kind: 'ident'; text: string } | { kind: 'open' } | { kind: 'close' } | { kind: 'selector'; name: string | undefined } | { kind: 'other' };

export class PromqlNameError extends Error {}

export function metricNames(expr: string): string[] {
  const tokens = tokenize(expr);
  const names = new Set<string>();
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (token?.kind === 'selector') {
      if (token.name) names.add(token.name);
      continue;
    }
    if (token?.kind !== 'ident') continue;
    const word = token.text;
    const next = tokens[i + 1];
    if (GROUPING.has(word.toLowerCase())) {
      // by (a, b) / group_left (c): the list names labels, not metrics.
      if (next?.kind === 'open') i = closingParen(tokens, i + 1);
      continue;
    }
    if (KEYWORDS.has(word.toLowerCase())) continue;
    if (next?.kind === 'open') continue; // a function call
    if (AGGREGATIONS.has(word) && next?.kind === 'ident' && GROUPING.has(next.text.toLowerCase())) continue; // sum by (…) (…)
    // A metric name may carry its label matchers: `name{…}`.
    if (next?.kind === 'selector' && next.name === undefined) i += 1;
    names.add(word);
  }
  return [...names].sort();
}

function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    const kind = tokens[i]?.kind;
    if (kind === 'open') depth += 1;
    else if (kind === 'close' && (depth -= 1) === 0) return i;
  }
  throw new PromqlNameError('unbalanced parentheses');
}

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const at = (j: number): string => expr[j] ?? '';
  while (i < expr.length) {
    const c = at(i);
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '#') {
      while (i < expr.length && at(i) !== '\n') i += 1;
    } else if (c === '"' || c === "'" || c === '`') {
      i = skipString(expr, i);
      tokens.push({ kind: 'other' });
    } else if (c === '{') {
      const { end, name } = labelMatchers(expr, i);
      tokens.push({ kind: 'selector', name });
      i = end;
    } else if (c === '[') {
      // A range or subquery: durations and Grafana variables only ([5m], [$__rate_interval], [1h:1m]).
      if (expr.startsWith('[[', i)) {
        i = expectIndex(expr.indexOf(']]', i), 'unterminated [[variable]]') + 2; // legacy Grafana variable
        tokens.push({ kind: 'other' });
      } else {
        i = expectIndex(expr.indexOf(']', i), 'unterminated [') + 1;
      }
    } else if (c === '$') {
      // Grafana variable: $name or ${name}.
      i = at(i + 1) === '{' ? expectIndex(expr.indexOf('}', i), 'unterminated ${') + 1 : i + 1 + (/^\w*/.exec(expr.slice(i + 1))?.[0].length ?? 0);
      tokens.push({ kind: 'other' });
    } else if (c === '(') {
      tokens.push({ kind: 'open' });
      i += 1;
    } else if (c === ')') {
      tokens.push({ kind: 'close' });
      i += 1;
    } else if (/[0-9.]/.test(c)) {
      // Numbers, hex, exponents and durations (offset 1h30m).
      i += /^(0x[0-9a-f]+|[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?([a-z]+[0-9]*)*)/i.exec(expr.slice(i))?.[0].length ?? 1;
      tokens.push({ kind: 'other' });
    } else if (/[a-zA-Z_:]/.test(c)) {
      const text = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(i))?.[0] ?? c;
      tokens.push({ kind: 'ident', text });
      i += text.length;
    } else {
      tokens.push({ kind: 'other' }); // operators, commas, @
      i += 1;
    }
  }
  return tokens;
}

function expectIndex(index: number, message: string): number {
  if (index < 0) throw new PromqlNameError(message);
  return index;
}

function skipString(expr: string, start: number): number {
  const quote = expr[start];
  for (let i = start + 1; i < expr.length; i += 1) {
    if (expr[i] === '\\' && quote !== '`') i += 1;
    else if (expr[i] === quote) return i + 1;
  }
  throw new PromqlNameError(`unterminated string at ${start}`);
}

/** `{…}` from `start`: where it ends, and the metric name if it has `__name__="x"`. */
function labelMatchers(expr: string, start: number): { end: number; name: string | undefined } {
  let name: string | undefined;
  let i = start + 1;
  while (i < expr.length) {
    const rest = expr.slice(i);
    if (expr[i] === '}') return { end: i + 1, name };
    const byName = /^__name__\s*=\s*(["'`])/.exec(rest);
    if (byName) {
      const valueStart = i + byName[0].length - 1;
      const end = skipString(expr, valueStart);
      name = JSON.parse(`"${expr.slice(valueStart + 1, end - 1).replace(/"/g, '\\"')}"`) as string;
      i = end;
    } else if (expr[i] === '"' || expr[i] === "'" || expr[i] === '`') {
      i = skipString(expr, i);
    } else {
      i += 1;
    }
  }
  throw new PromqlNameError(`unterminated { at ${start}`);
}

/**
 * Whether `name` is among the exported families: a histogram's `_bucket`, `_sum` and
 * `_count` series (a summary's `_sum` and `_count`) belong to its base name.
 */
export function isExported(name: string, families: ReadonlyMap<string, string>): boolean {
  if (families.has(name)) return true;
  const suffix = /_(bucket|sum|count)$/.exec(name);
  if (!suffix) return false;
  const type = families.get(name.slice(0, -suffix[0].length));
  return type === 'histogram' || (type === 'summary' && suffix[1] !== 'bucket');
}

/** Metric families (name → type) from the `# TYPE` lines of a Prometheus text exposition. */
export function exportedFamilies(exposition: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const [, name = '', type = ''] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(name, type);
  return families;
}
