import type { CostReport } from './cost-report';

/**
 * Text a spreadsheet would run as a formula (OWASP "CSV Injection"): a cell starting with =, +,
 * -, @, a tab or a carriage return, also after leading spaces or as the full-width forms some
 * spreadsheets fold into them (＝ ＋ － ＠).
 */
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/** An amount or a score as the aggregator and the detector write them: anything else is text. */
const NUMBER = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled.
 * Text that a spreadsheet would run as a formula is prefixed with an apostrophe, which the
 * spreadsheet shows as text and does not display. `number` fields (amounts, z, ratio) are
 * written as they are — never altered — but only when they are plain numbers; any other value
 * in a number column is treated as text, so it cannot smuggle a formula in.
 */
export function csvField(value: string | number | null, kind: 'text' | 'number' = 'text'): string {
  if (value === null) return '';
  let text = String(value);
  if ((kind === 'text' || !NUMBER.test(text)) && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (fields: readonly string[]): string => `${fields.join(',')}\r\n`;

export const COST_CSV_HEADER = ['date', 'domain', 'project', 'service', 'service_name', 'currency', 'cost'] as const;

/** One row per (date, domain, project, service, currency) of the period, the cost exact. */
export function costCsv(report: CostReport): string {
  let out = line([...COST_CSV_HEADER]);
  for (const r of report.rows) {
    out += line([csvField(r.date), csvField(r.domainId), csvField(r.projectId), csvField(r.serviceId), csvField(r.serviceName), csvField(r.currency), csvField(r.amount, 'number')]);
  }
  return out;
}

export const ANOMALY_CSV_HEADER = [
  'anomaly_id',
  'domain',
  'project',
  'service',
  'service_name',
  'currency',
  'window_start',
  'window_end',
  'observed',
  'expected',
  'z',
  'ratio',
  'rule',
  'severity',
  'status',
] as const;

/** One row per anomaly whose window overlaps the period. */
export function anomalyCsv(report: CostReport): string {
  let out = line([...ANOMALY_CSV_HEADER]);
  for (const a of report.anomalies) {
    out += line([
      csvField(a._id),
      csvField(a.series.domainId),
      csvField(a.series.projectId),
      csvField(a.series.serviceId),
      csvField(a.series.serviceName),
      csvField(a.series.currency),
      csvField(a.window.start),
      csvField(a.window.end),
      csvField(a.observed, 'number'),
      csvField(a.expected, 'number'),
      csvField(a.z, 'number'),
      csvField(a.ratio, 'number'),
      csvField(a.rule),
      csvField(a.severity),
      csvField(a.state),
    ]);
  }
  return out;
}
