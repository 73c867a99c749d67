import { DEFAULT_PRESET, formatDuration } from '@costwatch/detection';
import type { DetectorReport } from './evaluation';

interface Column {
  readonly header: string;
  readonly value: (report: DetectorReport) => string;
  readonly alignLeft?: boolean;
}

const COLUMNS: readonly Column[] = [
  { header: 'detector', value: (r) => r.detector, alignLeft: true },
  { header: 'NAB std', value: (r) => fixed(r.nabStandard, 1) },
  { header: 'NAB lowFP', value: (r) => fixed(r.nabLowFP, 1) },
  { header: 'NAB lowFN', value: (r) => fixed(r.nabLowFN, 1) },
  { header: 'precision', value: (r) => fixed(r.precision, 3) },
  { header: 'recall', value: (r) => fixed(r.recall, 3) },
  { header: 'F1', value: (r) => fixed(r.f1, 3) },
  { header: 'alerts', value: (r) => String(r.alerts) },
  { header: 'alerts/series', value: (r) => fixed(r.alertsPerSeries, 2) },
  { header: 'found', value: (r) => `${r.windowsFound}/${r.windows}` },
  { header: 'mean delay', value: (r) => (Number.isNaN(r.meanDetectionDelayMs) ? '-' : formatDuration(r.meanDetectionDelayMs)) },
  { header: 'time', value: (r) => `${(r.elapsedMs / 1000).toFixed(2)}s` },
];

/** Plain-text table, one row per detector, for stdout. */
export function formatReportTable(reports: readonly DetectorReport[]): string {
  const cells = reports.map((report) => COLUMNS.map((column) => column.value(report)));
  const widths = COLUMNS.map((column, c) => Math.max(column.header.length, ...cells.map((row) => (row[c] ?? '').length)));
  const line = (values: readonly string[]): string =>
    values
      .map((value, c) => {
        const width = widths[c] ?? 0;
        return COLUMNS[c]?.alignLeft === true ? value.padEnd(width) : value.padStart(width);
      })
      .join('  ')
      .trimEnd();
  const header = line(COLUMNS.map((column) => column.header));
  return [header, '-'.repeat(header.length), ...cells.map(line)].join('\n');
}

/** The JSON report: one object per detector, per-series details included; the services' default preset is marked `"default": true`. */
export function toJsonReport(reports: readonly DetectorReport[]): object[] {
  return reports.map((report) => ({
    ...report,
    default: report.detector === DEFAULT_PRESET,
    meanDetectionDelayMs: Number.isNaN(report.meanDetectionDelayMs) ? null : report.meanDetectionDelayMs,
  }));
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}
