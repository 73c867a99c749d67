import type { STSClient } from '@aws-sdk/client-sts';
import { AssumedRoleCredentials } from './assumed-role-credentials';

/** A stand-in STS client answering AssumeRole with credentials valid for `lifetimeMs` from the fake clock. */
function fakeSts(clock: { now: number }, lifetimeMs: number) {
  const calls: unknown[] = [];
  const client = {
    send: async (command: { input: unknown }) => {
      calls.push(command.input);
      await Promise.resolve();
      return { Credentials: { AccessKeyId: `AK${calls.length}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(clock.now + lifetimeMs) } };
    },
  };
  return { client: client as unknown as STSClient, calls };
}

describe('AssumedRoleCredentials', () => {
  const request = { roleArn: 'arn:aws:iam::111111111111:role/r', sessionName: 'costwatch-collector', durationSeconds: 3600, externalId: 'ext' };
  const policy = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 };

  it('assumes once, serves the cache, and renews only within the refresh margin', async () => {
    const clock = { now: 1_000_000 };
    const sts = fakeSts(clock, 3_600_000);
    const credentials = new AssumedRoleCredentials(sts.client, request, 300_000, policy, () => clock.now);

    expect((await credentials.get()).accessKeyId).toBe('AK1');
    clock.now += 3_600_000 - 300_001; // just outside the margin
    expect((await credentials.provider()).accessKeyId).toBe('AK1');
    clock.now += 2; // inside the margin
    expect((await credentials.get()).accessKeyId).toBe('AK2');
    expect(sts.calls).toEqual([
      { RoleArn: request.roleArn, RoleSessionName: 'costwatch-collector', DurationSeconds: 3600, ExternalId: 'ext' },
      { RoleArn: request.roleArn, RoleSessionName: 'costwatch-collector', DurationSeconds: 3600, ExternalId: 'ext' },
    ]);
  });

  it('shares one AssumeRole call between concurrent callers', async () => {
    const clock = { now: 0 };
    const sts = fakeSts(clock, 3_600_000);
    const credentials = new AssumedRoleCredentials(sts.client, request, 300_000, policy, () => clock.now);

    const all = await Promise.all([credentials.get(), credentials.get(), credentials.get()]);

    expect(all.map((c) => c.accessKeyId)).toEqual(['AK1', 'AK1', 'AK1']);
    expect(sts.calls).toHaveLength(1);
  });
});
