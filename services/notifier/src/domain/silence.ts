/**
 * Silences and the mute list: label matchers (`=`, `!=`, `=~`, `!~`, Alertmanager syntax)
 * with an optional time range. A silence without a range is a permanent mute.
 */
export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  operator: MatchOperator;
  value: string;
}

export interface Silence {
  matchers: readonly Matcher[];
  /** Epoch ms; active from this instant (inclusive). Unset: since forever. */
  startsAt?: number;
  /** Epoch ms; active until this instant (exclusive). Unset: forever. */
  endsAt?: number;
  comment?: string;
}

export class MatcherSyntaxError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`invalid matcher ${JSON.stringify(input)}: ${reason}`);
    this.name = 'MatcherSyntaxError';
  }
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

function unquote(raw: string, input: string): string {
  if (!raw.startsWith('"')) {
    if (raw.includes('"')) throw new MatcherSyntaxError(input, 'unbalanced quotes');
    return raw;
  }
  if (raw.length < 2 || !raw.endsWith('"')) throw new MatcherSyntaxError(input, 'unterminated quoted value');
  const body = raw.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i];
    if (char === '"') throw new MatcherSyntaxError(input, 'unescaped " inside a quoted value');
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) throw new MatcherSyntaxError(input, 'dangling backslash');
    out += next === 'n' ? '\n' : next;
    i += 1;
  }
  return out;
}

/** Parses `name="value"`, `name!=value`, `name=~"re"`, `name!~re`. Regexes must compile. */
export function parseMatcher(input: string): Matcher {
  const match = MATCHER.exec(input);
  if (!match) throw new MatcherSyntaxError(input, 'expected <label><op><value> with op one of =, !=, =~, !~');
  const [, name = '', operator = '=', raw = ''] = match;
  const value = unquote(raw, input);
  if (operator === '=~' || operator === '!~') {
    try {
      anchored(value);
    } catch (error) {
      throw new MatcherSyntaxError(input, `bad regular expression: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { name, operator: operator as MatchOperator, value };
}

const compiled = new Map<string, RegExp>();

/** Alertmanager anchors matcher regexes at both ends: `=~"comp"` does not match "compute". */
function anchored(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`, 's');
    compiled.set(pattern, regex);
  }
  return regex;
}

/** A missing label matches as the empty string, as in Alertmanager. */
export function matcherMatches(matcher: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const actual = labels[matcher.name] ?? '';
  switch (matcher.operator) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return anchored(matcher.value).test(actual);
    case '!~':
      return !anchored(matcher.value).test(actual);
  }
}

export function isSilenceActive(silence: Silence, now: number): boolean {
  return (silence.startsAt === undefined || now >= silence.startsAt) && (silence.endsAt === undefined || now < silence.endsAt);
}

/** The first active silence whose matchers all match, if any. An empty matcher list matches nothing. */
export function findSilence(silences: readonly Silence[], labels: Readonly<Record<string, string>>, now: number): Silence | undefined {
  return silences.find(
    (silence) => silence.matchers.length > 0 && isSilenceActive(silence, now) && silence.matchers.every((matcher) => matcherMatches(matcher, labels)),
  );
}
