import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { MONGO_DB } from '@costwatch/mongo';
import { JobMetrics, ROOT_LOGGER } from '@costwatch/observability';
import type { NotifierConfig } from '../config/notifier.config';
import { NOTIFIER_CONFIG } from '../infra/delivery-readiness';
import { GenerateReportUseCase } from './generate-report.use-case';
import { ReportDataRepository } from './report-data.repository';
import type { ReportPeriodKind } from './report-period';

const JOB_NAME = 'cost-reports';
/** The job_name of a period's report in the costwatch_job_* metrics. */
const jobName = (kind: ReportPeriodKind): string => `${kind}-report`;

/**
 * Writes the last complete period of each REPORT_PERIODS kind to REPORT_DIR on the
 * REPORT_SCHEDULE cron (UTC). Files are named by period, so a repeated or late run
 * rewrites the same report with the newest data rather than adding one.
 */
@Injectable()
export class ReportScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly useCase: GenerateReportUseCase;
  private readonly jobs: JobMetrics;
  private running = false;

  constructor(
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(MONGO_DB) db: Db,
    private readonly scheduler: SchedulerRegistry,
    registry: Registry,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.useCase = new GenerateReportUseCase(new ReportDataRepository(db));
    this.jobs = JobMetrics.of(registry);
  }

  onApplicationBootstrap(): void {
    const expression = this.config.REPORT_SCHEDULE;
    if (!expression) return;
    for (const kind of this.config.REPORT_PERIODS) this.jobs.register(jobName(kind));
    const job = CronJob.from({ cronTime: expression, timeZone: 'UTC', onTick: () => void this.writeReports(), start: true });
    this.scheduler.addCronJob(JOB_NAME, job);
    this.logger.info({ job: JOB_NAME, cron: expression, periods: this.config.REPORT_PERIODS, dir: this.config.REPORT_DIR }, 'cost reports scheduled');
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('cron', JOB_NAME)) void this.scheduler.getCronJob(JOB_NAME).stop();
  }

  /** One run: every configured period, each failure logged and counted without stopping the others. */
  async writeReports(): Promise<void> {
    if (this.running) {
      this.logger.warn({ job: JOB_NAME }, 'previous report run still going; skipping this tick');
      return;
    }
    this.running = true;
    try {
      for (const kind of this.config.REPORT_PERIODS) {
        try {
          const { report, files } = await this.jobs.track(jobName(kind), () => this.useCase.execute({ kind, scope: {}, outDir: this.config.REPORT_DIR }));
          const open = report.days.filter((d) => !d.closed).map((d) => d.date);
          this.logger.info({ period: kind, start: report.period.start, anomalies: report.anomalies.length, openDays: open, files }, 'cost report written');
        } catch (error) {
          this.logger.error({ err: error, period: kind }, 'cost report failed');
        }
      }
    } finally {
      this.running = false;
    }
  }
}
