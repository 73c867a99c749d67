import { billingRecordEventSchema, billingRecordSchema } from './billing-record';
import { billingRecordId } from './record-id';
import { createEnvelope } from './create-envelope';

const record = {
  id: 'x',
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
