import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../shared/retry';
import type { AwsAccount, AwsCostExplorerSourceSettings } from './aws-cost-explorer-options';
import { AssumedRoleCredentials } from './assumed-role-credentials';

/** The credentials STS itself is called with (default: the SDK's default provider chain). */
export type BaseCredentials = STSClientConfig['credentials'];

/**
 * One CostExplorerClient per role ARN, created on first use and reused, each signing with
 * its own cached assumed-role credentials. The SDK's own retries are off (`maxAttempts: 1`):
 * the source retries with one visible bound instead of two multiplied ones.
 */
export class CostExplorerClientPool {
  private readonly sts: STSClient;
  private readonly clients = new Map<string, CostExplorerClient>();
  private readonly retryPolicy: RetryPolicy;

  constructor(
    private readonly settings: AwsCostExplorerSourceSettings,
    baseCredentials?: BaseCredentials,
  ) {
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...settings.retry };
    this.sts = new STSClient({
      region: settings.region,
      maxAttempts: 1,
      ...(settings.stsEndpoint !== undefined ? { endpoint: settings.stsEndpoint } : {}),
      ...(baseCredentials !== undefined ? { credentials: baseCredentials } : {}),
    });
  }

  clientFor(account: AwsAccount): CostExplorerClient {
    const existing = this.clients.get(account.roleArn);
    if (existing !== undefined) return existing;
    const credentials = new AssumedRoleCredentials(
      this.sts,
      {
        roleArn: account.roleArn,
        sessionName: this.settings.roleSessionName,
        durationSeconds: this.settings.sessionDurationSeconds,
        ...(account.externalId !== undefined ? { externalId: account.externalId } : {}),
      },
      this.settings.refreshMarginSeconds * 1000,
      this.retryPolicy,
    );
    const client = new CostExplorerClient({
      region: this.settings.region,
      maxAttempts: 1,
      credentials: credentials.provider,
      ...(this.settings.costExplorerEndpoint !== undefined ? { endpoint: this.settings.costExplorerEndpoint } : {}),
    });
    this.clients.set(account.roleArn, client);
    return client;
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
    this.sts.destroy();
  }
}
