import { KafkaJSError, type Kafka } from 'kafkajs';
import { deadLetterTopic } from '@costwatch/contracts';

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
}

const ATTEMPTS = 5;

/**
 * Creates the topics (and each one's dead-letter topic) if missing, and returns once every
 * one has partition leaders. Topics are created up front because a consumer of an
 * auto-created topic errors once before it sees messages. A busy broker may answer the
 * leader check of a topic it has just created with a retriable error (e.g. "does not host
 * this topic-partition"); that is retried, with backoff, from what exists by then.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[], options: { withDeadLetter?: boolean } = {}): Promise<void> {
  const wanted = specs.flatMap((spec) => (options.withDeadLetter === false ? [spec] : [spec, { topic: deadLetterTopic(spec.topic), numPartitions: 1 }]));
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = wanted.filter((spec) => !existing.has(spec.topic));
        if (missing.length > 0) {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((spec) => ({ topic: spec.topic, numPartitions: spec.numPartitions ?? 6, replicationFactor: -1 })),
          });
        }
        await admin.fetchTopicMetadata({ topics: wanted.map((spec) => spec.topic) });
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS || !isRetriable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

const isRetriable = (error: unknown): boolean => error instanceof KafkaJSError && error.retriable;
