/**
 * Kafka topic names. The version is part of the name: a breaking change to a payload
 * ships as a new topic so old and new consumers can run side by side during a rollout.
 */
export const Topics = {
  billingRecords: 'billing.records.v1',
  hourlySnapshots: 'billing.hourly.v1',
  dailyTotals: 'billing.daily-totals.v1',
  dayClosed: 'billing.day-closed.v1',
  anomalies: 'billing.anomalies.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** Every consumer's poison messages go to `<topic>.dlq`, with the original bytes and the reason. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

export type TopicNames = { readonly [K in keyof typeof Topics]: string };

/**
 * The topic names with an optional prefix (`KAFKA_TOPIC_PREFIX`), so several environments
 * (or test runs) can share one cluster without seeing each other's events.
 */
export function topicNames(prefix = ''): TopicNames {
  return {
    billingRecords: `${prefix}${Topics.billingRecords}`,
    hourlySnapshots: `${prefix}${Topics.hourlySnapshots}`,
    dailyTotals: `${prefix}${Topics.dailyTotals}`,
    dayClosed: `${prefix}${Topics.dayClosed}`,
    anomalies: `${prefix}${Topics.anomalies}`,
  };
}
