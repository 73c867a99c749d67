import type { Admin, Kafka } from 'kafkajs';

/**
 * A consumer group's lag on one topic, per partition: the end offset minus the group's
 * committed offset. A partition the group has never committed on starts at the earliest
 * retained message (`fromBeginning`) or at the end, as the consumer subscribes.
 */
export async function partitionLag(admin: Admin, groupId: string, topic: string, fromBeginning = true): Promise<Map<number, number>> {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const positions = new Map((committed.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  const lag = new Map<number, number>();
  for (const { partition, high, low } of ends) {
    const end = BigInt(high);
    const position = positions.get(partition) ?? -1n;
    const start = position >= 0n ? position : fromBeginning ? BigInt(low) : end;
    lag.set(partition, Number(end > start ? end - start : 0n));
  }
  return lag;
}

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
    const lag = await partitionLag(admin, groupId, topic);
    return partitions.filter((partition) => (lag.get(partition) ?? 0) > 0).sort((a, b) => a - b);
  } finally {
    await admin.disconnect();
  }
}
