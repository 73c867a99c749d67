import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { BillingSourceError } from '../shared/billing-source-error';
import { withRetry, type RetryPolicy } from '../shared/retry';
import { classifyAwsError } from './aws-retry';

/** Structurally the SDK's AwsCredentialIdentity. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface AssumeRoleRequest {
  roleArn: string;
  externalId?: string;
  sessionName: string;
  durationSeconds: number;
}

/**
 * Credentials of one assumed role, cached and renewed `refreshMarginMs` before they expire
 * (concurrent callers share one AssumeRole call). `provider` is what a client's `credentials`
 * option takes.
 */
export class AssumedRoleCredentials {
  private current: { credentials: TemporaryCredentials; expiresAtMs: number } | undefined;
  private pending: Promise<TemporaryCredentials> | undefined;

  constructor(
    private readonly sts: STSClient,
    private readonly request: AssumeRoleRequest,
    private readonly refreshMarginMs: number,
    private readonly retryPolicy: RetryPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  readonly provider = (): Promise<TemporaryCredentials> => this.get();

  async get(): Promise<TemporaryCredentials> {
    if (this.current !== undefined && this.current.expiresAtMs - this.now() > this.refreshMarginMs) return this.current.credentials;
    this.pending ??= this.assume().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async assume(): Promise<TemporaryCredentials> {
    const { roleArn, externalId, sessionName, durationSeconds } = this.request;
    const output = await withRetry(
      () =>
        this.sts.send(
          new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: durationSeconds, ...(externalId !== undefined ? { ExternalId: externalId } : {}) }),
        ),
      this.retryPolicy,
      { source: 'aws-cost-explorer', operation: `AssumeRole ${roleArn}`, classify: classifyAwsError },
    );
    const answer = output.Credentials;
    if (answer?.AccessKeyId === undefined || answer.SecretAccessKey === undefined) {
      throw new BillingSourceError('aws-cost-explorer', 'BAD_RESPONSE', `AssumeRole ${roleArn} returned no credentials`);
    }
    const credentials: TemporaryCredentials = {
      accessKeyId: answer.AccessKeyId,
      secretAccessKey: answer.SecretAccessKey,
      ...(answer.SessionToken !== undefined ? { sessionToken: answer.SessionToken } : {}),
      ...(answer.Expiration !== undefined ? { expiration: answer.Expiration } : {}),
    };
    // No expiration given: assume the requested duration.
    const expiresAtMs = answer.Expiration?.getTime() ?? this.now() + durationSeconds * 1000;
    this.current = { credentials, expiresAtMs };
    return credentials;
  }
}
