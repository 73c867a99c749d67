import type { Kafka } from 'kafkajs';

/**
 * Which of `partitions` still hold messages the group has not committed. A consumer that
 * orders work by event time across partitions (the aggregator's day closing) must wait for
 * these before judging that time has moved on: Kafka hands out partitions' backlogs in no
 * particular order. A partition with nothing to read is idle and need not be waited for.
 */
export async function partitionsWithBacklog(kafka: Kafka, groupId: string, topic: string, partitions: readonly number[]): Promise<number[]> {
  if (partitions.length === 0) return [];
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
    const committedOf = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    return ends
      .filter((end) => partitions.includes(end.partition))
      .filter((end) => {
        const from = committedOf.get(end.partition) ?? -1;
        // No commit yet: the group starts at the earliest retained message.
        return (from >= 0 ? from : Number(end.low)) < Number(end.high);
      })
      .map((end) => end.partition)
      .sort((a, b) => a - b);
  } finally {
    await admin.disconnect();
  }
}
