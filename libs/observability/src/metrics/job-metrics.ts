import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Runs of a service's periodic jobs (scheduled collections, day closing, archive
 * compaction, the notification sweep), by job name. The label is `job_name`, not `job`:
 * Prometheus attaches `job` to every scraped series and would rename ours `exported_job`.
 */
export class JobMetrics {
  private static readonly byRegistry = new WeakMap<Registry, JobMetrics>();

  readonly lastSuccess: Gauge<'job_name'>;
  readonly runs: Counter<'job_name' | 'result'>;
  readonly duration: Histogram<'job_name'>;

  /** The registry's job metrics: every part of a service records its jobs on the same series. */
  static of(registry: Registry): JobMetrics {
    let metrics = JobMetrics.byRegistry.get(registry);
    if (!metrics) {
      metrics = new JobMetrics(registry);
      JobMetrics.byRegistry.set(registry, metrics);
    }
    return metrics;
  }

  private constructor(registry: Registry) {
    this.lastSuccess = new Gauge({
      name: 'costwatch_job_last_success_timestamp_seconds',
      help: 'When a periodic job last succeeded (unix seconds); absent until its first success.',
      labelNames: ['job_name'],
      registers: [registry],
    });
    this.runs = new Counter({
      name: 'costwatch_job_runs_total',
      help: 'Runs of a periodic job, by result (success | failure).',
      labelNames: ['job_name', 'result'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'costwatch_job_duration_seconds',
      help: 'Duration of one run of a periodic job, failed runs included.',
      labelNames: ['job_name'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
      registers: [registry],
    });
  }

  /** Declares a job, so its run counters exist at zero before its first run. */
  register(job: string): void {
    this.runs.inc({ job_name: job, result: 'success' }, 0);
    this.runs.inc({ job_name: job, result: 'failure' }, 0);
  }

  /** Runs `work` as one run of `job`: times it, counts its result and, on success, records when. */
  async track<T>(job: string, work: () => Promise<T>): Promise<T> {
    const stop = this.duration.startTimer({ job_name: job });
    try {
      const result = await work();
      this.succeeded(job);
      return result;
    } catch (error) {
      this.failed(job);
      throw error;
    } finally {
      stop();
    }
  }

  succeeded(job: string): void {
    this.runs.inc({ job_name: job, result: 'success' });
    this.lastSuccess.set({ job_name: job }, Date.now() / 1000);
  }

  failed(job: string): void {
    this.runs.inc({ job_name: job, result: 'failure' });
  }
}
