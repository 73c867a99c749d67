import { MS } from '@costwatch/contracts';
import type { AmountChange } from './amount-change';
import { formatAmount, formatDelta, formatPercent } from './amount-format';
import { SEVERITY_COLOURS } from './cost-chart';
import type { CostLine, CostReport } from './cost-report';
import { escapeHtml } from './html-escape';
import { lastDay, type ReportPeriod } from './report-period';

/** The report's sibling files, linked from the page by name (they sit in the same directory). */
export interface ReportLinks {
  png: string;
  csv: string;
  anomaliesCsv: string;
}

const STYLE = `
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #222; margin: 24px auto; max-width: 1280px; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #555; margin-top: 0; } .warn { background: #fff4e0; border-left: 4px solid #ff9f1c; padding: 6px 10px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; } th, td { padding: 4px 10px; border-bottom: 1px solid #eee; text-align: left; }
th { background: #f5f5f5; } td { white-space: nowrap; } td.wrap { white-space: normal; min-width: 9em; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll { overflow-x: auto; } .up { color: #b22222; } .down { color: #1b7a3a; } .sev { color: #fff; border-radius: 3px; padding: 1px 6px; font-size: 12px; }
figure { margin: 12px 0; } figure img { max-width: 100%; border: 1px solid #eee; } .muted { color: #777; }
`;

const cell = (text: string, className?: string, title?: string): string =>
  `<td${className ? ` class="${className}"` : ''}${title !== undefined ? ` title="${escapeHtml(title)}"` : ''}>${escapeHtml(text)}</td>`;
const money = (amount: string): string => cell(formatAmount(amount), 'num', amount);
const head = (labels: ReadonlyArray<string | [string, 'num']>): string =>
  `<tr>${labels.map((l) => (typeof l === 'string' ? `<th>${escapeHtml(l)}</th>` : `<th class="num">${escapeHtml(l[0])}</th>`)).join('')}</tr>`;

function changeCells(change: AmountChange): string {
  const direction = change.delta.startsWith('-') ? 'num down' : change.delta === '0' ? 'num' : 'num up';
  return money(change.current) + money(change.previous) + cell(formatDelta(change.delta), direction, change.delta) + cell(formatPercent(change.percent, change.current), direction);
}

const CHANGE_HEADS: ReadonlyArray<[string, 'num']> = [
  ['cost', 'num'],
  ['previous', 'num'],
  ['change', 'num'],
  ['change %', 'num'],
];

function breakdown(title: string, columns: ReadonlyArray<keyof CostLine>, rows: readonly CostLine[]): string {
  const labels: Record<string, string> = { domainId: 'domain', projectId: 'project', serviceId: 'service', serviceName: 'name' };
  const body = rows.map((r) => `<tr>${columns.map((c) => cell(String(r[c] ?? ''))).join('')}${cell(r.currency)}${changeCells(r.change)}</tr>`).join('\n');
  return `<h2>${escapeHtml(title)}</h2>\n${rows.length === 0 ? '<p class="muted">no cost</p>' : `<div class="scroll"><table>\n${head([...columns.map((c) => labels[c] ?? c), 'currency', ...CHANGE_HEADS])}\n${body}\n</table></div>`}`;
}

/** "2026-09-14 23:00 – 09-16 16:00 (41 h)"; the exact instants go in the cell's title. */
function windowText(window: { start: string; end: string }): string {
  const [start, end] = [new Date(window.start), new Date(window.end)];
  const text = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
  const [from, to] = [text(start), text(end)];
  return `${from} – ${to.slice(0, 4) === from.slice(0, 4) ? to.slice(5) : to} (${Math.round((end.getTime() - start.getTime()) / MS.hour)} h)`;
}

const range = (p: ReportPeriod): string => (p.days.length === 1 ? p.start : `${p.start} – ${lastDay(p)}`);

function anomaliesSection(report: CostReport): string {
  const counts = (['critical', 'warning', 'info'] as const).map((s) => `${s}: ${report.severityCounts[s]}`).join(' · ');
  const states = `firing: ${report.stateCounts.firing} · resolved: ${report.stateCounts.resolved}`;
  if (report.anomalies.length === 0) return `<h2>Anomalies (0)</h2>\n<p class="muted">no anomaly in this period</p>`;
  const rows = report.anomalies
    .map(
      (a) =>
        `<tr>${cell(a.series.domainId)}${cell(a.series.projectId)}${cell(a.series.serviceName, undefined, a.series.serviceId)}${cell(a.series.currency)}` +
        `${cell(windowText(a.window), undefined, `${a.window.start} – ${a.window.end}`)}${money(a.observed)}${money(a.expected)}` +
        `${cell(a.z === null ? '–' : a.z.toFixed(2), 'num')}${cell(a.ratio === null ? '–' : a.ratio.toFixed(2), 'num')}${cell(a.rule, 'wrap')}` +
        `<td><span class="sev" style="background:${SEVERITY_COLOURS[a.severity]}">${escapeHtml(a.severity)}</span></td>${cell(a.state)}</tr>`,
    )
    .join('\n');
  return [
    `<h2>Anomalies (${report.anomalies.length})</h2>`,
    `<p>${escapeHtml(counts)} — ${escapeHtml(states)}</p>`,
    '<div class="scroll"><table>',
    head(['domain', 'project', 'service', 'currency', 'window (UTC)', ['observed', 'num'], ['expected', 'num'], ['z', 'num'], ['ratio', 'num'], 'rule', 'severity', 'status']),
    rows,
    '</table></div>',
  ].join('\n');
}

function daysSection(report: CostReport): string {
  const currencies = report.totals.map((t) => t.currency);
  const rows = report.days
    .map((d) => `<tr>${cell(d.date)}${currencies.map((c) => money(d.amounts[c] ?? '0')).join('')}${cell(d.closed ? '' : 'not closed', 'muted')}</tr>`)
    .join('\n');
  return `<h2>Cost per day</h2>\n<table>\n${head(['date (UTC)', ...currencies.map((c): [string, 'num'] => [c, 'num']), ''])}\n${rows}\n</table>`;
}

/** The report as one self-contained HTML page (the chart embedded), every name escaped. */
export function reportHtml(report: CostReport, links: ReportLinks, png: Buffer): string {
  const { period, previous, scope } = report;
  const scopeText = [scope.domainId ? `domain ${scope.domainId}` : 'all domains', scope.projectId ? `project ${scope.projectId}` : ''].filter(Boolean).join(', ');
  const open = report.days.filter((d) => !d.closed).map((d) => d.date);
  const totals = report.totals.map((t) => `<tr>${cell(t.currency)}${changeCells(t.change)}</tr>`).join('\n');
  const title = `costwatch ${period.kind} cost report ${range(period)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Period <b>${escapeHtml(range(period))}</b> (UTC), compared with ${escapeHtml(range(previous))} · ${escapeHtml(scopeText)} · generated ${escapeHtml(report.generatedAt)}</p>
${open.length > 0 ? `<p class="warn">Not closed yet, totals may still change: ${escapeHtml(open.join(', '))}</p>` : ''}
<h2>Total</h2>
${report.totals.length === 0 ? '<p class="muted">no cost in this period</p>' : `<table>\n${head(['currency', ...CHANGE_HEADS])}\n${totals}\n</table>`}
<figure>
<img src="data:image/png;base64,${png.toString('base64')}" alt="${escapeHtml(`cost chart, ${range(period)}`)}">
<figcaption class="muted">Chart: <a href="${escapeHtml(links.png)}">${escapeHtml(links.png)}</a> · data: <a href="${escapeHtml(links.csv)}">${escapeHtml(links.csv)}</a>, <a href="${escapeHtml(links.anomaliesCsv)}">${escapeHtml(links.anomaliesCsv)}</a></figcaption>
</figure>
${daysSection(report)}
${anomaliesSection(report)}
${breakdown('Top movers', ['domainId', 'projectId', 'serviceId', 'serviceName'], report.topMovers)}
${breakdown('By domain', ['domainId'], report.byDomain)}
${breakdown('By project', ['domainId', 'projectId'], report.byProject)}
${breakdown('By service', ['domainId', 'projectId', 'serviceId', 'serviceName'], report.byService)}
</body>
</html>
`;
}
