/** MongoDB collection names, as in the design brief. */
export const Collections = {
  records: 'billing_records',
  daily: 'billing_daily',
  baselines: 'billing_baseline',
  series: 'billing_series',
  days: 'billing_days',
  archiveDays: 'archive_days',
  detectorSeriesState: 'detector_series_state',
  /** Days the detector learned are closed, from billing.day-closed.v1 (its own record, not billing_days). */
  detectorClosedDays: 'detector_closed_days',
  anomalies: 'billing_anomalies',
  notifications: 'notification_state',
  notificationLog: 'notification_log',
} as const;
