import { MS } from '@costwatch/contracts';
import { GetCostAndUsageCommand, type CostExplorerClient, type DateInterval, type Group } from '@aws-sdk/client-cost-explorer';
import pLimit from 'p-limit';
import type { BillingSource, CollectionWindow, RejectedRow, SourceBatch } from '../../domain/billing-source';
import { BillingSourceError } from '../shared/billing-source-error';
import { describeError } from '../shared/describe-error';
import { RecordAggregator, type SourceRow } from '../shared/record-aggregator';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from '../shared/retry';
import { serviceSlug } from '../shared/service-slug';
import { awsCostExplorerSourceOptionsSchema, type AwsAccount, type AwsCostExplorerSourceOptions, type AwsCostExplorerSourceSettings } from './aws-cost-explorer-options';
import { classifyAwsError } from './aws-retry';
import { CostExplorerClientPool, type BaseCredentials } from './cost-explorer-client-pool';

const BATCH_SIZE = 1000;

/** Cost Explorer's TimePeriod covering a window: whole UTC days (DAILY) or whole hours (HOURLY), end exclusive. */
export function costExplorerTimePeriod(window: CollectionWindow): DateInterval {
  const unit = window.granularity === 'HOURLY' ? MS.hour : MS.day;
  const start = new Date(Math.floor(window.from.getTime() / unit) * unit);
  const end = new Date(Math.ceil(window.to.getTime() / unit) * unit);
  const format = (instant: Date): string => (window.granularity === 'HOURLY' ? `${instant.toISOString().slice(0, 19)}Z` : instant.toISOString().slice(0, 10));
  return { Start: format(start), End: format(end) };
}

/** Cost Explorer's "2024-01-01" or "2024-01-01T00:00:00Z" as an instant (dates are UTC days). */
function parsePeriodBoundary(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

type AccountOutcome = { account: AwsAccount; batches: SourceBatch[] } | { account: AwsAccount; error: unknown };

/**
 * AWS Cost Explorer across accounts: AssumeRole per account (one cached client per role ARN),
 * GetCostAndUsage grouped by SERVICE (and LINKED_ACCOUNT if configured) at the window's
 * granularity, every NextPageToken page, throttling retried with bounded backoff, accounts in
 * parallel up to `concurrency`. One account failing does not stop the others: their records are
 * yielded, then the collection throws ACCOUNTS_FAILED naming each failed account.
 */
export class AwsCostExplorerSource implements BillingSource {
  readonly name = 'aws-cost-explorer' as const;
  private readonly settings: AwsCostExplorerSourceSettings;
  private readonly pool: CostExplorerClientPool;
  private readonly retryPolicy: RetryPolicy;
  private readonly projects: Map<string, string>;

  constructor(options: AwsCostExplorerSourceOptions, runtime: { baseCredentials?: BaseCredentials } = {}) {
    const parsed = awsCostExplorerSourceOptionsSchema.safeParse(options);
    if (!parsed.success) throw new BillingSourceError('aws-cost-explorer', 'BAD_OPTIONS', `invalid options: ${describeError(parsed.error)}`);
    this.settings = parsed.data;
    this.pool = new CostExplorerClientPool(this.settings, runtime.baseCredentials);
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...this.settings.retry };
    this.projects = new Map(Object.entries(this.settings.linkedAccountProjects));
    for (const account of this.settings.accounts) this.projects.set(account.accountId, account.project ?? account.accountId);
  }

  async *collect(window: CollectionWindow): AsyncGenerator<SourceBatch> {
    const collectedAt = new Date();
    const limit = pLimit(this.settings.concurrency);
    // Every outcome gets its handler now, so a failure that settles before we reach it is never unhandled.
    const outcomes: Promise<AccountOutcome>[] = this.settings.accounts.map((account) =>
      limit(() => this.collectAccount(account, window, collectedAt)).then(
        (batches) => ({ account, batches }),
        (error: unknown) => ({ account, error }),
      ),
    );
    const failures: { account: AwsAccount; error: unknown }[] = [];
    for (const pending of outcomes) {
      const outcome = await pending;
      if ('error' in outcome) failures.push(outcome);
      else yield* outcome.batches;
    }
    if (failures.length > 0) {
      const details = failures.map(({ account, error }) => `account ${account.accountId} (${account.roleArn}): ${describeError(error)}`).join('; ');
      throw new BillingSourceError('aws-cost-explorer', 'ACCOUNTS_FAILED', `${failures.length} of ${this.settings.accounts.length} account(s) failed: ${details}`, {
        cause: failures[0]?.error,
      });
    }
  }

  /** Closes every cached client (sockets); the source cannot collect afterwards. */
  close(): void {
    this.pool.destroy();
  }

  /** All pages of one account, summed per record identity; all-or-nothing per account. */
  private async collectAccount(account: AwsAccount, window: CollectionWindow, collectedAt: Date): Promise<SourceBatch[]> {
    const client = this.pool.clientFor(account);
    const aggregator = new RecordAggregator(this.name, collectedAt, true);
    const rejected: RejectedRow[] = [];
    const seenTokens = new Set<string>();
    let token: string | undefined;
    let pageNumber = 0;
    do {
      pageNumber += 1;
      if (pageNumber > this.settings.maxPages) {
        throw new BillingSourceError(this.name, 'BAD_RESPONSE', `account ${account.accountId}: more than ${this.settings.maxPages} pages; stopping (maxPages)`);
      }
      const response = await this.getPage(client, account, window, token, pageNumber);
      for (const result of response.ResultsByTime ?? []) {
        const periodStart = parsePeriodBoundary(result.TimePeriod?.Start);
        const periodEnd = parsePeriodBoundary(result.TimePeriod?.End);
        (result.Groups ?? []).forEach((group, index) => {
          const location = `account ${account.accountId} page ${pageNumber} period ${result.TimePeriod?.Start ?? '?'} group ${index + 1}`;
          if (periodStart !== undefined && (periodStart < window.from || periodStart >= window.to)) return;
          const row = periodStart === undefined || periodEnd === undefined ? `unreadable TimePeriod ${JSON.stringify(result.TimePeriod)}` : this.toRow(account, group, window, periodStart, periodEnd);
          const rejection = typeof row === 'string' ? { source: this.name, location, reason: row, raw: group } : aggregator.add(row, location, group, this.settings.metric);
          if (rejection !== undefined) rejected.push(rejection);
        });
      }
      token = response.NextPageToken !== undefined && response.NextPageToken.length > 0 ? response.NextPageToken : undefined;
      if (token !== undefined) {
        if (seenTokens.has(token)) throw new BillingSourceError(this.name, 'BAD_RESPONSE', `account ${account.accountId}: page ${pageNumber} repeats an earlier NextPageToken`);
        seenTokens.add(token);
      }
    } while (token !== undefined);

    const batches = [...aggregator.drain(BATCH_SIZE)];
    if (rejected.length > 0) {
      const first = batches[0];
      if (first === undefined) batches.push({ records: [], rejected });
      else first.rejected.unshift(...rejected);
    }
    return batches;
  }

  private getPage(client: CostExplorerClient, account: AwsAccount, window: CollectionWindow, token: string | undefined, pageNumber: number) {
    const input = {
      TimePeriod: costExplorerTimePeriod(window),
      Granularity: window.granularity,
      Metrics: [this.settings.metric],
      GroupBy: [{ Type: 'DIMENSION' as const, Key: 'SERVICE' }, ...(this.settings.groupByLinkedAccount ? [{ Type: 'DIMENSION' as const, Key: 'LINKED_ACCOUNT' }] : [])],
      ...(token !== undefined ? { NextPageToken: token } : {}),
    };
    return withRetry(() => client.send(new GetCostAndUsageCommand(input)), this.retryPolicy, {
      source: this.name,
      operation: `GetCostAndUsage account ${account.accountId} page ${pageNumber}`,
      classify: classifyAwsError,
    });
  }

  /** A group as a row, or the reason it cannot be one. */
  private toRow(account: AwsAccount, group: Group, window: CollectionWindow, periodStart: Date, periodEnd: Date): SourceRow | string {
    const [serviceName, linkedAccount] = group.Keys ?? [];
    if (serviceName === undefined || serviceName.length === 0) return 'group has no SERVICE key';
    if (this.settings.groupByLinkedAccount && (linkedAccount === undefined || linkedAccount.length === 0)) return 'group has no LINKED_ACCOUNT key';
    const metric = group.Metrics?.[this.settings.metric];
    if (metric?.Amount === undefined) return `group has no ${this.settings.metric} amount`;
    if (metric.Unit === undefined) return `group has no ${this.settings.metric} unit`;
    const domainId = this.settings.groupByLinkedAccount && linkedAccount !== undefined ? linkedAccount : account.accountId;
    return {
      domainId,
      projectId: this.projects.get(domainId) ?? domainId,
      serviceId: serviceSlug(serviceName),
      serviceName,
      granularity: window.granularity,
      periodStart,
      periodEnd,
      currency: metric.Unit,
      amount: metric.Amount,
    };
  }
}
