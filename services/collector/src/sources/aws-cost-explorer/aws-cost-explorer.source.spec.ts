import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BillingRecord } from '@costwatch/contracts';
import type { CollectionWindow, RejectedRow } from '../../domain/billing-source';
import { BillingSourceError } from '../shared/billing-source-error';
import { AwsCostExplorerSource, costExplorerTimePeriod } from './aws-cost-explorer.source';
import type { AwsCostExplorerSourceOptions } from './aws-cost-explorer-options';

const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';
const roleArn = (account: string): string => `arn:aws:iam::${account}:role/costwatch-billing-read`;
const accessKeyFor = (account: string): string => `ASIA${account}`;

interface GetCostAndUsageBody {
  TimePeriod: { Start: string; End: string };
  Granularity: string;
  Metrics: string[];
  GroupBy: { Type: string; Key: string }[];
  NextPageToken?: string;
}
type CostPage = { ResultsByTime: unknown[]; NextPageToken?: string };

const group = (service: string, amount: string, extraKeys: string[] = [], metric = 'UnblendedCost') => ({
  Keys: [service, ...extraKeys],
  Metrics: { [metric]: { Amount: amount, Unit: 'USD' } },
});
const day = (start: string, end: string, groups: unknown[]) => ({ TimePeriod: { Start: start, End: end }, Total: {}, Groups: groups, Estimated: false });

/**
 * One local HTTP server speaking both wire protocols the SDK uses here: STS AssumeRole (Query
 * protocol: form-encoded POST, XML answer) and Cost Explorer (JSON 1.1: POST / with
 * X-Amz-Target). The caller's account is read from the access key in the SigV4 Authorization
 * header, which is the assumed-role key this server handed out.
 */
class FakeAws {
  readonly assumeRoleCalls: { roleArn: string; sessionName: string; externalId?: string }[] = [];
  readonly costRequests: { account: string; target: string; body: GetCostAndUsageBody }[] = [];
  credentialsLifetimeMs = 3_600_000;
  /** Accounts whose next GetCostAndUsage call is throttled (per entry, once). */
  throttle: string[] = [];
  alwaysThrottle = new Set<string>();
  deniedRoles = new Set<string>();
  pages = new Map<string, CostPage[]>();

  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const target = request.headers['x-amz-target'];
      const accessKey = /Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (typeof target === 'string') this.costExplorer(target, accessKey, body, response);
      else this.sts(new URLSearchParams(body), response);
    });
  });

  private sts(form: URLSearchParams, response: import('node:http').ServerResponse): void {
    const role = form.get('RoleArn') ?? '';
    this.assumeRoleCalls.push({ roleArn: role, sessionName: form.get('RoleSessionName') ?? '', ...(form.has('ExternalId') ? { externalId: form.get('ExternalId') ?? '' } : {}) });
    response.setHeader('content-type', 'text/xml');
    if (form.get('Action') !== 'AssumeRole' || this.deniedRoles.has(role)) {
      response.statusCode = 403;
      response.end(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform sts:AssumeRole on ${role}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
      );
      return;
    }
    const account = /::(\d{12}):/.exec(role)?.[1] ?? '000000000000';
    const expiration = new Date(Date.now() + this.credentialsLifetimeMs).toISOString();
    response.end(
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
        `<Credentials><AccessKeyId>${accessKeyFor(account)}</AccessKeyId><SecretAccessKey>secret-${account}</SecretAccessKey>` +
        `<SessionToken>token-${account}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
        `<AssumedRoleUser><AssumedRoleId>AROA:${account}</AssumedRoleId><Arn>${role}</Arn></AssumedRoleUser>` +
        `</AssumeRoleResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  }

  private costExplorer(target: string, accessKey: string, text: string, response: import('node:http').ServerResponse): void {
    const account = accessKey.replace(/^ASIA/, '');
    const body = JSON.parse(text) as GetCostAndUsageBody;
    this.costRequests.push({ account, target, body });
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    const throttled = this.throttle.indexOf(account);
    if (throttled >= 0 || this.alwaysThrottle.has(account)) {
      if (throttled >= 0) this.throttle.splice(throttled, 1);
      response.statusCode = 400;
      response.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
      return;
    }
    const pages = this.pages.get(account) ?? [{ ResultsByTime: [] }];
    const index = body.NextPageToken === undefined ? 0 : Number(body.NextPageToken.split('-')[1]);
    response.end(JSON.stringify({ GroupDefinitions: body.GroupBy, DimensionValueAttributes: [], ...pages[index] }));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.assumeRoleCalls.length = 0;
    this.costRequests.length = 0;
    this.throttle = [];
    this.alwaysThrottle.clear();
    this.deniedRoles.clear();
    this.pages.clear();
    this.credentialsLifetimeMs = 3_600_000;
  }
}

const WINDOW: CollectionWindow = { from: new Date('2024-09-01T00:00:00Z'), to: new Date('2024-09-03T00:00:00Z'), granularity: 'DAILY' };

async function collect(source: AwsCostExplorerSource, window: CollectionWindow = WINDOW): Promise<{ records: BillingRecord[]; rejected: RejectedRow[] }> {
  const records: BillingRecord[] = [];
  const rejected: RejectedRow[] = [];
  for await (const batch of source.collect(window)) {
    records.push(...batch.records);
    rejected.push(...batch.rejected);
  }
  return { records, rejected };
}

describe('AwsCostExplorerSource', () => {
  const aws = new FakeAws();
  let endpoint: string;
  const sources: AwsCostExplorerSource[] = [];
  const source = (options: Partial<AwsCostExplorerSourceOptions> = {}): AwsCostExplorerSource => {
    const created = new AwsCostExplorerSource(
      {
        accounts: [
          { accountId: ACCOUNT_A, roleArn: roleArn(ACCOUNT_A), project: 'payments', externalId: 'ext-123' },
          { accountId: ACCOUNT_B, roleArn: roleArn(ACCOUNT_B) },
        ],
        stsEndpoint: endpoint,
        costExplorerEndpoint: endpoint,
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
        ...options,
      },
      { baseCredentials: { accessKeyId: 'AKIDBASE', secretAccessKey: 'base-secret' } },
    );
    sources.push(created);
    return created;
  };

  beforeAll(async () => {
    endpoint = await aws.start();
  });
  afterAll(async () => {
    for (const created of sources) created.close();
    await aws.stop();
  });
  beforeEach(() => {
    aws.reset();
    aws.pages.set(ACCOUNT_A, [
      {
        ResultsByTime: [day('2024-09-01', '2024-09-02', [group('Amazon Elastic Compute Cloud - Compute', '12.3400000000'), group('Amazon Simple Storage Service', '0.0000000123')])],
        NextPageToken: 'page-1',
      },
      { ResultsByTime: [day('2024-09-02', '2024-09-03', [group('Amazon Elastic Compute Cloud - Compute', '1.5'), group('AWS Lambda', '0.0000000001')])] },
    ]);
    aws.pages.set(ACCOUNT_B, [{ ResultsByTime: [day('2024-09-01', '2024-09-02', [group('Amazon Relational Database Service', '7.0000000009')])] }]);
  });

  it('collects two accounts through AssumeRole, follows NextPageToken, retries a ThrottlingException and keeps amounts exact', async () => {
    aws.throttle = [ACCOUNT_B];

    const { records, rejected } = await collect(source());

    expect(rejected).toEqual([]);
    expect(records.map((r) => [r.domainId, r.projectId, r.serviceId, r.periodStart.slice(0, 10), r.amount, r.currency]).sort()).toEqual(
      [
        [ACCOUNT_A, 'payments', 'amazon-elastic-compute-cloud-compute', '2024-09-01', '12.34', 'USD'],
        [ACCOUNT_A, 'payments', 'amazon-simple-storage-service', '2024-09-01', '0.0000000123', 'USD'],
        [ACCOUNT_A, 'payments', 'amazon-elastic-compute-cloud-compute', '2024-09-02', '1.5', 'USD'],
        [ACCOUNT_A, 'payments', 'aws-lambda', '2024-09-02', '0.0000000001', 'USD'],
        [ACCOUNT_B, ACCOUNT_B, 'amazon-relational-database-service', '2024-09-01', '7.0000000009', 'USD'],
      ].sort(),
    );
    expect(records.find((r) => r.serviceId === 'aws-lambda')).toMatchObject({
      source: 'aws-cost-explorer',
      serviceName: 'AWS Lambda',
      granularity: 'DAILY',
      periodStart: '2024-09-02T00:00:00.000Z',
      periodEnd: '2024-09-03T00:00:00.000Z',
    });

    const requestsOfB = aws.costRequests.filter((r) => r.account === ACCOUNT_B);
    expect(requestsOfB).toHaveLength(2); // throttled, then retried
    const requestsOfA = aws.costRequests.filter((r) => r.account === ACCOUNT_A);
    expect(requestsOfA.map((r) => r.body.NextPageToken)).toEqual([undefined, 'page-1']);
    expect(requestsOfA[0]).toMatchObject({
      target: 'AWSInsightsIndexService.GetCostAndUsage',
      body: { TimePeriod: { Start: '2024-09-01', End: '2024-09-03' }, Granularity: 'DAILY', Metrics: ['UnblendedCost'], GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] },
    });
    expect(aws.assumeRoleCalls).toEqual(
      expect.arrayContaining([
        { roleArn: roleArn(ACCOUNT_A), sessionName: 'costwatch-collector', externalId: 'ext-123' },
        { roleArn: roleArn(ACCOUNT_B), sessionName: 'costwatch-collector' },
      ]),
    );
  });

  it('reuses one client and its assumed-role credentials per role across collections', async () => {
    const shared = source();

    const first = await collect(shared);
    const second = await collect(shared);

    expect(aws.assumeRoleCalls.map((c) => c.roleArn).sort()).toEqual([roleArn(ACCOUNT_A), roleArn(ACCOUNT_B)]);
    expect(aws.costRequests).toHaveLength(6);
    expect(second.records.map((r) => r.id).sort()).toEqual(first.records.map((r) => r.id).sort());
  });

  it('assumes the role again when its credentials are about to expire', async () => {
    aws.credentialsLifetimeMs = 60_000; // inside the 5-minute refresh margin
    const shared = source();

    await collect(shared);
    const afterFirst = aws.assumeRoleCalls.length;
    await collect(shared);

    expect(afterFirst).toBeGreaterThanOrEqual(2);
    expect(aws.assumeRoleCalls.length).toBeGreaterThan(afterFirst);
  });

  it('asks for the configured metric and groups by linked account as its own domain', async () => {
    aws.pages.set(ACCOUNT_A, [
      {
        ResultsByTime: [
          day('2024-09-01', '2024-09-02', [group('Amazon EC2', '3.25', ['333333333333'], 'AmortizedCost'), group('Amazon EC2', '1', ['444444444444'], 'AmortizedCost')]),
        ],
      },
    ]);

    const { records } = await collect(
      source({
        accounts: [{ accountId: ACCOUNT_A, roleArn: roleArn(ACCOUNT_A) }],
        metric: 'AmortizedCost',
        groupByLinkedAccount: true,
        linkedAccountProjects: { '333333333333': 'search' },
      }),
    );

    expect(aws.costRequests[0]?.body).toMatchObject({ Metrics: ['AmortizedCost'], GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }, { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }] });
    expect(records.map((r) => [r.domainId, r.projectId, r.serviceId, r.amount]).sort()).toEqual([
      ['333333333333', 'search', 'amazon-ec2', '3.25'],
      ['444444444444', '444444444444', 'amazon-ec2', '1'],
    ]);
  });

  it('rejects a group whose amount has more than 12 decimals, with its location, and keeps the rest', async () => {
    aws.pages.set(ACCOUNT_B, [{ ResultsByTime: [day('2024-09-01', '2024-09-02', [group('Amazon RDS', '0.0000000000001'), group('Amazon SQS', '2')])] }]);

    const { records, rejected } = await collect(source({ accounts: [{ accountId: ACCOUNT_B, roleArn: roleArn(ACCOUNT_B) }] }));

    expect(records.map((r) => r.serviceId)).toEqual(['amazon-sqs']);
    expect(rejected).toEqual([
      expect.objectContaining({ location: `account ${ACCOUNT_B} page 1 period 2024-09-01 group 1`, reason: expect.stringContaining('more than 12 fractional digits') }),
    ]);
  });

  it('still yields the other accounts when one role is denied, then fails naming the account (AccessDenied is not retried)', async () => {
    aws.deniedRoles.add(roleArn(ACCOUNT_A));
    const yielded: BillingRecord[] = [];

    let failure: unknown;
    try {
      for await (const batch of source().collect(WINDOW)) yielded.push(...batch.records);
    } catch (error) {
      failure = error;
    }

    expect(yielded.map((r) => r.domainId)).toEqual([ACCOUNT_B]);
    expect(failure).toBeInstanceOf(BillingSourceError);
    expect((failure as BillingSourceError).code).toBe('ACCOUNTS_FAILED');
    expect((failure as BillingSourceError).message).toContain(`1 of 2 account(s) failed: account ${ACCOUNT_A}`);
    expect((failure as BillingSourceError).message).toContain('not authorized');
    expect(aws.assumeRoleCalls.filter((c) => c.roleArn === roleArn(ACCOUNT_A))).toHaveLength(1);
  });

  it('gives up on persistent throttling after the attempt bound', async () => {
    aws.alwaysThrottle.add(ACCOUNT_B);

    await expect(collect(source({ accounts: [{ accountId: ACCOUNT_B, roleArn: roleArn(ACCOUNT_B) }] }))).rejects.toThrow(/failed after 3 attempt\(s\); last failure: Rate exceeded/);
    expect(aws.costRequests).toHaveLength(3);
  });

  it('refuses invalid options, naming the setting', () => {
    expect(() => source({ accounts: [{ accountId: '12', roleArn: 'nope' }] })).toThrow(/accounts\.0\.accountId.*accounts\.0\.roleArn/);
    expect(() => source({ metric: 'UsageQuantity' as never })).toThrow(/metric/);
  });
});

describe('costExplorerTimePeriod', () => {
  it('covers a DAILY window with whole UTC dates and an HOURLY one with whole hours (end exclusive)', () => {
    expect(costExplorerTimePeriod({ from: new Date('2024-09-01T00:00:00Z'), to: new Date('2024-09-02T00:00:00Z'), granularity: 'DAILY' })).toEqual({ Start: '2024-09-01', End: '2024-09-02' });
    expect(costExplorerTimePeriod({ from: new Date('2024-09-01T05:00:00Z'), to: new Date('2024-09-01T07:30:00Z'), granularity: 'HOURLY' })).toEqual({
      Start: '2024-09-01T05:00:00Z',
      End: '2024-09-01T08:00:00Z',
    });
  });
});
