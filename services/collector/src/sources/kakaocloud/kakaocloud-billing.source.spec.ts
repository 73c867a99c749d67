import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import type { BillingRecord } from '@costwatch/contracts';
import type { CollectionWindow, RejectedRow } from '../../domain/billing-source';
import { BillingSourceError } from '../shared/billing-source-error';
import { KakaoCloudBillingSource } from './kakaocloud-billing.source';
import type { KakaoCloudSourceOptions } from './kakaocloud-options';

const CREDENTIAL_ID = 'ak-test-credential-id-7f3a';
const CREDENTIAL_SECRET = 'sk-test-credential-secret-c0ffee';

interface Reply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}
interface SeenRequest {
  url: URL;
  headers: IncomingHttpHeaders;
}

/** A KakaoCloud-style Billing API on 127.0.0.1 answering with whatever the test scripts. */
class FakeBillingApi {
  readonly requests: SeenRequest[] = [];
  respond: (url: URL, attempt: number) => Reply = () => ({ body: { items: [] } });
  private readonly server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    this.requests.push({ url, headers: request.headers });
    const attempt = this.requests.filter((seen) => seen.url.search === url.search).length;
    const reply =
      request.headers['credential-id'] === CREDENTIAL_ID && request.headers['credential-secret'] === CREDENTIAL_SECRET
        ? this.respond(url, attempt)
        : { status: 401, body: { error: 'missing credentials' } };
    const send = (): void => {
      if (response.destroyed) return;
      response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      response.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    };
    if (reply.delayMs === undefined) send();
    else setTimeout(send, reply.delayMs);
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const day = (ymd: string): CollectionWindow => {
  const from = new Date(`${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}T00:00:00Z`);
  return { from, to: new Date(from.getTime() + 86_400_000), granularity: 'DAILY' };
};

async function collect(source: KakaoCloudBillingSource, window: CollectionWindow): Promise<{ records: BillingRecord[]; rejected: RejectedRow[] }> {
  const records: BillingRecord[] = [];
  const rejected: RejectedRow[] = [];
  for await (const batch of source.collect(window)) {
    records.push(...batch.records);
    rejected.push(...batch.rejected);
  }
  return { records, rejected };
}

async function failure(promise: Promise<unknown>): Promise<BillingSourceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BillingSourceError) return error;
    throw error;
  }
  throw new Error('expected the collection to fail');
}

const item = (serviceId: string, cost: string | number, extra: Record<string, unknown> = {}) => ({
  meteringDate: '20251221',
  domainId: 'dom-1',
  projectId: 'proj-a',
  serviceId,
  serviceName: serviceId === 'vm' ? 'Virtual Machine' : 'Object Storage',
  cost,
  ...extra,
});

describe('KakaoCloudBillingSource', () => {
  const api = new FakeBillingApi();
  let baseUrl: string;
  const source = (options: Partial<KakaoCloudSourceOptions> = {}): KakaoCloudBillingSource =>
    new KakaoCloudBillingSource({
      baseUrl,
      credentialId: CREDENTIAL_ID,
      credentialSecret: CREDENTIAL_SECRET,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
      timeoutMs: 2_000,
      ...options,
    });

  beforeAll(async () => {
    baseUrl = await api.start();
  });
  afterAll(() => api.stop());
  beforeEach(() => {
    api.requests.length = 0;
  });

  it('follows next-page tokens across three pages, sums same-identity items exactly and rejects a malformed item with its location', async () => {
    api.respond = (url) => {
      switch (url.searchParams.get('pageToken')) {
        case null:
          return { body: { currency: 'KRW', items: [item('vm', '1000.5'), item('storage', 250.25)], nextPageToken: 'tok-2' } };
        case 'tok-2':
          return { body: { items: [item('vm', '0.0000000001'), { ...item('vm', '1'), serviceId: undefined }], nextPageToken: 'tok-3' } };
        default:
          return { body: { items: [item('storage', '0.75', { projectId: 'proj-b', currency: 'USD' })], nextPageToken: null } };
      }
    };

    const { records, rejected } = await collect(source(), day('20251221'));

    expect(api.requests.map((r) => [r.url.pathname, r.url.searchParams.get('date'), r.url.searchParams.get('page'), r.url.searchParams.get('pageToken')])).toEqual([
      ['/v1/billing/daily-costs', '20251221', '1', null],
      ['/v1/billing/daily-costs', '20251221', '2', 'tok-2'],
      ['/v1/billing/daily-costs', '20251221', '3', 'tok-3'],
    ]);
    for (const request of api.requests) {
      expect(request.headers['credential-id']).toBe(CREDENTIAL_ID);
      expect(request.headers['credential-secret']).toBe(CREDENTIAL_SECRET);
    }
    const byKey = new Map(records.map((r) => [`${r.projectId}/${r.serviceId}`, r]));
    expect(records).toHaveLength(3);
    expect(byKey.get('proj-a/vm')).toMatchObject({
      source: 'kakaocloud',
      domainId: 'dom-1',
      serviceName: 'Virtual Machine',
      granularity: 'DAILY',
      periodStart: '2025-12-21T00:00:00.000Z',
      periodEnd: '2025-12-22T00:00:00.000Z',
      currency: 'KRW',
      amount: '1000.5000000001',
    });
    expect(byKey.get('proj-a/storage')).toMatchObject({ amount: '250.25', currency: 'KRW' });
    expect(byKey.get('proj-b/storage')).toMatchObject({ amount: '0.75', currency: 'USD' });
    expect(rejected).toEqual([expect.objectContaining({ source: 'kakaocloud', location: 'date 20251221 page 2 item 2', reason: expect.stringContaining('serviceId') })]);
  });

  it('follows page numbers when the API pages by totalPages instead of tokens, and defaults the currency to KRW', async () => {
    api.respond = (url) => ({ body: { page: Number(url.searchParams.get('page')), totalPages: 2, items: [item(url.searchParams.get('page') === '1' ? 'vm' : 'storage', '10')] } });

    const { records } = await collect(source(), day('20251221'));

    expect(api.requests.map((r) => r.url.searchParams.get('page'))).toEqual(['1', '2']);
    expect(records.map((r) => [r.serviceId, r.currency, r.amount])).toEqual([
      ['vm', 'KRW', '10'],
      ['storage', 'KRW', '10'],
    ]);
  });

  it('retries a 429 (honouring Retry-After) and then succeeds', async () => {
    api.respond = (_url, attempt) => (attempt === 1 ? { status: 429, headers: { 'retry-after': '0' }, body: { error: 'slow down' } } : { body: { items: [item('vm', '5')] } });

    const { records } = await collect(source(), day('20251221'));

    expect(api.requests).toHaveLength(2);
    expect(records.map((r) => r.amount)).toEqual(['5']);
  });

  it('retries a 500 up to the attempt bound, then fails with a clear error naming the status and the body', async () => {
    api.respond = () => ({ status: 500, body: { error: 'billing backend unavailable' } });

    const error = await failure(collect(source(), day('20251221')));

    expect(api.requests).toHaveLength(3);
    expect(error.code).toBe('RETRIES_EXHAUSTED');
    expect(error.message).toContain('GET /v1/billing/daily-costs?date=20251221');
    expect(error.message).toContain('after 3 attempt(s)');
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain('billing backend unavailable');
  });

  it('does not retry a 401: the error names the status and body, never the credentials (even when the body echoes them)', async () => {
    api.respond = () => ({ status: 401, body: { error: 'invalid credential', echo: `${CREDENTIAL_ID}:${CREDENTIAL_SECRET}` } });

    const error = await failure(collect(source(), day('20251221')));

    expect(api.requests).toHaveLength(1);
    expect(error.code).toBe('HTTP_STATUS');
    expect(error.message).toContain('401');
    expect(error.message).toContain('invalid credential');
    for (const text of [error.message, error.stack ?? '', JSON.stringify(error)]) {
      expect(text).not.toContain(CREDENTIAL_ID);
      expect(text).not.toContain(CREDENTIAL_SECRET);
    }
  });

  it('keeps the credentials out of the source object itself', () => {
    const text = `${JSON.stringify(source())} ${inspect(source(), { depth: 10 })}`;
    expect(text).not.toContain(CREDENTIAL_SECRET);
    expect(text).not.toContain(CREDENTIAL_ID);
  });

  it('times a hanging request out and retries it within the bound', async () => {
    api.respond = () => ({ delayMs: 1_000, body: { items: [] } });

    const error = await failure(collect(source({ timeoutMs: 50, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } }), day('20251221')));

    expect(api.requests).toHaveLength(2);
    expect(error.code).toBe('RETRIES_EXHAUSTED');
    expect(error.message).toMatch(/timeout|aborted/i);
  });

  it('accepts JSON-number amounts a double holds exactly and rejects ones that may have lost digits', async () => {
    api.respond = () => ({ body: '{"items":[' + '{"domainId":"d","projectId":"p","serviceId":"vm","serviceName":"VM","cost":0.1},' + '{"domainId":"d","projectId":"p","serviceId":"gpu","serviceName":"GPU","cost":1234567.1234567891}' + ']}' });

    const { records, rejected } = await collect(source(), day('20251221'));

    expect(records.map((r) => [r.serviceId, r.amount])).toEqual([['vm', '0.1']]);
    expect(rejected).toEqual([expect.objectContaining({ location: 'date 20251221 page 1 item 2', reason: expect.stringContaining('send amounts as strings') })]);
  });

  it('rejects an item of another metering day and an amount with more than 12 decimals', async () => {
    api.respond = () => ({ body: { items: [item('vm', '1', { meteringDate: '20251220' }), item('storage', '0.0000000000001')] } });

    const { records, rejected } = await collect(source(), day('20251221'));

    expect(records).toEqual([]);
    expect(rejected.map((r) => [r.location, r.reason])).toEqual([
      ['date 20251221 page 1 item 1', 'meteringDate 20251220 is not the requested date 20251221'],
      ['date 20251221 page 1 item 2', expect.stringContaining('more than 12 fractional digits')],
    ]);
  });

  it('asks for every metering day of a window, in the configured offset', async () => {
    api.respond = (url) => ({ body: { items: [item('vm', '1', { meteringDate: url.searchParams.get('date') })] } });
    const window: CollectionWindow = { from: new Date('2025-12-20T15:00:00Z'), to: new Date('2025-12-22T15:00:00Z'), granularity: 'DAILY' };

    const { records } = await collect(source({ meteringDayUtcOffset: '+09:00' }), window);

    expect(api.requests.map((r) => r.url.searchParams.get('date'))).toEqual(['20251221', '20251222']);
    expect(records.map((r) => [r.periodStart, r.periodEnd])).toEqual([
      ['2025-12-20T15:00:00.000Z', '2025-12-21T15:00:00.000Z'],
      ['2025-12-21T15:00:00.000Z', '2025-12-22T15:00:00.000Z'],
    ]);
  });

  it('yields nothing for an HOURLY window (the API reports whole days)', async () => {
    const { records } = await collect(source(), { ...day('20251221'), granularity: 'HOURLY' });
    expect(records).toEqual([]);
    expect(api.requests).toHaveLength(0);
  });

  it('gives the same record ids when a day is collected again', async () => {
    api.respond = () => ({ body: { items: [item('vm', '3')] } });
    const first = await collect(source(), day('20251221'));
    const second = await collect(source(), day('20251221'));
    expect(second.records.map((r) => r.id)).toEqual(first.records.map((r) => r.id));
  });

  it('refuses invalid options, naming the setting', () => {
    expect(() => source({ baseUrl: 'not a url' })).toThrow(/baseUrl/);
    expect(() => source({ credentialSecret: '' })).toThrow(/credentialSecret/);
  });
});
