import { GroupHasLiveMembersError, NothingToResetError, ResetConsumerGroupUseCase, type ConsumerGroupAdmin } from './reset-consumer-group.use-case';

/** An in-memory admin: committed offsets per group/topic, messages' timestamps per partition. */
class FakeAdmin implements ConsumerGroupAdmin {
  members: string[] = [];
  readonly committed = new Map<string, Map<number, number>>();
  /** topic → partition → timestamps of its messages, in offset order. */
  readonly log = new Map<string, number[][]>();

  liveMembers = async () => this.members;
  committedTopics = async () => [...this.committed.keys()];
  committedOffsets = async (_group: string, topic: string) => new Map(this.committed.get(topic) ?? []);
  offsetsAt = async (topic: string, timestamp: Date) =>
    (this.log.get(topic) ?? []).map((times, partition) => {
      const first = times.findIndex((t) => t >= timestamp.getTime());
      return { partition, offset: first === -1 ? times.length : first, end: times.length };
    });
  commit = async (_group: string, topic: string, offsets: { partition: number; offset: number }[]) => {
    const partitions = this.committed.get(topic) ?? new Map<number, number>();
    for (const { partition, offset } of offsets) partitions.set(partition, offset);
    this.committed.set(topic, partitions);
  };
}

describe('ResetConsumerGroupUseCase', () => {
  const t = (day: number) => Date.UTC(2026, 0, day);

  function adminWithHistory(): FakeAdmin {
    const admin = new FakeAdmin();
    admin.log.set('billing.hourly.v1', [
      [t(1), t(2), t(3), t(4)],
      [t(1), t(5)],
    ]);
    admin.committed.set('billing.hourly.v1', new Map([[0, 4], [1, 2]]));
    return admin;
  }

  it('moves every partition of the group to the first message at or after the time', async () => {
    const admin = adminWithHistory();
    const summary = await new ResetConsumerGroupUseCase(admin).execute({ groupId: 'g', timestamp: new Date(t(3)) });

    expect(admin.committed.get('billing.hourly.v1')).toEqual(new Map([[0, 2], [1, 1]]));
    expect(summary.partitions).toEqual([
      { topic: 'billing.hourly.v1', partition: 0, from: 4, to: 2, toReprocess: 2 },
      { topic: 'billing.hourly.v1', partition: 1, from: 2, to: 1, toReprocess: 1 },
    ]);
    expect(summary.applied).toBe(true);
  });

  it('moves to the end of a partition with nothing after the time', async () => {
    const admin = adminWithHistory();
    await new ResetConsumerGroupUseCase(admin).execute({ groupId: 'g', timestamp: new Date(t(10)) });
    expect(admin.committed.get('billing.hourly.v1')).toEqual(new Map([[0, 4], [1, 2]]));
  });

  it('changes nothing on a dry run but reports the plan', async () => {
    const admin = adminWithHistory();
    const summary = await new ResetConsumerGroupUseCase(admin).execute({ groupId: 'g', timestamp: new Date(t(1)), dryRun: true });
    expect(admin.committed.get('billing.hourly.v1')).toEqual(new Map([[0, 4], [1, 2]]));
    expect(summary.partitions.map((p) => p.toReprocess)).toEqual([4, 2]);
    expect(summary.applied).toBe(false);
  });

  it('refuses while the group has live members, naming them, and changes nothing', async () => {
    const admin = adminWithHistory();
    admin.members = ['costwatch-detector@/10.0.0.7'];
    await expect(new ResetConsumerGroupUseCase(admin).execute({ groupId: 'g', timestamp: new Date(t(1)) })).rejects.toThrow(GroupHasLiveMembersError);
    await expect(new ResetConsumerGroupUseCase(admin).execute({ groupId: 'g', timestamp: new Date(t(1)) })).rejects.toThrow(/costwatch-detector@\/10\.0\.0\.7/);
    expect(admin.committed.get('billing.hourly.v1')).toEqual(new Map([[0, 4], [1, 2]]));
  });

  it('asks for topics when the group has never committed', async () => {
    await expect(new ResetConsumerGroupUseCase(new FakeAdmin()).execute({ groupId: 'new', timestamp: new Date(t(1)) })).rejects.toThrow(NothingToResetError);
  });

  it('resets named topics even without committed offsets', async () => {
    const admin = new FakeAdmin();
    admin.log.set('billing.records.v1', [[t(1), t(2)]]);
    const summary = await new ResetConsumerGroupUseCase(admin).execute({ groupId: 'new', timestamp: new Date(t(2)), topics: ['billing.records.v1'] });
    expect(summary.partitions).toEqual([{ topic: 'billing.records.v1', partition: 0, from: undefined, to: 1, toReprocess: 1 }]);
  });
});
