import { Registry } from 'prom-client';
import { JobMetrics } from './job-metrics';

const valueOf = async (registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> => {
  const metric = registry.getSingleMetric(name);
  return (await metric?.get())?.values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))?.value;
};

describe('JobMetrics', () => {
  it('records a successful run: its count, duration and when it succeeded', async () => {
    const registry = new Registry();
    const jobs = JobMetrics.of(registry);
    const before = Date.now() / 1000;
    expect(await jobs.track('day-close', () => Promise.resolve(42))).toBe(42);
    expect(await valueOf(registry, 'costwatch_job_runs_total', { job_name: 'day-close', result: 'success' })).toBe(1);
    expect(await valueOf(registry, 'costwatch_job_last_success_timestamp_seconds', { job_name: 'day-close' })).toBeGreaterThanOrEqual(before);
    expect(await registry.getSingleMetricAsString('costwatch_job_duration_seconds')).toContain('costwatch_job_duration_seconds_count{job_name="day-close"} 1');
  });

  it('counts a failed run, rethrows its error and leaves the last success alone', async () => {
    const registry = new Registry();
    const jobs = JobMetrics.of(registry);
    await expect(jobs.track('sweep', () => Promise.reject(new Error('mongo down')))).rejects.toThrow('mongo down');
    expect(await valueOf(registry, 'costwatch_job_runs_total', { job_name: 'sweep', result: 'failure' })).toBe(1);
    expect(await valueOf(registry, 'costwatch_job_last_success_timestamp_seconds', { job_name: 'sweep' })).toBeUndefined();
  });

  it('declares a job at zero runs, and is one instance per registry', async () => {
    const registry = new Registry();
    JobMetrics.of(registry).register('archive-compaction');
    expect(JobMetrics.of(registry)).toBe(JobMetrics.of(registry));
    expect(JobMetrics.of(new Registry())).not.toBe(JobMetrics.of(registry));
    expect(await valueOf(registry, 'costwatch_job_runs_total', { job_name: 'archive-compaction', result: 'failure' })).toBe(0);
    expect(await valueOf(registry, 'costwatch_job_runs_total', { job_name: 'archive-compaction', result: 'success' })).toBe(0);
  });
});
