/** MongoDB collection names, as in the design brief. */
export const Collections = {
  records: 'billing_records',
  daily: 'billing_daily',
  baselines: 'billing_baseline',
  anomalies: 'billing_anomalies',
  notifications: 'notification_state',
  notificationLog: 'notification_log',
} as const;
