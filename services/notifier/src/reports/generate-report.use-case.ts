import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { costChart, chartSvg } from './cost-chart';
import { buildCostReport, type CostReport } from './cost-report';
import type { DayCost, ReportScope, StoredAnomaly } from './report-data.repository';
import { anomalyCsv, costCsv } from './report-csv';
import { reportHtml } from './report-html';
import { compactDay, lastCompletePeriod, periodContaining, previousPeriod, type ReportPeriodKind } from './report-period';
import { renderPng } from './png-renderer';

/** What a report reads (billing_daily, billing_anomalies, billing_days). */
export interface ReportDataSource {
  dayCosts(days: readonly string[], scope: ReportScope): Promise<DayCost[]>;
  anomalies(period: CostReport['period'], scope: ReportScope): Promise<StoredAnomaly[]>;
  dayLedger(days: readonly string[]): Promise<Map<string, boolean>>;
}

export interface ReportRequest {
  kind: ReportPeriodKind;
  /** A day (YYYY-MM-DD) inside the wanted period; unset: the last complete period. */
  day?: string;
  scope: ReportScope;
  outDir: string;
}

export interface WrittenReport {
  report: CostReport;
  files: { html: string; png: string; csv: string; anomaliesCsv: string };
}

/** `costwatch-<period>-<start>`: the stem of every file of one report. */
export const reportStem = (kind: ReportPeriodKind, start: string): string => `costwatch-${kind}-${compactDay(start)}`;

/** Reads a period and the one before it, and writes the report's HTML, PNG and CSV files. */
export class GenerateReportUseCase {
  constructor(
    private readonly data: ReportDataSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async execute(request: ReportRequest, progress: (message: string) => void = () => undefined): Promise<WrittenReport> {
    const generatedAt = this.now();
    const period = request.day ? periodContaining(request.kind, request.day) : lastCompletePeriod(request.kind, generatedAt);
    const previous = previousPeriod(period);
    progress(`reading ${period.days.length + previous.days.length} days (${previous.start} … ${period.days[period.days.length - 1]})`);
    const [current, before, anomalies, dayLedger] = await Promise.all([
      this.data.dayCosts(period.days, request.scope),
      this.data.dayCosts(previous.days, request.scope),
      this.data.anomalies(period, request.scope),
      this.data.dayLedger(period.days),
    ]);
    const report = buildCostReport({ period, previous, scope: request.scope, current, before, anomalies, dayLedger, generatedAt });

    progress(`rendering ${current.length} day rows, ${anomalies.length} anomalies`);
    const stem = reportStem(period.kind, period.start);
    const names = { html: `${stem}.html`, png: `${stem}.png`, csv: `${stem}.csv`, anomaliesCsv: `${stem}-anomalies.csv` };
    const png = await renderPng(chartSvg(costChart(report)));
    const html = reportHtml(report, { png: names.png, csv: names.csv, anomaliesCsv: names.anomaliesCsv }, png);

    await mkdir(request.outDir, { recursive: true });
    const files = {
      html: join(request.outDir, names.html),
      png: join(request.outDir, names.png),
      csv: join(request.outDir, names.csv),
      anomaliesCsv: join(request.outDir, names.anomaliesCsv),
    };
    await Promise.all([
      writeAtomically(files.png, png),
      writeAtomically(files.csv, costCsv(report)),
      writeAtomically(files.anomaliesCsv, anomalyCsv(report)),
      writeAtomically(files.html, html),
    ]);
    return { report, files };
  }
}

/** Readers (a web server, a mail job) never see half a file: write aside, then rename. */
async function writeAtomically(path: string, content: string | Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}
