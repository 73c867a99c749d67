import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { Logger } from 'pino';
import { Counter, Gauge, Registry } from 'prom-client';
import { MS, type TopicNames } from '@costwatch/contracts';
import { EventPublisher, TOPIC_NAMES } from '@costwatch/kafka';
import { recordPolicyOf } from '@costwatch/config';
import { JobMetrics, ROOT_LOGGER } from '@costwatch/observability';
import { PublishRecordsUseCase } from '../application/publish-records.use-case';
import { createSource } from '../application/source-factory';
import type { CollectorConfig } from '../config/collector.config';
import type { BillingSource, CollectionWindow } from '../domain/billing-source';

export const COLLECTOR_CONFIG = Symbol('COLLECTOR_CONFIG');

/** Which granularities a source can deliver on schedule. */
const HOURLY_SOURCES = new Set(['synthetic', 'aws-cost-explorer']);
const DAILY_SOURCES = new Set(['kakaocloud', 'aws-cost-explorer']);

/** The job_name of a granularity's scheduled collection in costwatch_job_* metrics. */
const jobName = (granularity: CollectionWindow['granularity']): string => (granularity === 'HOURLY' ? 'hourly-collection' : 'daily-collection');

/**
 * Hourly and daily collection inside the service (no host cron): the hourly job collects
 * the previous full hour, the daily job yesterday. Re-collecting a period is harmless —
 * record ids are deterministic — so a missed or repeated run never double counts.
 */
@Injectable()
export class CollectionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sources: BillingSource[];
  private readonly useCase: PublishRecordsUseCase;
  private readonly runs: Counter<'source' | 'granularity' | 'result'>;
  private readonly lastSuccess: Gauge<'source' | 'granularity'>;
  private readonly published: Counter<'source'>;
  private readonly rejected: Counter<'source'>;
  private readonly jobs: JobMetrics;
  private readonly running = new Set<string>();

  constructor(
    @Inject(COLLECTOR_CONFIG) private readonly config: CollectorConfig,
    publisher: EventPublisher,
    @Inject(TOPIC_NAMES) topics: TopicNames,
    private readonly scheduler: SchedulerRegistry,
    registry: Registry,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.sources = config.COLLECTOR_SOURCES.map((name) => createSource(name, config));
    this.useCase = new PublishRecordsUseCase(publisher, topics, 'collector', recordPolicyOf(config));
    this.runs = new Counter({ name: 'costwatch_collection_runs_total', help: 'Scheduled collection runs by result.', labelNames: ['source', 'granularity', 'result'], registers: [registry] });
    this.lastSuccess = new Gauge({
      name: 'costwatch_collection_last_success_timestamp_seconds',
      help: 'When a scheduled collection last succeeded (unix seconds).',
      labelNames: ['source', 'granularity'],
      registers: [registry],
    });
    this.published = new Counter({ name: 'costwatch_collector_records_published_total', help: 'Billing records published by scheduled collections, per source.', labelNames: ['source'], registers: [registry] });
    this.rejected = new Counter({ name: 'costwatch_collector_rows_rejected_total', help: 'Source rows that were not valid records (sent to the records DLQ), per source.', labelNames: ['source'], registers: [registry] });
    for (const source of this.sources) {
      this.published.inc({ source: source.name }, 0);
      this.rejected.inc({ source: source.name }, 0);
    }
    this.jobs = JobMetrics.of(registry);
  }

  onApplicationBootstrap(): void {
    if (!this.config.SCHEDULE_ENABLED) return;
    for (const granularity of ['HOURLY', 'DAILY'] as const) {
      this.jobs.register(jobName(granularity));
      for (const source of this.sources.filter((s) => (granularity === 'HOURLY' ? HOURLY_SOURCES : DAILY_SOURCES).has(s.name))) {
        for (const result of ['success', 'failure']) this.runs.inc({ source: source.name, granularity, result }, 0);
      }
    }
    this.add('hourly-collection', this.config.HOURLY_CRON, () => this.collect('HOURLY'));
    this.add('daily-collection', this.config.DAILY_CRON, () => this.collect('DAILY'));
  }

  onApplicationShutdown(): void {
    for (const name of this.scheduler.getCronJobs().keys()) void this.scheduler.getCronJob(name).stop();
  }

  private add(name: string, expression: string, run: () => Promise<void>): void {
    const job = CronJob.from({ cronTime: expression, timeZone: 'UTC', onTick: () => void run(), start: true });
    this.scheduler.addCronJob(name, job);
    this.logger.info({ job: name, cron: expression }, 'collection scheduled');
  }

  /** Collects the last closed period from every source that offers this granularity. */
  async collect(granularity: CollectionWindow['granularity'], now = new Date()): Promise<void> {
    const window: CollectionWindow =
      granularity === 'HOURLY'
        ? { from: new Date(Math.floor(now.getTime() / MS.hour) * MS.hour - MS.hour), to: new Date(Math.floor(now.getTime() / MS.hour) * MS.hour), granularity }
        : { from: new Date(Math.floor(now.getTime() / MS.day) * MS.day - MS.day), to: new Date(Math.floor(now.getTime() / MS.day) * MS.day), granularity };
    const eligible = granularity === 'HOURLY' ? HOURLY_SOURCES : DAILY_SOURCES;
    let failures = 0;
    let skipped = 0;
    for (const source of this.sources.filter((s) => eligible.has(s.name))) {
      const key = `${source.name}:${granularity}`;
      if (this.running.has(key)) {
        this.logger.warn({ source: source.name, granularity }, 'previous run still going; skipping this tick');
        skipped += 1;
        continue;
      }
      this.running.add(key);
      try {
        let counted = { published: 0, rejected: 0 };
        const summary = await this.useCase.collect(source, window, (progress) => {
          this.published.inc({ source: source.name }, progress.published - counted.published);
          this.rejected.inc({ source: source.name }, progress.rejected - counted.rejected);
          counted = { published: progress.published, rejected: progress.rejected };
        });
        this.runs.inc({ source: source.name, granularity, result: 'success' });
        this.lastSuccess.set({ source: source.name, granularity }, Date.now() / 1000);
        this.logger.info({ ...summary, window }, 'collection finished');
      } catch (error) {
        failures += 1;
        this.runs.inc({ source: source.name, granularity, result: 'failure' });
        this.logger.error({ err: error, source: source.name, granularity }, 'collection failed');
      } finally {
        this.running.delete(key);
      }
    }
    // The job succeeded when every eligible source did; a tick left to a run still going counts neither way.
    if (failures > 0) this.jobs.failed(jobName(granularity));
    else if (skipped === 0) this.jobs.succeeded(jobName(granularity));
  }
}
