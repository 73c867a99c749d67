import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '@costwatch/config';
import { connectMongo, type MongoConnection } from '@costwatch/mongo';
import { formatAmount, formatPercent } from '../reports/amount-format';
import { GenerateReportUseCase, type WrittenReport } from '../reports/generate-report.use-case';
import { loadReportCliConfig } from '../reports/report-cli.config';
import { ReportDataRepository } from '../reports/report-data.repository';
import { lastDay, parseReportDay, reportPeriodKinds, type ReportPeriodKind } from '../reports/report-period';

/** Cost and anomaly reports from the command line: HTML with a PNG chart, and CSV. */
interface ReportOptions {
  period: ReportPeriodKind;
  date?: string;
  domain?: string;
  project?: string;
  out: string;
  config?: string;
}

function parseDay(text: string): string {
  try {
    return parseReportDay(text);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** A MongoDB URL without its password, for messages. */
const redactUrl = (url: string): string => url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');

function summary({ report, files }: WrittenReport): string {
  const { period } = report;
  const range = period.days.length === 1 ? period.start : `${period.start} … ${lastDay(period)}`;
  const scope = [report.scope.domainId ? `domain ${report.scope.domainId}` : 'all domains', report.scope.projectId ? `project ${report.scope.projectId}` : ''].filter(Boolean).join(', ');
  const totals = report.totals.map((t) => `${formatAmount(t.change.current)} ${t.currency} (${formatPercent(t.change.percent, t.change.current)} vs previous)`).join(', ') || 'no cost';
  const s = report.severityCounts;
  const anomalies = `${report.anomalies.length} anomalies (${s.critical} critical, ${s.warning} warning, ${s.info} info)`;
  const open = report.days.filter((d) => !d.closed).length;
  return [
    `${period.kind} report ${range} (${scope}): ${totals}; ${report.byService.length} series, ${report.rows.length} day rows, ${anomalies}${open > 0 ? `; ${open} day(s) not closed yet` : ''}`,
    ...Object.values(files).map((path) => `  ${path}`),
  ].join('\n');
}

const program = new Command()
  .name('costwatch-report')
  .description('Write a cost and anomaly report for a day, a week (Monday–Sunday, UTC) or a calendar month: HTML with a PNG chart, and CSV')
  .addOption(new Option('--period <period>', 'daily | weekly | monthly').choices(reportPeriodKinds).makeOptionMandatory())
  .option('--date <YYYYMMDD>', 'a day inside the period (default: the last complete period)', parseDay)
  .option('--domain <id>', 'only this domain')
  .option('--project <id>', 'only this project')
  .requiredOption('--out <dir>', 'directory for the files (created if missing)')
  .option('--config <path>', 'YAML settings file (its common and notifier sections; default: $COSTWATCH_CONFIG); the environment overrides it')
  .showHelpAfterError()
  .action(async (options: ReportOptions) => {
    const config = loadReportCliConfig(process.env, options.config);
    let mongo: MongoConnection;
    try {
      mongo = await connectMongo(config.MONGO_URL, config.MONGO_DB);
    } catch (error) {
      throw new Error(`cannot reach MongoDB at ${redactUrl(config.MONGO_URL)} (MONGO_URL): ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      const useCase = new GenerateReportUseCase(new ReportDataRepository(mongo.db));
      const written = await useCase.execute(
        {
          kind: options.period,
          ...(options.date ? { day: options.date } : {}),
          scope: { ...(options.domain ? { domainId: options.domain } : {}), ...(options.project ? { projectId: options.project } : {}) },
          outDir: options.out,
        },
        (message) => process.stderr.write(`report: ${message}\n`),
      );
      process.stdout.write(`${summary(written)}\n`);
    } finally {
      await mongo.client.close();
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 78 : 1);
});
