import { Counter, Gauge, type Registry } from 'prom-client';
import { JobMetrics } from '@costwatch/observability';

/** job_name values of the baseline service's periodic work in costwatch_job_* metrics. */
export const BaselineJobs = { dayClose: 'day-close', archiveCompaction: 'archive-compaction' } as const;

/** The baseline service's own metrics, on the service's registry (fixed label names and values). */
export class BaselineMetrics {
  readonly aggregated: Counter<'outcome'>;
  readonly archived: Counter;
  readonly archiveObjects: Counter<'kind'>;
  readonly daysClosed: Counter;
  readonly baselinesComputed: Counter;
  readonly seriesTracked: Gauge;
  readonly lastClosedDay: Gauge;
  readonly jobs: JobMetrics;
  private latestClosedDay = 0;

  constructor(registry: Registry) {
    this.aggregated = new Counter({
      name: 'costwatch_baseline_records_aggregated_total',
      help: 'Records handled by the aggregator: accepted (new or a newer restatement) or unchanged (already stored: redelivery, replay).',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.archived = new Counter({
      name: 'costwatch_baseline_records_archived_total',
      help: 'Records written to the S3 archive (in part files).',
      registers: [registry],
    });
    this.archiveObjects = new Counter({
      name: 'costwatch_baseline_archive_objects_written_total',
      help: 'S3 objects written by the archiver: part (one per batch and day) or day (a compacted day file).',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.daysClosed = new Counter({
      name: 'costwatch_baseline_days_closed_total',
      help: 'Days closed: daily totals published and the next day’s baselines built.',
      registers: [registry],
    });
    this.baselinesComputed = new Counter({
      name: 'costwatch_baseline_baselines_computed_total',
      help: 'Series baselines written by day closings (one per series with history).',
      registers: [registry],
    });
    this.seriesTracked = new Gauge({
      name: 'costwatch_baseline_series',
      help: 'Series (domain / project / service / currency) known at the last day closing.',
      registers: [registry],
    });
    this.lastClosedDay = new Gauge({
      name: 'costwatch_baseline_last_closed_day_timestamp_seconds',
      help: 'Start (UTC midnight, unix seconds) of the latest day closed: how far day closing has come in event time.',
      registers: [registry],
    });
    for (const outcome of ['accepted', 'unchanged']) this.aggregated.inc({ outcome }, 0);
    for (const kind of ['part', 'day']) this.archiveObjects.inc({ kind }, 0);
    this.jobs = JobMetrics.of(registry);
    for (const job of Object.values(BaselineJobs)) this.jobs.register(job);
  }

  dayClosed(date: string, series: number, baselines: number): void {
    this.daysClosed.inc();
    this.baselinesComputed.inc(baselines);
    this.seriesTracked.set(series);
    // Only ever moves forward, whatever order days close in.
    this.latestClosedDay = Math.max(this.latestClosedDay, Date.parse(`${date}T00:00:00Z`) / 1000);
    this.lastClosedDay.set(this.latestClosedDay);
  }
}
