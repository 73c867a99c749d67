import type { Admin } from 'kafkajs';
import type { ConsumerGroupAdmin } from '../application/reset-consumer-group.use-case';

/** ConsumerGroupAdmin over the kafkajs admin client. */
export class KafkaConsumerGroupAdmin implements ConsumerGroupAdmin {
  constructor(private readonly admin: Admin) {}

  async liveMembers(groupId: string): Promise<string[]> {
    const { groups } = await this.admin.describeGroups([groupId]);
    return (groups[0]?.members ?? []).map((member) => `${member.clientId}@${member.clientHost}`);
  }

  async committedTopics(groupId: string): Promise<string[]> {
    const topics = await this.admin.fetchOffsets({ groupId });
    return topics.filter((t) => t.partitions.some((p) => Number(p.offset) >= 0)).map((t) => t.topic);
  }

  async committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
    const [offsets] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((offsets?.partitions ?? []).filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, Number(p.offset)]));
  }

  async offsetsAt(topic: string, timestamp: Date): Promise<{ partition: number; offset: number; end: number }[]> {
    // kafkajs answers the end offset for a partition with nothing at or after the timestamp.
    const [at, ends] = await Promise.all([this.admin.fetchTopicOffsetsByTimestamp(topic, timestamp.getTime()), this.admin.fetchTopicOffsets(topic)]);
    const endOf = new Map(ends.map((p) => [p.partition, Number(p.high)]));
    return at.map((p) => ({ partition: p.partition, offset: Number(p.offset), end: endOf.get(p.partition) ?? Number(p.offset) })).sort((a, b) => a.partition - b.partition);
  }

  async commit(groupId: string, topic: string, offsets: { partition: number; offset: number }[]): Promise<void> {
    await this.admin.setOffsets({ groupId, topic, partitions: offsets.map(({ partition, offset }) => ({ partition, offset: String(offset) })) });
  }
}
