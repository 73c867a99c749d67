import { MS, fromScaled, toScaled, type Anomaly } from '@costwatch/contracts';
import type { CostReport } from './cost-report';
import { escapeHtml } from './html-escape';
import { lastDay } from './report-period';

/** What the chart draws: stacked bars per time bucket in one currency, anomaly windows marked. */
export interface CostChart {
  title: string;
  subtitle: string;
  currency: string | null;
  startMs: number;
  endMs: number;
  buckets: Array<{ label: string; startMs: number }>;
  /** Largest first; the last may be "other services". Values are floats: pixel positions only. */
  stacks: Array<{ label: string; values: number[] }>;
  markers: Array<{ startMs: number; endMs: number; severity: Anomaly['severity'] }>;
}

export const CHART_WIDTH = 1100;
export const CHART_HEIGHT = 480;
/** Services drawn on their own; the rest are stacked together as "other services". */
const TOP_SERVICES = 7;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const PALETTE = ['#4e79a7', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#bcbd22'];
const OTHER_COLOUR = '#c9c9c9';
export const SEVERITY_COLOURS: Readonly<Record<Anomaly['severity'], string>> = { critical: '#d62728', warning: '#ff9f1c', info: '#6b6ecf' };

/**
 * Chart data for a report: hourly bars for a daily report, daily bars otherwise, in the
 * currency with the largest total, one stack per service (top services, then the rest).
 */
export function costChart(report: CostReport): CostChart {
  const { period } = report;
  const hourly = period.kind === 'daily';
  const startMs = Date.parse(`${period.start}T00:00:00Z`);
  const endMs = Date.parse(`${period.end}T00:00:00Z`);
  const bucketMs = hourly ? MS.hour : MS.day;
  const count = Math.round((endMs - startMs) / bucketMs);
  const buckets = Array.from({ length: count }, (_, i) => {
    const at = new Date(startMs + i * bucketMs);
    const label = hourly
      ? String(at.getUTCHours()).padStart(2, '0')
      : period.kind === 'weekly'
        ? `${WEEKDAYS[at.getUTCDay()]} ${at.toISOString().slice(5, 10)}`
        : String(at.getUTCDate());
    return { label, startMs: at.getTime() };
  });

  const currency = report.totals[0]?.currency ?? null;
  const perService = new Map<string, { scaled: bigint[]; total: bigint }>();
  for (const row of report.rows) {
    if (row.currency !== currency) continue;
    const entry = perService.get(row.serviceName) ?? { scaled: new Array<bigint>(count).fill(0n), total: 0n };
    if (hourly) {
      row.hours.forEach((amount, hour) => {
        if (hour < count && amount) entry.scaled[hour] = (entry.scaled[hour] ?? 0n) + toScaled(amount);
      });
    } else {
      const index = Math.round((Date.parse(`${row.date}T00:00:00Z`) - startMs) / MS.day);
      if (index >= 0 && index < count) entry.scaled[index] = (entry.scaled[index] ?? 0n) + toScaled(row.amount);
    }
    entry.total += toScaled(row.amount);
    perService.set(row.serviceName, entry);
  }
  const ranked = [...perService].sort(([a, x], [b, y]) => (y.total > x.total ? 1 : y.total < x.total ? -1 : a.localeCompare(b)));
  const floats = (scaled: readonly bigint[]) => scaled.map((v) => Number(fromScaled(v)));
  const stacks = ranked.slice(0, TOP_SERVICES).map(([label, e]) => ({ label, values: floats(e.scaled) }));
  const rest = ranked.slice(TOP_SERVICES);
  if (rest.length > 0) {
    const sum = new Array<bigint>(count).fill(0n);
    for (const [, e] of rest) e.scaled.forEach((v, i) => (sum[i] = (sum[i] ?? 0n) + v));
    stacks.push({ label: `other services (${rest.length})`, values: floats(sum) });
  }

  const others = report.totals.slice(1).map((t) => t.currency);
  const range = period.days.length === 1 ? period.start : `${period.start} – ${lastDay(period)}`;
  return {
    title: `${hourly ? 'Hourly' : 'Daily'} cost${currency ? ` (${currency})` : ''}, ${period.kind} report ${range}`,
    subtitle: [
      report.scope.domainId ? `domain ${report.scope.domainId}` : '',
      report.scope.projectId ? `project ${report.scope.projectId}` : '',
      others.length > 0 ? `${others.join(', ')} not drawn (see tables)` : '',
    ]
      .filter(Boolean)
      .join(' · '),
    currency,
    startMs,
    endMs,
    buckets,
    stacks,
    markers: report.anomalies.map((a) => ({ startMs: Math.max(startMs, Date.parse(a.window.start)), endMs: Math.min(endMs, Date.parse(a.window.end)), severity: a.severity })),
  };
}

/** A round axis step (1, 2, 2.5 or 5 × 10^n) giving about `ticks` intervals up to `max`. */
export function niceStep(max: number, ticks = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10;
  return step * power;
}

function tickLabel(value: number, step: number): string {
  const decimals = Math.min(6, String(Number(step.toPrecision(6))).split('.')[1]?.length ?? 0);
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** The chart as SVG text (fonts: "DejaVu Sans", which the PNG renderer ships). */
export function chartSvg(chart: CostChart): string {
  const [left, right, top, bottom] = [88, 250, 106, 56];
  const plotWidth = CHART_WIDTH - left - right;
  const plotHeight = CHART_HEIGHT - top - bottom;
  const totals = chart.buckets.map((_, i) => chart.stacks.reduce((sum, s) => sum + Math.max(0, s.values[i] ?? 0), 0));
  const step = niceStep(Math.max(0, ...totals));
  const yMax = Math.max(step, Math.ceil(Math.max(0, ...totals) / step) * step);
  const y = (value: number) => top + plotHeight - (value / yMax) * plotHeight;
  const x = (ms: number) => left + ((ms - chart.startMs) / (chart.endMs - chart.startMs)) * plotWidth;
  const slot = plotWidth / Math.max(1, chart.buckets.length);
  const barWidth = Math.max(1, slot * 0.78);
  const f = (n: number) => n.toFixed(1);
  const out: string[] = [];

  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="DejaVu Sans" font-size="12">`);
  out.push(`<rect width="${CHART_WIDTH}" height="${CHART_HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${left}" y="28" font-size="17" font-weight="bold" fill="#222">${escapeHtml(chart.title)}</text>`);
  if (chart.subtitle) out.push(`<text x="${left}" y="48" font-size="12" fill="#555">${escapeHtml(chart.subtitle)}</text>`);

  // Grid and y axis.
  for (let i = 0; i * step <= yMax + step / 2; i += 1) {
    const value = i * step;
    out.push(`<line x1="${left}" x2="${left + plotWidth}" y1="${f(y(value))}" y2="${f(y(value))}" stroke="${value === 0 ? '#888' : '#e3e3e3'}" stroke-width="1"/>`);
    out.push(`<text x="${left - 8}" y="${f(y(value) + 4)}" text-anchor="end" fill="#444">${escapeHtml(tickLabel(value, step))}</text>`);
  }
  if (chart.currency) out.push(`<text transform="translate(20 ${f(top + plotHeight / 2)}) rotate(-90)" text-anchor="middle" fill="#444">${escapeHtml(chart.currency)}</text>`);

  // Anomaly hours: one lane per severity above the plot, an hour filled when any anomaly of
  // that severity covers it, so overlapping windows stay readable.
  const lanes = (['critical', 'warning', 'info'] as const).filter((severity) => chart.markers.some((m) => m.severity === severity));
  lanes.forEach((severity, lane) => {
    const laneY = top - 12 - (lanes.length - lane) * 12;
    out.push(`<text x="${left - 8}" y="${laneY + 8}" text-anchor="end" font-size="10" fill="#444">${severity}</text>`);
    out.push(`<rect x="${left}" y="${laneY}" width="${plotWidth}" height="9" fill="#f4f4f4"/>`);
    for (const [from, to] of coveredHours(chart.markers.filter((m) => m.severity === severity))) {
      out.push(`<rect x="${f(x(from))}" y="${laneY}" width="${f(Math.max(2, x(to) - x(from)))}" height="9" fill="${SEVERITY_COLOURS[severity]}"/>`);
    }
  });

  // Stacked bars.
  chart.buckets.forEach((bucket, i) => {
    let base = 0;
    chart.stacks.forEach((stack, s) => {
      const value = Math.max(0, stack.values[i] ?? 0);
      if (value === 0) return;
      const colour = s < PALETTE.length && !stack.label.startsWith('other services') ? PALETTE[s] : OTHER_COLOUR;
      out.push(`<rect x="${f(left + i * slot + (slot - barWidth) / 2)}" y="${f(y(base + value))}" width="${f(barWidth)}" height="${f(Math.max(0.5, y(base) - y(base + value)))}" fill="${colour}"/>`);
      base += value;
    });
    const every = Math.ceil(chart.buckets.length / 31);
    if (i % every === 0) out.push(`<text x="${f(left + i * slot + slot / 2)}" y="${top + plotHeight + 18}" text-anchor="middle" fill="#444" font-size="${slot < 30 ? 10 : 12}">${escapeHtml(bucket.label)}</text>`);
  });
  out.push(`<text x="${left + plotWidth / 2}" y="${CHART_HEIGHT - 12}" text-anchor="middle" fill="#444">${chart.buckets.length > 0 && chart.endMs - chart.startMs <= MS.day ? 'hour (UTC)' : 'day (UTC)'}</text>`);
  if (chart.stacks.length === 0) out.push(`<text x="${left + plotWidth / 2}" y="${top + plotHeight / 2}" text-anchor="middle" font-size="16" fill="#777">no cost in this period</text>`);

  // Legend: services, then the anomaly severities present.
  const legendX = left + plotWidth + 24;
  let legendY = top + 4;
  chart.stacks.forEach((stack, s) => {
    const colour = s < PALETTE.length && !stack.label.startsWith('other services') ? PALETTE[s] : OTHER_COLOUR;
    out.push(`<rect x="${legendX}" y="${legendY}" width="12" height="12" fill="${colour}"/>`);
    out.push(`<text x="${legendX + 18}" y="${legendY + 10}" fill="#222">${escapeHtml(truncate(stack.label, 28))}</text>`);
    legendY += 20;
  });
  const present = (['critical', 'warning', 'info'] as const).filter((s) => chart.markers.some((m) => m.severity === s));
  if (present.length > 0) {
    legendY += 10;
    out.push(`<text x="${legendX}" y="${legendY + 10}" fill="#222" font-weight="bold">anomaly hours (top)</text>`);
    legendY += 20;
    for (const severity of present) {
      const n = chart.markers.filter((m) => m.severity === severity).length;
      out.push(`<rect x="${legendX}" y="${legendY + 2}" width="12" height="9" fill="${SEVERITY_COLOURS[severity]}"/>`);
      out.push(`<text x="${legendX + 18}" y="${legendY + 10}" fill="#222">${severity} (${n})</text>`);
      legendY += 20;
    }
  }
  out.push('</svg>');
  return out.join('\n');
}

/** The hours covered by any of the windows, merged into [from, to) runs (ms). */
export function coveredHours(windows: ReadonlyArray<{ startMs: number; endMs: number }>): Array<[number, number]> {
  const sorted = windows
    .map((w) => [Math.floor(w.startMs / MS.hour) * MS.hour, Math.ceil(w.endMs / MS.hour) * MS.hour] as [number, number])
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0]);
  const runs: Array<[number, number]> = [];
  for (const [from, to] of sorted) {
    const last = runs[runs.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else runs.push([from, to]);
  }
  return runs;
}

const truncate = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
