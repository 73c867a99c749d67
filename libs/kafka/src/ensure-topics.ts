import type { Kafka } from 'kafkajs';
import { deadLetterTopic } from '@costwatch/contracts';

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
}

/**
 * Creates the topics (and each one's dead-letter topic) if missing. Topics are created up
 * front because a consumer of an auto-created topic errors once before it sees messages.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[], options: { withDeadLetter?: boolean } = {}): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = specs.flatMap((spec) =>
      options.withDeadLetter === false ? [spec] : [spec, { topic: deadLetterTopic(spec.topic), numPartitions: 1 }],
    );
    const missing = wanted.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({ topic: spec.topic, numPartitions: spec.numPartitions ?? 6, replicationFactor: -1 })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
