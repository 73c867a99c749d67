/** One partition's committed offset before and after a reset, and what it will re-read. */
export interface PartitionReset {
  topic: string;
  partition: number;
  /** Committed offset before the reset; undefined when the group had none. */
  from: number | undefined;
  to: number;
  /** Messages between the new offset and the end of the partition. */
  toReprocess: number;
}

export interface ResetSummary {
  groupId: string;
  timestamp: Date;
  partitions: PartitionReset[];
  applied: boolean;
}

/** The part of the Kafka admin API a reset needs (infra/consumer-group-admin.ts). */
export interface ConsumerGroupAdmin {
  /** Client ids of the group's live members (empty when no consumer is running). */
  liveMembers(groupId: string): Promise<string[]>;
  /** Topics the group has committed offsets on. */
  committedTopics(groupId: string): Promise<string[]>;
  committedOffsets(groupId: string, topic: string): Promise<Map<number, number>>;
  /** Per partition: the first offset at or after `timestamp` (the end when there is none), and the end. */
  offsetsAt(topic: string, timestamp: Date): Promise<{ partition: number; offset: number; end: number }[]>;
  commit(groupId: string, topic: string, offsets: { partition: number; offset: number }[]): Promise<void>;
}

export class GroupHasLiveMembersError extends Error {
  constructor(groupId: string, members: readonly string[]) {
    super(
      `consumer group "${groupId}" has ${members.length} live member(s) (${members.join(', ')}): ` +
        'stop them first (e.g. scale the service to 0 or stop its process), then reset',
    );
    this.name = 'GroupHasLiveMembersError';
  }
}

export class NothingToResetError extends Error {
  constructor(groupId: string) {
    super(`consumer group "${groupId}" has no committed offsets; name the topics with --topic`);
    this.name = 'NothingToResetError';
  }
}

/**
 * Moves a consumer group back (or forward) to the first message at or after a timestamp,
 * so its service processes that period again when it restarts. Refuses while the group has
 * live members: their commits would overwrite the reset. Idempotent downstream handling
 * (deterministic ids) makes reprocessing safe.
 */
export class ResetConsumerGroupUseCase {
  constructor(private readonly admin: ConsumerGroupAdmin) {}

  async execute(
    request: { groupId: string; timestamp: Date; topics?: readonly string[]; dryRun?: boolean },
    onPartition?: (reset: PartitionReset) => void,
  ): Promise<ResetSummary> {
    const { groupId, timestamp } = request;
    const members = await this.admin.liveMembers(groupId);
    if (members.length > 0) throw new GroupHasLiveMembersError(groupId, members);
    const topics = request.topics?.length ? [...request.topics] : await this.admin.committedTopics(groupId);
    if (topics.length === 0) throw new NothingToResetError(groupId);

    const partitions: PartitionReset[] = [];
    for (const topic of topics) {
      const [committed, targets] = await Promise.all([this.admin.committedOffsets(groupId, topic), this.admin.offsetsAt(topic, timestamp)]);
      const resets = targets.map(({ partition, offset, end }) => ({ topic, partition, from: committed.get(partition), to: offset, toReprocess: end - offset }));
      if (!request.dryRun) await this.admin.commit(groupId, topic, resets.map(({ partition, to }) => ({ partition, offset: to })));
      for (const reset of resets) onPartition?.(reset);
      partitions.push(...resets);
    }
    return { groupId, timestamp, partitions, applied: !request.dryRun };
  }
}
