import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The detector's own metrics, on the service's registry (fixed label names). */
export class DetectorMetrics {
  readonly detections: Counter<'rule' | 'severity'>;
  readonly detectionsByService: Counter<'billing_service' | 'severity'>;
  readonly anomaliesOpen: Gauge;
  readonly snapshotsJudged: Counter<'verdict'>;
  readonly daysJudged: Counter<'verdict'>;
  readonly windowsJudged: Counter<'verdict'>;
  readonly detectionLag: Histogram;
  readonly pendingSnapshots: Gauge;

  constructor(registry: Registry) {
    this.detections = new Counter({
      name: 'costwatch_detections_total',
      help: 'Anomalies opened (first firing notice), by rule name and severity.',
      labelNames: ['rule', 'severity'],
      registers: [registry],
    });
    // Only the billing service is a label: domains and projects are unbounded, services are a provider's catalogue.
    this.detectionsByService = new Counter({
      name: 'costwatch_detections_by_service_total',
      help: 'Anomalies opened, by billing service id (the series\' service, not a costwatch component) and severity.',
      labelNames: ['billing_service', 'severity'],
      registers: [registry],
    });
    this.anomaliesOpen = new Gauge({
      name: 'costwatch_anomalies_open',
      help: 'Anomalies currently firing among the series this instance has loaded.',
      registers: [registry],
    });
    this.snapshotsJudged = new Counter({
      name: 'costwatch_snapshots_judged_total',
      help: 'Hourly snapshots by outcome: the verdict (normal, anomaly, drop-to-zero, first-seen, recurring, cold-start) or stale (an older or equal revision, ignored).',
      labelNames: ['verdict'],
      registers: [registry],
    });
    this.daysJudged = new Counter({
      name: 'costwatch_daily_totals_judged_total',
      help: 'Daily totals by outcome: the verdict (normal, anomaly, drop-to-zero, recurring, cold-start) or stale (an older or equal revision, ignored).',
      labelNames: ['verdict'],
      registers: [registry],
    });
    this.windowsJudged = new Counter({
      name: 'costwatch_rolling_windows_judged_total',
      help: 'Trailing 24-hour windows (one per judged hour, 23:00 excepted) by verdict (normal, anomaly, recurring, cold-start).',
      labelNames: ['verdict'],
      registers: [registry],
    });
    this.detectionLag = new Histogram({
      name: 'costwatch_detection_lag_seconds',
      help: 'From the hourly snapshot event (occurredAt) to its judgement.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
      registers: [registry],
    });
    this.pendingSnapshots = new Gauge({
      name: 'costwatch_detector_pending_snapshots',
      help: 'Snapshots waiting for their baseline (the previous day is not closed yet).',
      registers: [registry],
    });
  }
}
