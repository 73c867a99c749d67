import type { SeriesIdentity } from './anomaly-ids';

/** Labels a per-series override can match on. */
export const MATCHABLE_LABELS = ['domain', 'project', 'service', 'service_name', 'currency'] as const;
export type MatchableLabel = (typeof MATCHABLE_LABELS)[number];

export interface SeriesMatcher {
  label: MatchableLabel;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  regex?: RegExp;
}

export type MatchableSeries = SeriesIdentity & { serviceName: string };

/** Parses `label=value`, `label!=value`, `label=~regex` or `label!~regex` (regexes are anchored, as in Alertmanager). */
export function parseSeriesMatcher(text: string): SeriesMatcher {
  const match = /^\s*([a-z_]+)\s*(=~|!~|!=|=)\s*"?(.*?)"?\s*$/.exec(text);
  if (!match) throw new Error(`matcher "${text}" is not label=value, label!=value, label=~regex or label!~regex`);
  const [, label = '', op = '=', value = ''] = match;
  if (!(MATCHABLE_LABELS as readonly string[]).includes(label)) throw new Error(`matcher "${text}": unknown label "${label}" (known: ${MATCHABLE_LABELS.join(', ')})`);
  const matcher: SeriesMatcher = { label: label as MatchableLabel, op: op as SeriesMatcher['op'], value };
  if (op === '=~' || op === '!~') {
    try {
      matcher.regex = new RegExp(`^(?:${value})$`);
    } catch (error) {
      throw new Error(`matcher "${text}": invalid regex: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return matcher;
}

function labelValue(series: MatchableSeries, label: MatchableLabel): string {
  switch (label) {
    case 'domain':
      return series.domainId;
    case 'project':
      return series.projectId;
    case 'service':
      return series.serviceId;
    case 'service_name':
      return series.serviceName;
    case 'currency':
      return series.currency;
  }
}

export function matchesAll(matchers: readonly SeriesMatcher[], series: MatchableSeries): boolean {
  return matchers.every((m) => {
    const value = labelValue(series, m.label);
    switch (m.op) {
      case '=':
        return value === m.value;
      case '!=':
        return value !== m.value;
      case '=~':
        return m.regex?.test(value) ?? false;
      case '!~':
        return !(m.regex?.test(value) ?? false);
    }
  });
}
