import type { z } from 'zod';
import { billingRecordEventSchema, billingRecordIntrinsicSchema, billingRecordSchema, billingRecordSchemaFor, defaultRecordPolicy, type BillingRecord } from './billing-record';
import { billingRecordId } from './record-id';
import { createEnvelope } from './create-envelope';

const fields = {
  source: 'synthetic' as const,
  domainId: 'd1',
  projectId: 'p1',
  serviceId: 'compute',
  serviceName: 'Virtual Machine',
  granularity: 'HOURLY' as const,
  periodStart: '2026-11-01T03:00:00Z',
  periodEnd: '2026-11-01T04:00:00Z',
  currency: 'USD',
  amount: '12.0000000001',
  collectedAt: '2026-11-01T05:00:00Z',
};
const record: BillingRecord = { ...fields, id: billingRecordId(fields) };

/** The record with `patch`, its id recomputed (so only the patched rule is under test). */
const withFields = (patch: Partial<BillingRecord>): BillingRecord => {
  const changed = { ...record, ...patch };
  return { ...changed, id: billingRecordId(changed) };
};

const NOW = Date.parse('2026-12-07T15:00:00Z');
const schema = billingRecordSchemaFor({ ...defaultRecordPolicy, now: () => NOW });

/** `path: message` of each issue, as the dead-letter reason lists them. */
const issues = (candidate: unknown, against: z.ZodType = schema): string[] => {
  const result = against.safeParse(candidate);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('billing record contract', () => {
  it('accepts a well-formed record with a 10-decimal amount', () => {
    expect(billingRecordSchema.parse(record).amount).toBe('12.0000000001');
  });

  it.each([
    ['a float amount', { amount: 12.5 }, 'amount'],
    ['an amount in exponent form', { amount: '1e-10' }, 'amount'],
    ['a lower-case currency', { currency: 'usd' }, 'currency'],
    ['a period that ends before it starts', { periodEnd: '2026-11-01T02:00:00Z' }, 'periodEnd'],
    ['a separator inside an id segment', { projectId: 'p|1' }, 'projectId'],
  ])('rejects %s, naming the field', (_label, patch, field) => {
    const result = billingRecordSchema.safeParse({ ...record, ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it('validates the envelope type and version', () => {
    const event = createEnvelope('billing.record', 'collector', record);
    expect(billingRecordEventSchema.safeParse(event).success).toBe(true);
    expect(billingRecordEventSchema.safeParse({ ...event, version: 2 }).success).toBe(false);
    expect(billingRecordEventSchema.safeParse({ ...event, type: 'other' }).success).toBe(false);
  });
});

describe('record rules', () => {
  describe('currency: ISO 4217 codes one is billed in', () => {
    it.each(['USD', 'KRW', 'EUR', 'JPY', 'XOF', 'XCD'])('accepts %s', (currency) => {
      expect(issues(withFields({ currency }))).toEqual([]);
    });

    it.each(['XXX', 'XTS', 'ZZZ', 'XAU', 'XDR', 'ABC'])('rejects %s', (currency) => {
      expect(issues(withFields({ currency }))).toEqual([expect.stringMatching(new RegExp(`^currency: "${currency}" is not an ISO 4217 currency`))]);
    });

    it('accepts a configured extra code, and only that one', () => {
      const widened = billingRecordSchemaFor({ ...defaultRecordPolicy, extraCurrencies: ['XCG'], now: () => NOW });
      expect(issues(withFields({ currency: 'XCG' }), widened)).toEqual([]);
      expect(issues(withFields({ currency: 'XTS' }), widened)).toHaveLength(1);
    });
  });

  describe('time window', () => {
    it.each([
      ['year 9999', '9999-12-31T00:00:00Z', '9999-12-31T01:00:00Z'],
      ['year 2099', '2099-09-01T00:00:00Z', '2099-09-01T01:00:00Z'],
    ])('rejects a period in %s whatever its collection time says', (_label, periodStart, periodEnd) => {
      expect(issues(withFields({ periodStart, periodEnd }))).toEqual([expect.stringMatching(/^periodStart: starts .* h after the record was collected/)]);
      expect(issues(withFields({ periodStart, periodEnd, collectedAt: periodEnd }))).toEqual([expect.stringMatching(/^collectedAt: is .* h ahead of this service's clock/)]);
    });

    it('rejects a period more than RECORD_MAX_AGE_DAYS before its collection', () => {
      const old = { periodStart: '2016-10-01T03:00:00Z', periodEnd: '2016-10-01T04:00:00Z' };
      expect(issues(withFields(old))).toEqual([expect.stringMatching(/^periodStart: starts 3683\.1 days before the record was collected \(at most 3660/)]);
      expect(issues(withFields(old), billingRecordSchemaFor({ ...defaultRecordPolicy, maxAgeDays: 4_000, now: () => NOW }))).toEqual([]);
    });

    it('rejects a period before 2000 however it was collected', () => {
      expect(issues(withFields({ periodStart: '1970-01-01T00:00:00Z', periodEnd: '1970-01-01T01:00:00Z', collectedAt: '1970-01-01T02:00:00Z' }))).toEqual([
        'periodStart: starts before 2000-01-01',
      ]);
    });

    it('accepts a backfill of years of history and a collection up to RECORD_MAX_LEAD_HOURS ahead of the clock', () => {
      expect(issues(withFields({ periodStart: '2023-01-01T00:00:00Z', periodEnd: '2023-01-02T00:00:00Z', collectedAt: '2026-12-07T15:00:00Z' }))).toEqual([]);
      // The synthetic source dates a record 2 h after its hour, which the schedule collects 1 h after it.
      expect(issues(withFields({ periodStart: '2026-12-07T14:00:00Z', periodEnd: '2026-12-07T15:00:00Z', collectedAt: '2026-12-07T16:00:00Z' }))).toEqual([]);
      expect(issues(withFields({ collectedAt: '2026-12-08T15:00:00Z', periodStart: '2026-12-08T14:00:00Z', periodEnd: '2026-12-08T15:00:00Z' }))).toEqual([]);
      expect(issues(withFields({ collectedAt: '2026-12-08T15:00:01Z', periodStart: '2026-12-08T14:00:00Z', periodEnd: '2026-12-08T15:00:00Z' }))).toHaveLength(1);
    });
  });

  describe('negative amounts', () => {
    it.each([['-5.00'], ['-0.0000000001']])('rejects %s on a usage record (category absent or Usage)', (amount) => {
      const reason = 'amount: negative amount on a Usage record: only Credit and Adjustment records and corrections (refunds) may be negative';
      expect(issues(withFields({ amount }))).toEqual([reason]);
      expect(issues(withFields({ amount, chargeCategory: 'Usage' }))).toEqual([reason]);
      expect(issues(withFields({ amount, chargeCategory: 'Purchase' }))).toEqual([expect.stringContaining('negative amount on a Purchase record')]);
      expect(issues(withFields({ amount, chargeCategory: 'Tax' }))).toEqual([expect.stringContaining('negative amount on a Tax record')]);
    });

    it('accepts them on Credit and Adjustment records and on corrections (refunds)', () => {
      expect(issues(withFields({ amount: '-5', chargeCategory: 'Credit' }))).toEqual([]);
      expect(issues(withFields({ amount: '-5', chargeCategory: 'Adjustment' }))).toEqual([]);
      expect(issues(withFields({ amount: '-1.25', chargeCategory: 'Usage', chargeClass: 'Correction' }))).toEqual([]);
    });

    it.each(['-0', '-0.00', '-000'])('rejects negative zero %s on every category', (amount) => {
      expect(issues(withFields({ amount }))).toEqual([expect.stringMatching(/^amount: negative zero/)]);
      expect(issues(withFields({ amount, chargeCategory: 'Credit' }))).toEqual([expect.stringMatching(/^amount: negative zero/)]);
    });
  });

  describe('record id', () => {
    it('rejects an id that is not the one its fields give, naming the expected one', () => {
      expect(issues({ ...record, id: 'a'.repeat(32) })).toEqual([`id: does not match the record's fields (source, domain, project, service, period start, granularity, currency): expected "${record.id}"`]);
    });

    it('rejects a record whose fields were changed under its id (a forged series or period)', () => {
      expect(issues({ ...record, serviceId: 'storage' })).toEqual([expect.stringMatching(/^id: does not match/)]);
      expect(issues({ ...record, periodStart: '2026-11-01T02:00:00Z', periodEnd: '2026-11-01T03:00:00Z' })).toEqual([expect.stringMatching(/^id: does not match/)]);
    });

    it('accepts another spelling of the same period start', () => {
      expect(issues({ ...record, periodStart: '2026-11-01T12:00:00+09:00' })).toEqual([]);
    });
  });

  describe('prototype-polluting keys', () => {
    const parsed = (json: string): unknown => JSON.parse(json);
    const recordJson = JSON.stringify(record);
    const eventJson = JSON.stringify(createEnvelope('billing.record', 'collector', record));

    it.each(['__proto__', 'constructor', 'prototype'])('rejects %s in the record, its tags and the envelope, naming the path', (key) => {
      expect(issues(parsed(recordJson.replace('{', `{"${key}":{"polluted":true},`)))).toEqual([`${key}: prototype-polluting key "${key}" is not allowed`]);
      expect(issues(parsed(recordJson.replace('{', `{"tags":{"team":"a","${key}":"x"},`)))).toEqual([`tags.${key}: prototype-polluting key "${key}" is not allowed`]);
      expect(issues(parsed(eventJson.replace('{', `{"${key}":{"polluted":true},`)), billingRecordEventSchema)).toEqual([`${key}: prototype-polluting key "${key}" is not allowed`]);
      expect(issues(parsed(eventJson.replace('"payload":{', `"payload":{"nested":[{"${key}":1}],`)), billingRecordEventSchema)).toEqual([
        `payload.nested.0.${key}: prototype-polluting key "${key}" is not allowed`,
      ]);
    });

    it('refuses input nested deeper than any record instead of walking it', () => {
      const deep = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
      expect(issues(parsed(eventJson.replace('"payload":{', `"payload":{"deep":${deep},`)), billingRecordEventSchema)).toEqual([': nested more than 64 levels deep']);
    });

    it('leaves Object.prototype alone', () => {
      billingRecordSchema.safeParse(parsed(recordJson.replace('{', '{"__proto__":{"polluted":true},')));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('field lengths per source', () => {
    it('rejects an AWS account id longer than 12 digits and a too-long service name', () => {
      const aws = withFields({ source: 'aws-cost-explorer', domainId: '1234567890123', serviceName: 'S'.repeat(129) });
      expect(issues(aws)).toEqual(['domainId: 13 characters, more than the 12 a aws-cost-explorer record may have', 'serviceName: 129 characters, more than the 128 a aws-cost-explorer record may have']);
    });

    it('rejects too many tags and too long tag keys and values', () => {
      const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
      expect(issues(withFields({ tags }))).toEqual(['tags: 51 tags, more than the 50 a synthetic record may have']);
      expect(issues(withFields({ tags: { ['k'.repeat(129)]: 'v', team: 'v'.repeat(257) } }))).toEqual([
        expect.stringContaining('tag key of 129 characters, more than 128'),
        expect.stringContaining('tags.team: tag value of 257 characters, more than 256'),
      ]);
    });

    it('keeps the generous FOCUS limits (Azure subscription paths, 512-character tag names)', () => {
      expect(issues(withFields({ source: 'focus', projectId: `/subscriptions/${'a'.repeat(200)}`, tags: { ['k'.repeat(512)]: 'v' } }))).toEqual([]);
    });
  });

  it('the intrinsic schema applies every rule but the configured currency list and time window', () => {
    expect(billingRecordIntrinsicSchema.safeParse(withFields({ currency: 'ZZZ', periodStart: '2099-01-01T00:00:00Z', periodEnd: '2099-01-01T01:00:00Z' })).success).toBe(true);
    expect(billingRecordIntrinsicSchema.safeParse(withFields({ amount: '-5' })).success).toBe(false);
    expect(billingRecordIntrinsicSchema.safeParse({ ...record, id: 'forged' }).success).toBe(false);
  });
});

describe('billingRecordId', () => {
  it('is the same for the same period whatever the time-zone spelling or amount', () => {
    const a = billingRecordId(record);
    const b = billingRecordId({ ...record, periodStart: '2026-11-01T12:00:00+09:00' });
    expect(b).toBe(a);
  });

  it.each(['source', 'domainId', 'projectId', 'serviceId', 'periodStart', 'granularity', 'currency'] as const)(
    'changes when %s changes',
    (field) => {
      const changed = {
        ...record,
        [field]: field === 'periodStart' ? '2026-11-01T04:00:00Z' : field === 'source' ? 'focus' : field === 'granularity' ? 'DAILY' : field === 'currency' ? 'KRW' : 'other',
      };
      expect(billingRecordId(changed)).not.toBe(billingRecordId(record));
    },
  );
});
